using Spectre.Console;
using VaeMl.Examples.AnomalyDetection;

return AnomalyDetectionExample.RunCommandLine(args, AnsiConsole.Console);
