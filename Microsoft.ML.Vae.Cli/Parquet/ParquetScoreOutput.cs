using Microsoft.ML.Vae.Cli.Commands;
using global::Parquet;
using global::Parquet.Schema;

namespace Microsoft.ML.Vae.Cli.Parquet;

/// <summary>
/// Score rows as a Parquet file: key and top-feature columns as strings, Score, ReconstructionError, the latent means
/// and the top-feature errors as floats, PredictedLabel as a boolean. Rows are gathered into row groups of
/// <see cref="RowGroupRows"/> and each is written when full, so memory stays at one row group whatever the input size.
/// </summary>
internal sealed class ParquetScoreOutput : ScoreOutput
{
    /// <summary>Rows per row group: large enough for fast column reads, small enough to keep memory flat (a few MB).</summary>
    public const int RowGroupRows = 1 << 16;

    /// <summary>
    /// Small buffer pools (as for reading), and dictionary encoding decided on a sample: by default Parquet.Net scans a
    /// whole string column into a dictionary first, which for unique keys (ids) held several times the row group.
    /// </summary>
    private static readonly ParquetOptions Options = new()
    {
        MaximumSmallPoolFreeBytes = ParquetFeatureReader.SmallPoolFreeBytes,
        MaximumLargePoolFreeBytes = ParquetFeatureReader.LargePoolFreeBytes,
        DictionaryEncodingSampleSize = 4096,
    };

    private readonly ParquetWriter _writer;
    private readonly ScoreColumns _columns;
    private readonly DataField[] _fields;
    private readonly ReadOnlyMemory<char>[][] _keys;
    private char[] _keyText = new char[1 << 16];
    private int _keyLength;
    private readonly float[] _scores = new float[RowGroupRows];
    private readonly bool[] _labels = new bool[RowGroupRows];
    private readonly float[] _errors = new float[RowGroupRows];
    private readonly float[][] _latent;
    private readonly ReadOnlyMemory<char>[][] _topNames;
    private readonly float[][] _topErrors;
    private int _rows;

    /// <summary>Writes to <paramref name="stream"/> (left open); the file is complete after <see cref="Complete"/>.</summary>
    public ParquetScoreOutput(Stream stream, ScoreColumns columns)
    {
        _columns = columns;
        var fields = new List<DataField>();
        fields.AddRange(columns.Keys.Select(k => new DataField<string>(k, false)));
        fields.Add(new DataField<float>("Score"));
        fields.Add(new DataField<bool>("PredictedLabel"));
        fields.Add(new DataField<float>("ReconstructionError"));
        fields.AddRange(columns.LatentNames.Select(n => new DataField<float>(n)));
        foreach ((string feature, string error) in columns.TopFeatureNames)
        {
            fields.Add(new DataField<string>(feature, false));
            fields.Add(new DataField<float>(error));
        }

        _fields = [.. fields];
        _keys = [.. columns.Keys.Select(_ => new ReadOnlyMemory<char>[RowGroupRows])];
        _latent = [.. Enumerable.Range(0, columns.LatentDimension).Select(_ => new float[RowGroupRows])];
        _topNames = [.. Enumerable.Range(0, columns.TopFeatures).Select(_ => new ReadOnlyMemory<char>[RowGroupRows])];
        _topErrors = [.. Enumerable.Range(0, columns.TopFeatures).Select(_ => new float[RowGroupRows])];
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), stream, Options).GetAwaiter().GetResult();
    }

    public override void Write(ScoreBlock block)
    {
        int latent = _columns.LatentDimension;
        for (int r = 0; r < block.Rows; r++)
        {
            if (_rows == RowGroupRows)
            {
                WriteRowGroup();
            }

            for (int k = 0; k < _keys.Length; k++)
            {
                _keys[k][_rows] = KeepText(block.Keys.Get(r, k));
            }

            _scores[_rows] = block.Scores[r];
            _labels[_rows] = block.PredictedLabels[r];
            _errors[_rows] = block.ReconstructionErrors[r];
            for (int i = 0; i < latent; i++)
            {
                _latent[i][_rows] = block.LatentMeans[r * latent + i];
            }

            for (int i = 0; i < block.TopFeatureCount; i++)
            {
                (int feature, float error) = block.TopFeature(r, i);
                _topNames[i][_rows] = _columns.FeatureNames[feature].AsMemory();
                _topErrors[i][_rows] = error;
            }

            _rows++;
        }
    }

    public override void Complete()
    {
        if (_rows > 0)
        {
            WriteRowGroup();
        }

        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult(); // writes the footer
    }

    private void WriteRowGroup()
    {
        int n = _rows;
        int f = 0;
        using (ParquetRowGroupWriter group = _writer.CreateRowGroup())
        {
            foreach (ReadOnlyMemory<char>[] key in _keys)
            {
                Write(group, _fields[f++], key, n);
            }

            Write(group, _fields[f++], _scores, n);
            Write(group, _fields[f++], _labels, n);
            Write(group, _fields[f++], _errors, n);
            foreach (float[] mean in _latent)
            {
                Write(group, _fields[f++], mean, n);
            }

            for (int i = 0; i < _topNames.Length; i++)
            {
                Write(group, _fields[f++], _topNames[i], n);
                Write(group, _fields[f++], _topErrors[i], n);
            }

            group.CompleteValidate();
        }

        _rows = 0;
        _keyLength = 0;
    }

    private static void Write<T>(ParquetRowGroupWriter group, DataField field, T[] values, int rows) where T : struct =>
        group.WriteAsync(field, new ReadOnlyMemory<T>(values, 0, rows)).GetAwaiter().GetResult();

    /// <summary>
    /// Copies a key into the row group's one text buffer: a string per row would live until the row group is written,
    /// long enough to reach the GC's oldest generation, and pile up there between full collections.
    /// </summary>
    private ReadOnlyMemory<char> KeepText(ReadOnlySpan<char> text)
    {
        if (_keyLength + text.Length > _keyText.Length)
        {
            // Earlier keys of this row group keep pointing into the old buffer, which stays alive through them.
            _keyText = new char[Math.Max(_keyText.Length * 2, text.Length)];
            _keyLength = 0;
        }

        text.CopyTo(_keyText.AsSpan(_keyLength));
        var kept = new ReadOnlyMemory<char>(_keyText, _keyLength, text.Length);
        _keyLength += text.Length;
        return kept;
    }
}
