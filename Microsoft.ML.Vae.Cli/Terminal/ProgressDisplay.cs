using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Terminal;

/// <summary>
/// A Spectre progress bar on stderr while work runs; a no-op when stderr is not a terminal or --quiet is given,
/// so logs and pipes stay clean.
/// </summary>
internal sealed class ProgressDisplay(TextWriter stderr, bool enabled)
{
    public bool Enabled { get; } = enabled;

    /// <summary>Runs <paramref name="work"/>, which reports (value out of <paramref name="maxValue"/>, optional status text).</summary>
    public T Run<T>(string title, double maxValue, Func<Action<double, string?>, T> work)
    {
        if (!Enabled)
        {
            return work(static (_, _) => { });
        }

        return TerminalFactory.Live(stderr).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: maxValue);
                T result = work((value, status) =>
                {
                    task.Value = Math.Min(value, maxValue);
                    if (status is not null)
                    {
                        task.Description = Markup.Escape($"{title} {status}");
                    }
                });
                task.Value = maxValue;
                return result;
            });
    }
}
