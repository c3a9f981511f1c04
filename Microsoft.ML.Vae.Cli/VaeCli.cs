using System.CommandLine;
using Microsoft.ML.Vae.Cli.Commands;

namespace Microsoft.ML.Vae.Cli;

/// <summary>The <c>vae</c> command line: builds the command tree and runs one invocation in-process.</summary>
internal static class VaeCli
{
    /// <summary>Runs <c>vae</c> with <paramref name="args"/>, writing to the given writers; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, interactive: false);

    /// <summary>
    /// As <see cref="Run(string[], TextWriter, TextWriter)"/>; <paramref name="interactive"/> allows progress bars on stderr,
    /// <paramref name="handleTermination"/> (the real process only) turns Ctrl+C and SIGTERM into cancellation, so temporary
    /// output files are removed rather than left behind.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, bool handleTermination = false)
    {
        var context = new CliContext(stdout, stderr, interactive);
        RootCommand root = CreateRootCommand(context);
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(5) : null, // cancels between batches and blocks
        };
        return root.Parse(args).Invoke(configuration);
    }

    internal static RootCommand CreateRootCommand(CliContext context) => new(
        "Variational autoencoders on CSV files: train a model, score rows for anomalies, evaluate, inspect, export to ONNX, report.\n"
        + ExitCodes.HelpText)
    {
        TrainCommand.Create(context),
        ScoreCommand.Create(context),
        EvaluateCommand.Create(context),
        ExportOnnxCommand.Create(context),
        InspectCommand.Create(context),
        ReportCommand.Create(context),
    };
}
