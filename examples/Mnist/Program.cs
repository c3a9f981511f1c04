using Spectre.Console;
using VaeMl.Examples.Mnist;

return MnistExample.RunCommandLine(args, AnsiConsole.Console);
