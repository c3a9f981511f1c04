using System.CommandLine;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Files;
using Microsoft.ML.Vae.Cli.Terminal;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli;

/// <summary>What every command needs from the invocation: the standard streams, whether a person watches, and error mapping.</summary>
internal sealed class CliContext(StandardStreams streams, bool interactive)
{
    private IAnsiConsole? _console;
    private bool _dataOnStandardOutput;

    public StandardStreams Streams { get; } = streams;

    /// <summary>Where results and summaries go: stdout, or stderr once an output claimed stdout for its data.</summary>
    public TextWriter Out => _dataOnStandardOutput ? Error : Streams.Out;

    public TextWriter Error => Streams.Error;

    /// <summary>True when stderr is a terminal (progress bars allowed).</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Tables and plain text on <see cref="Out"/>, without colour codes so files and tests read cleanly.</summary>
    public IAnsiConsole Console => _console ??= TerminalFactory.Plain(Out);

    public ProgressDisplay Progress(bool quiet) => new(Error, enabled: Interactive && !quiet);

    /// <summary>An output writes its data to standard output: from now on, messages and tables go to stderr.</summary>
    public void ClaimStandardOutput()
    {
        _dataOnStandardOutput = true;
        _console = null;
    }

    /// <summary>Writes a note (a choice the tool made, such as a detected setting) on stderr.</summary>
    public void Note(string message) => Error.WriteLine($"note: {message}");

    /// <summary>Writes a warning (the run goes on, but a result may not be what was wanted) on stderr.</summary>
    public void Warn(string message) => Error.WriteLine($"warning: {message}");

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="run"/>, mapping failures to exit codes.</summary>
    public void SetAction(System.CommandLine.Command command, Func<ParseResult, CancellationToken, int> run) =>
        command.SetAction((parse, cancellationToken) => Task.FromResult(Execute(parse, cancellationToken, run)));

    /// <summary>Writes the one-line error (and, for a usage error, the usage line); returns the exit code.</summary>
    public int Fail(int exitCode, string message, System.CommandLine.Command? command = null)
    {
        Error.WriteLine($"error: {OneLine(message)}");
        if (exitCode == ExitCodes.Usage && command is not null)
        {
            Error.WriteLine(Usage.Line(command));
        }

        return exitCode;
    }

    private int Execute(ParseResult parse, CancellationToken cancellationToken, Func<ParseResult, CancellationToken, int> run)
    {
        System.CommandLine.Command command = parse.CommandResult.Command;
        try
        {
            return run(parse, cancellationToken);
        }
        catch (CliException e)
        {
            return Fail(e.ExitCode, e.Message, command);
        }
        catch (InputDataException e)
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
        catch (OutOfMemoryException)
        {
            return Fail(ExitCodes.BadInput, "Not enough memory for this input; use a smaller file, fewer columns or a smaller model.");
        }
        catch (Exception e)
        {
            // A failure the tool has no words for is a bug: still one line, with what is known.
            return Fail(ExitCodes.InternalError, $"Unexpected {e.GetType().Name}: {e.Message} This is a bug in vae; please report it.");
        }
    }

    /// <summary>Error messages are one line: nested messages with line breaks are joined.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
