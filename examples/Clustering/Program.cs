using Spectre.Console;
using VaeMl.Examples.Clustering;

return ClusteringExample.RunCommandLine(args, AnsiConsole.Console);
