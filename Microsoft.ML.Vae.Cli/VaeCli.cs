using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.ML.Vae.Cli.Commands;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli;

/// <summary>The <c>vae</c> command line: builds the command tree and runs one invocation in-process.</summary>
internal static class VaeCli
{
    /// <summary>
    /// Runs <c>vae</c> with <paramref name="args"/>, writing messages to the given writers (standard input empty, standard
    /// output data to a discarded buffer); returns the exit code (<see cref="ExitCodes"/>).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, StandardStreams.InMemory(stdout, stderr), interactive: false);

    /// <summary>
    /// As <see cref="Run(string[], TextWriter, TextWriter)"/> over <paramref name="streams"/>; <paramref name="interactive"/>
    /// allows progress bars on stderr, <paramref name="handleTermination"/> (the real process only) turns Ctrl+C and SIGTERM
    /// into cancellation, so temporary output files are removed rather than left behind.
    /// </summary>
    public static int Run(string[] args, StandardStreams streams, bool interactive, bool handleTermination = false)
    {
        var context = new CliContext(streams, interactive);
        RootCommand root = CreateRootCommand(context);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // One line in the tool's words and the usage line, not the whole help.
            return context.Fail(ExitCodes.Usage, Usage.ErrorOf(parse), parse.CommandResult.Command);
        }

        var configuration = new InvocationConfiguration
        {
            Output = streams.Out,
            Error = streams.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(5) : null, // cancels between batches and blocks
        };
        return parse.Invoke(configuration);
    }

    internal static RootCommand CreateRootCommand(CliContext context) => new(
        "Variational autoencoders on CSV and Parquet files: train a model, score rows for anomalies, evaluate, inspect, export to ONNX, report.\n"
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
