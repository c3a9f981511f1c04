namespace Microsoft.ML.Vae.Cli.Terminal;

/// <summary>
/// Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool and can
/// deliver after the work has finished).
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
