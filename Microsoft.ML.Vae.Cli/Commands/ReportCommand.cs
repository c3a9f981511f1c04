using System.CommandLine;
using System.Text;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Files;
using Microsoft.ML.Vae.Cli.Reporting;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary><c>vae report</c>: an HTML page with loss curves and, given --input, the score histogram and latent scatter.</summary>
internal static class ReportCommand
{
    /// <summary>Points in the latent scatter: enough to show the shape, few enough for a light page.</summary>
    public const int LatentSampleSize = 2000;

    public static System.CommandLine.Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var input = new InputOptions(required: false);
        input.Input.Description = "Optional CSV or Parquet file to score for the histogram and the latent scatter ('-' reads CSV from standard input).";
        var output = CommonOptions.Output("HTML file to write.", "report.html");
        var features = CommonOptions.Features();
        var exclude = CommonOptions.Exclude();
        var quiet = CommonOptions.Quiet();
        var command = new System.CommandLine.Command("report", "Write an HTML report: loss curves, latent usage, score histogram with the threshold, latent scatter.")
        {
            model, input.Input, output, features, exclude, input.Delimiter, input.DecimalSeparator, input.BadRows, quiet,
        };
        context.SetAction(command, (parse, cancellationToken) =>
        {
            CommonOptions.Selection(parse, features, exclude);
            string modelPath = parse.GetRequiredValue(model);
            VaeTransformer vae = ModelFile.Load(modelPath);
            var data = new ReportData { ModelPath = modelPath, Model = vae };
            using FeatureReader? reader = parse.GetValue(input.Input) is null
                ? null
                : input.OpenFor(vae, context, parse, parse.GetValue(features), parse.GetValue(exclude), [], label: null);
            OutputFile html = OutputFile.Resolve(context, parse.GetRequiredValue(output), "--output",
                reader is null ? [NamedInput.Path("--model", modelPath)] : [NamedInput.Path("--model", modelPath), NamedInput.Of("--input", reader.Input)]);
            if (reader is not null)
            {
                (float[] scores, IReadOnlyList<(float, float, bool)> sample) = Score(context, vae, reader, parse.GetValue(quiet), cancellationToken);
                data = data with { InputPath = reader.Name, Scores = scores, LatentSample = sample };
            }

            byte[] page = Encoding.UTF8.GetBytes(ModelReport.Build(data).ToHtml());
            html.Write(stream => stream.Write(page));
            context.Out.WriteLine($"Wrote {html.Name}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every row's score, and a uniform sample of latent means (first two dimensions) with predicted labels.</summary>
    private static (float[] Scores, IReadOnlyList<(float, float, bool)> Sample) Score(
        CliContext context, VaeTransformer vae, FeatureReader reader, bool quiet, CancellationToken cancellationToken)
    {
        var scores = new List<float>();
        var sample = new List<(float, float, bool)>();
        var random = new Random(0); // a reproducible report
        long seen = 0;
        int latent = vae.LatentDimension;
        BlockByBlock.Score(context, vae, reader, quiet, cancellationToken, block =>
        {
            scores.AddRange(block.Scores.AsSpan(0, block.Rows));
            for (int r = 0; r < block.Rows; r++, seen++)
            {
                // Reservoir sampling: every row equally likely to be drawn, in bounded memory.
                var point = (block.LatentMeans[r * latent], latent > 1 ? block.LatentMeans[r * latent + 1] : 0f, block.PredictedLabels[r]);
                if (sample.Count < LatentSampleSize)
                {
                    sample.Add(point);
                }
                else if (random.NextInt64(seen + 1) is long slot && slot < LatentSampleSize)
                {
                    sample[(int)slot] = point;
                }
            }
        });
        return ([.. scores], sample);
    }
}
