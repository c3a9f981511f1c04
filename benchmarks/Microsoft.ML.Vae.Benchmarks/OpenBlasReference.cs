using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// OpenBLAS sgemm timings from a long-lived Python process (benchmarks/gemm_openblas.py, numpy float32 matmul)
/// pinned to a thread count, asked right after each of our measurements so both see the same machine load.
/// </summary>
internal sealed class OpenBlasReference : IDisposable
{
    private readonly Process _process;

    public OpenBlasReference(string python, string script, int threads)
    {
        var start = new ProcessStartInfo(python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python} {script}.");
    }

    /// <summary>(median, fastest) seconds of the product of a layer with the given form (NN, NT, TN).</summary>
    public (double Median, double Best) Measure(int batch, int inputs, int outputs, string form)
    {
        _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{batch} {inputs} {outputs} {form}"));
        _process.StandardInput.Flush();
        string reply = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException("The OpenBLAS reference process exited (is numpy installed?).");
        string[] parts = reply.Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
