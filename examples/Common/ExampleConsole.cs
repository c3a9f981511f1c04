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
}
