using Spectre.Console;

namespace VaeMl.Examples;

/// <summary>Consoles for the examples: the real terminal, or a plain one writing to a <see cref="TextWriter"/> (tests).</summary>
public static class ExampleConsole
{
    /// <summary>
    /// A console without colours or live widgets that writes plain text to <paramref name="writer"/>, 200 columns
    /// wide so messages are not wrapped.
    /// </summary>
    public static IAnsiConsole Plain(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        return console;
    }

    /// <summary>
    /// The examples' command-line entry: parses flags (printing usage on --help or a bad flag), runs, and prints an
    /// I/O or data error plainly. Returns the process exit code: 0 ok, 1 run failed, 2 bad flags.
    /// </summary>
    public static int RunCommandLine<TSettings>(
        string[] args, IAnsiConsole console, Func<string[], (TSettings Settings, bool Help)> parse, string usage,
        Action<TSettings, IAnsiConsole> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        TSettings settings;
        try
        {
            (settings, bool help) = parse(args);
            if (help)
            {
                console.WriteLine(usage);
                return 0;
            }
        }
        catch (ArgumentException ex)
        {
            console.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            console.WriteLine(usage);
            return 2;
        }

        try
        {
            run(settings, console);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return 1;
        }
    }
}
