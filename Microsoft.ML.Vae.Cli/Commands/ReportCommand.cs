using System.CommandLine;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;
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
        var input = CommonOptions.Input(required: false);
        input.Description = "Optional CSV to score for the histogram and the latent scatter.";
        var output = CommonOptions.Output("HTML file to write.", "report.html");
        var features = CommonOptions.Features();
        var exclude = CommonOptions.Exclude();
        var delimiter = CommonOptions.Delimiter();
        var badRows = CommonOptions.BadRows();
        var quiet = CommonOptions.Quiet();
        var command = new System.CommandLine.Command("report", "Write an HTML report: loss curves, score histogram with the threshold, latent scatter.")
        {
            model, input, output, features, exclude, delimiter, badRows, quiet,
        };
        context.SetAction(command, (parse, cancellationToken) =>
        {
            CommonOptions.Selection(parse, features, exclude);
            string modelPath = parse.GetRequiredValue(model);
            VaeTransformer vae = ModelFile.Load(modelPath);
            var data = new ReportData { ModelPath = modelPath, Model = vae };
            string? inputPath = parse.GetValue(input);
            if (inputPath is not null)
            {
                using CsvFeatureReader reader = ScoreCommand.OpenInput(vae, inputPath, parse.GetValue(features), parse.GetValue(exclude), [], null,
                    DelimiterOption.Parse(parse.GetValue(delimiter)), parse.GetBadRows(badRows));
                var scorer = new BlockScorer(vae, ScoreCommand.DefaultBlockRows, topFeatures: 0);
                ScoreBlock block = scorer.CreateBlock();
                var scores = new List<float>();
                var sample = new List<(float, float, bool)>();
                var random = new Random(0); // a reproducible report
                long seen = 0;
                context.Progress(parse.GetValue(quiet)).Run($"Scoring {Path.GetFileName(inputPath)}", 1, report =>
                {
                    int latent = scorer.LatentDimension;
                    while (block.ReadFrom(reader) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        scorer.Score(block);
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

                        report(reader.Fraction, null);
                    }

                    return 0;
                });
                ScoreCommand.ReportSkipped(context, reader);
                data = data with { InputPath = inputPath, Scores = scores.ToArray(), LatentSample = sample };
            }

            string path = parse.GetRequiredValue(output);
            byte[] html = Encoding.UTF8.GetBytes(ModelReport.Build(data).ToHtml());
            OutputFile.Write(path, stream => stream.Write(html));

            context.Out.WriteLine($"Wrote {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
