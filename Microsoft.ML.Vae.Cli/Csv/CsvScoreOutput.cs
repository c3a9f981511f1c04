using Microsoft.ML.Vae.Cli.Commands;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Score rows as CSV: each block is formatted on the scorer thread that scored it (into the block's own buffer), and
/// only its bytes are written in order, so formatting runs on every core instead of the one writer thread.
/// </summary>
internal sealed class CsvScoreOutput : ScoreOutput
{
    private readonly CsvOutputWriter _writer;
    private readonly ScoreColumns _columns;

    /// <summary>Writes to <paramref name="stream"/> (left open), through gzip when <paramref name="gzip"/>; the header goes first.</summary>
    public CsvScoreOutput(Stream stream, bool gzip, ScoreColumns columns)
    {
        _writer = new CsvOutputWriter(stream, gzip);
        _columns = columns;
        foreach (string name in columns.Names)
        {
            _writer.Write(name);
        }

        _writer.EndRow();
    }

    public override void Prepare(ScoreBlock block)
    {
        CsvOutputWriter text = block.Text ??= new CsvOutputWriter();
        text.Clear();
        int keys = block.Keys.ColumnCount;
        int latent = _columns.LatentDimension;
        for (int r = 0; r < block.Rows; r++)
        {
            for (int k = 0; k < keys; k++)
            {
                text.Write(block.Keys.Get(r, k));
            }

            int scoreStart = text.Write(block.Scores[r]);
            int scoreLength = text.Position - scoreStart;
            text.Write(block.PredictedLabels[r]);
            if (block.ReconstructionErrors[r].Equals(block.Scores[r]))
            {
                text.WriteCopy(scoreStart, scoreLength); // Score is the reconstruction error: format it once
            }
            else
            {
                text.Write(block.ReconstructionErrors[r]);
            }

            foreach (float m in block.LatentMeans.AsSpan(r * latent, latent))
            {
                text.Write(m);
            }

            for (int i = 0; i < block.TopFeatureCount; i++)
            {
                (int feature, float error) = block.TopFeature(r, i);
                text.Write(_columns.FeatureNames[feature]);
                text.Write(error);
            }

            text.EndRow();
        }
    }

    public override void Write(ScoreBlock block) => _writer.WriteRows(block.Text!.Buffered);

    public override void Complete() => _writer.Complete();

    public override void Dispose() => _writer.Dispose();
}
