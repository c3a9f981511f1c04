using System.CommandLine;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Terminal;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli;

/// <summary>What every command needs from the invocation: the writers, whether a person watches, and error mapping.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool interactive)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>True when stderr is a terminal (progress bars allowed).</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Tables and plain text on stdout, without colour codes so files and tests read cleanly.</summary>
    public IAnsiConsole Console { get; } = TerminalFactory.Plain(stdout);

    public ProgressDisplay Progress(bool quiet) => new(Error, enabled: Interactive && !quiet);

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="run"/>, mapping failures to exit codes.</summary>
    public void SetAction(System.CommandLine.Command command, Func<ParseResult, CancellationToken, int> run) =>
        command.SetAction((parse, cancellationToken) => Task.FromResult(Execute(parse, cancellationToken, run)));

    private int Execute(ParseResult parse, CancellationToken cancellationToken, Func<ParseResult, CancellationToken, int> run)
    {
        try
        {
            return run(parse, cancellationToken);
        }
        catch (CliException e)
        {
            return Fail(e.ExitCode, e.Message);
        }
        catch (CsvDataException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (VaeModelFormatException e)
        {
            return Fail(ExitCodes.ModelError, e.Message);
        }
        catch (VaeTrainingException e)
        {
            return Fail(ExitCodes.ModelError, $"Training failed: {e.Message} Try a lower --learning-rate or --gradient-clip-norm.");
        }
        catch (OperationCanceledException)
        {
            return Fail(ExitCodes.BadInput, "Cancelled; no output was written.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Reading or writing files (a truncated gzip, a full disk): the run's files are at fault, not the model.
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (ArgumentException e)
        {
            // The library's bad-data errors (non-finite values, wrong widths) are ArgumentExceptions naming row and column.
            return Fail(ExitCodes.BadInput, e.Message);
        }
    }

    private int Fail(int exitCode, string message)
    {
        Error.WriteLine($"error: {message}");
        return exitCode;
    }
}
