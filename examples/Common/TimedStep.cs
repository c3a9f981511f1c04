using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace VaeMl.Examples;

/// <summary>Runs a step that reports no progress of its own (an ML.NET pipeline's <c>Fit</c>) under a spinner, then prints its time.</summary>
public static class TimedStep
{
    /// <summary>Runs <paramref name="step"/>, showing <paramref name="title"/> while it runs and its duration after.</summary>
    public static T Run<T>(IAnsiConsole console, string title, Func<T> step)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(step);
        var stopwatch = Stopwatch.StartNew();
        T result = console.Profile.Capabilities.Interactive
            ? console.Status().Start(Markup.Escape(title), _ => step())
            : step();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {stopwatch.Elapsed.TotalSeconds:F1} s"));
        return result;
    }
}
