using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Terminal;

/// <summary>Spectre consoles over arbitrary writers (stdout, stderr, or a test's StringWriter).</summary>
internal static class TerminalFactory
{
    /// <summary>No colours, no cursor moves: output that reads the same in a file as on screen.</summary>
    public static IAnsiConsole Plain(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(writer),
    });

    /// <summary>A live terminal (progress bars redraw in place).</summary>
    public static IAnsiConsole Live(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(writer),
    });
}
