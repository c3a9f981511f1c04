using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using Microsoft.ML.Vae;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;
using nietras.SeparatedValues;

// The CLI scale benchmark's helpers (benchmarks/cli-scale.sh drives them and the vae command):
//   generate <file.csv> <rows> <features> [seed]   synthetic correlated data with an id column
//   batch <model.vae> <rows>                         in-memory batch API rows/s (the score command's reference)
//   parse <file.csv> [cli|csvhelper|sep]             parse-only rows/s of the CLI's reader (CsvHelper plus its own number
//                                                    parsing, bad-row checks and key columns), or of bare CsvHelper
//                                                    Parse<float> or bare Sep Parse<float> (peers)
//   numbers <file.csv>                               ns/field of NumberParser.TryParse alone over the feature fields (all
//                                                    but the first column, split once in memory), 5 rounds and the median;
//                                                    run with DOTNET_TieredCompilation=0 to compile as vae does
//   format <rows>                                    rows/s of formatting score rows (an id and three floats) as CSV
//   format-floats <count>                            ns/float of FloatFormatter alone on score-like values (errors in
//                                                    [0, 0.1) and signed latent means down to 1e-5)
//   format-check [lo hi]                             FloatFormatter against the BCL on every float whose biased exponent is
//                                                    in [lo, hi] (default 0..255: every float)
//   to-parquet <file.csv> <file.parquet> <rows>      the CSV's id and features as Parquet, in row groups of <rows>
return args switch
{
    ["generate", string path, string rows, string features, ..] => Generate(path, long.Parse(rows, CultureInfo.InvariantCulture),
        int.Parse(features, CultureInfo.InvariantCulture), args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1),
    ["batch", string model, string rows] => Batch(model, long.Parse(rows, CultureInfo.InvariantCulture)),
    ["parse", string path, "sep"] => ParseWithSep(path),
    ["parse", string path, ..] => args.Length > 2 && args[2].StartsWith("csvhelper", StringComparison.Ordinal) ? ParseWithCsvHelper(path, args[2] == "csvhelper-try") : ParseWithCliReader(path),
    ["numbers", string path] => Numbers(path),
    ["format", string rows] => Format(long.Parse(rows, CultureInfo.InvariantCulture)),
    ["format-floats", string count] => FormatFloats(long.Parse(count, CultureInfo.InvariantCulture)),
    ["format-check"] => FormatCheck(0, 255),
    ["format-check", string lo, string hi] => FormatCheck(int.Parse(lo, CultureInfo.InvariantCulture), int.Parse(hi, CultureInfo.InvariantCulture)),
    ["to-parquet", string csv, string parquet, string groupRows] => ToParquet(csv, parquet, int.Parse(groupRows, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CliScale generate <file.csv> <rows> <features> [seed] | batch <model.vae> <rows> | parse <file.csv> [cli|csvhelper|sep]"
        + " | numbers <file.csv> | format <rows> | format-floats <count> | format-check [lo hi] | to-parquet <file.csv> <file.parquet> <rows>");
    return 1;
}

// Rows from a few latent factors plus noise, so a VAE has structure to learn; 4 decimals like typical exports.
static void FillRow(ref ulong state, Span<float> row, float[] loadings, int factors)
{
    Span<float> z = stackalloc float[factors];
    for (int k = 0; k < factors; k++)
    {
        z[k] = Gaussian(ref state);
    }

    for (int j = 0; j < row.Length; j++)
    {
        float v = 0.1f * Gaussian(ref state);
        for (int k = 0; k < factors; k++)
        {
            v += loadings[j * factors + k] * z[k];
        }

        row[j] = v;
    }
}

static float Gaussian(ref ulong state)
{
    // Sum of four uniforms, centred and scaled: cheap and bell-shaped enough for synthetic data.
    float sum = 0;
    for (int i = 0; i < 4; i++)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        sum += (state >> 40) * (1f / (1 << 24));
    }

    return (sum - 2f) * 1.7320508f;
}

static float[] Loadings(int features, int factors, ulong seed)
{
    ulong state = seed * 0x9E3779B97F4A7C15UL + 1;
    var loadings = new float[features * factors];
    for (int i = 0; i < loadings.Length; i++)
    {
        loadings[i] = Gaussian(ref state) * 0.5f;
    }

    return loadings;
}

static int Generate(string path, long rows, int features, int seed)
{
    const int Factors = 3;
    float[] loadings = Loadings(features, Factors, 42);
    ulong state = (ulong)seed * 0x9E3779B97F4A7C15UL + 7;
    var clock = Stopwatch.StartNew();
    using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
    writer.Write("id");
    for (int j = 0; j < features; j++)
    {
        writer.Write($",f{j}");
    }

    writer.Write('\n');
    var row = new float[features];
    var line = new char[features * 16 + 32];
    for (long r = 0; r < rows; r++)
    {
        FillRow(ref state, row, loadings, Factors);
        r.TryFormat(line, out int n, default, CultureInfo.InvariantCulture);
        foreach (float v in row)
        {
            line[n++] = ',';
            v.TryFormat(line.AsSpan(n), out int w, "F4", CultureInfo.InvariantCulture);
            n += w;
        }

        line[n++] = '\n';
        writer.Write(line, 0, n);
    }

    Console.WriteLine($"generated {rows} rows x {features} features -> {path} ({new FileInfo(path).Length / 1e6:F0} MB) in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}

static int Batch(string modelPath, long rows)
{
    const int Block = 8192; // the score command's default block
    VaeTransformer model = VaeTransformer.Load(modelPath);
    int f = model.FeatureCount, l = model.LatentDimension;
    float[] loadings = Loadings(f, 3, 42);
    ulong state = 99;
    var features = new float[Block * f];
    for (int r = 0; r < Block; r++)
    {
        FillRow(ref state, features.AsSpan(r * f, f), loadings, 3);
    }

    var latent = new float[Block * l];
    var error = new float[Block];
    var score = new float[Block];
    var label = new bool[Block];
    // Warm-up for a second: under tiered compilation the first million rows or so run on code compiled quickly and
    // then instrumented, about half as fast as the final code, which would flatter the tool's ratio to this reference.
    for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 1;)
    {
        model.Transform(features, latent, default, default, error, score, label);
    }

    var clock = Stopwatch.StartNew();
    long done = 0;
    while (done < rows)
    {
        model.Transform(features, latent, default, default, error, score, label);
        done += Block;
    }

    double perSecond = done / clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch API: {done} rows in {clock.Elapsed.TotalSeconds:F2} s = {perSecond:F0} rows/s"));
    return 0;
}

static int ParseWithCliReader(string path)
{
    var clock = Stopwatch.StartNew();
    using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection { Keys = ["id"] }, BadRowPolicy.Fail);
    var block = new float[8192 * reader.FeatureCount];
    double checksum = 0;
    while (reader.ReadBlock(block) is int rows and > 0)
    {
        for (int r = 0; r < rows; r++)
        {
            checksum += block[r * reader.FeatureCount];
        }
    }

    Report("vae CsvFeatureReader", reader.RowCount, clock.Elapsed, checksum);
    return 0;
}

static int ParseWithCsvHelper(string path, bool tryParse)
{
    // Bare CsvHelper 34 (UTF-8, floats parsed from bytes): the ceiling for the CLI's reader.
    var clock = Stopwatch.StartNew();
    using CsvReader csv = CsvReader.FromFile(path, new CsvReaderOptions { Separator = ',', TrackLineNumbers = true }, FileOptions.SequentialScan);
    float[]? row = null;
    long rows = 0;
    double checksum = 0;
    while (csv.Read())
    {
        row ??= new float[csv.FieldCount - 1];
        _ = csv.GetSpan(0); // the id, kept as text like --keep id
        for (int j = 1; j <= row.Length; j++)
        {
            if (tryParse)
            {
                csv.TryParse(j, out row[j - 1]);
            }
            else
            {
                row[j - 1] = csv.Parse<float>(j);
            }
        }

        checksum += row[0];
        rows++;
    }

    Report("CsvHelper", rows, clock.Elapsed, checksum);
    return 0;
}

static int ParseWithSep(string path)
{
    // Bare Sep (UTF-16 after decoding, floats parsed by its csFastFloat): the ceiling for the CLI's reader.
    var clock = Stopwatch.StartNew();
    using SepReader csv = Sep.Reader(o => o with { Sep = new Sep(','), HasHeader = true }).FromFile(path);
    float[]? row = null;
    long rows = 0;
    double checksum = 0;
    foreach (SepReader.Row record in csv)
    {
        row ??= new float[record.ColCount - 1];
        _ = record[0].Span; // the id, kept as text like --keep id
        for (int j = 1; j <= row.Length; j++)
        {
            row[j - 1] = record[j].Parse<float>();
        }

        checksum += row[0];
        rows++;
    }

    Report("Sep", rows, clock.Elapsed, checksum);
    return 0;
}

static int Numbers(string path)
{
    // The feature fields (the id column skipped), split once on ',' and '\n' into one byte array and end offsets, then
    // NumberParser.TryParse alone over all of them ('.' as decimal separator): the per-field cost of the CLI's number parsing.
    byte[] text = File.ReadAllBytes(path);
    var bytes = new byte[text.Length];
    var ends = new List<int>();
    int length = 0, column = 0;
    for (int i = Array.IndexOf(text, (byte)'\n') + 1; i < text.Length; i++)
    {
        byte b = text[i];
        if (b is (byte)',' or (byte)'\n')
        {
            if (column > 0)
            {
                ends.Add(length);
            }

            column = b == (byte)'\n' ? 0 : column + 1;
        }
        else if (column > 0)
        {
            bytes[length++] = b;
        }
    }

    int[] fieldEnds = [.. ends];
    const int Block = 8192;
    var times = new double[5];
    (long checksum, long refused) = (0, 0);
    for (int round = -1; round < times.Length; round++) // round -1 warms up (and lets tiered compilation settle)
    {
        var clock = Stopwatch.StartNew();
        (checksum, refused) = (0, 0);
        for (int first = 0; first < fieldEnds.Length; first += Block)
        {
            (long sum, long bad) = ParseBlock(bytes, fieldEnds, first, Math.Min(first + Block, fieldEnds.Length));
            (checksum, refused) = (checksum + sum, refused + bad);
        }

        double ns = clock.Elapsed.TotalNanoseconds / fieldEnds.Length;
        if (round >= 0)
        {
            times[round] = ns;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"numbers round {round + 1}: {ns:F2} ns/field"));
        }
    }

    Array.Sort(times);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"numbers: {fieldEnds.Length} fields, median {times[times.Length / 2]:F2} ns/field (min {times[0]:F2}), {refused} refused, bits checksum {checksum:X16}"));
    return 0;

    // Compiled optimized at once and not inlined into the caller, as vae (built without tiered compilation) compiles its
    // reader. The checksum adds the floats' bits: cheap, and a value changed in any bit changes it.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static (long Checksum, long Refused) ParseBlock(byte[] bytes, int[] ends, int first, int last)
    {
        long checksum = 0, refused = 0;
        int from = first == 0 ? 0 : ends[first - 1];
        for (int f = first; f < last; f++)
        {
            int end = ends[f];
            if (NumberParser.TryParse(bytes.AsSpan(from, end - from), '.', out float value))
            {
                checksum += BitConverter.SingleToInt32Bits(value);
            }
            else
            {
                refused++;
            }

            from = end;
        }

        return (checksum, refused);
    }
}

static int Format(long rows)
{
    var clock = Stopwatch.StartNew();
    using var writer = new CsvOutputWriter(Stream.Null, gzip: false);
    var random = new Random(1);
    float[] values = [.. Enumerable.Range(0, 4096).Select(_ => (float)(random.NextDouble() * 0.1))];
    for (long r = 0; r < rows; r++)
    {
        writer.Write(r.ToString(CultureInfo.InvariantCulture).AsSpan());
        int start = writer.Write(values[r & 4095]);
        int length = writer.Position - start;
        writer.Write(false);
        writer.WriteCopy(start, length);
        writer.Write(values[(r + 1) & 4095]);
        writer.Write(values[(r + 2) & 4095]);
        writer.EndRow();
    }

    writer.Complete();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"format: {rows} rows in {clock.Elapsed.TotalSeconds:F2} s = {rows / clock.Elapsed.TotalSeconds:F0} rows/s"));
    return 0;
}

static int FormatFloats(long count)
{
    // Half reconstruction errors like the format mode's, half latent means (signed, 1e-5 to 1: fixed and E-05 forms).
    var random = new Random(1);
    float[] values = [.. Enumerable.Range(0, 4096).Select(i => i % 2 == 0
        ? (float)(random.NextDouble() * 0.1)
        : (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, -5 * random.NextDouble())))];
    Span<byte> buffer = stackalloc byte[FloatFormatter.MaxLength];
    long bytes = 0;
    for (int i = 0; i < 1 << 20; i++)
    {
        bytes += FloatFormatter.Format(values[i & 4095], buffer); // warm-up (tiered JIT)
    }

    var clock = Stopwatch.StartNew();
    for (long i = 0; i < count; i++)
    {
        bytes += FloatFormatter.Format(values[i & 4095], buffer);
    }

    double ns = clock.Elapsed.TotalNanoseconds / count;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"format-floats: {count} floats in {clock.Elapsed.TotalSeconds:F2} s = {ns:F1} ns/float ({bytes} bytes)"));
    return 0;
}

static int FormatCheck(int lowExponent, int highExponent)
{
    // Exhaustive: both signs and every mantissa of each biased exponent, byte for byte.
    var clock = Stopwatch.StartNew();
    long values = 0, mismatches = 0;
    var gate = new object();
    Parallel.For(lowExponent, highExponent + 1, exponent =>
    {
        Span<byte> ours = stackalloc byte[FloatFormatter.MaxLength];
        Span<byte> bcl = stackalloc byte[FloatFormatter.MaxLength];
        long count = 0, wrong = 0;
        for (uint bits = (uint)exponent << 23; bits < ((uint)exponent + 1) << 23; bits++)
        {
            foreach (uint sign in (ReadOnlySpan<uint>)[0u, 1u << 31])
            {
                float value = BitConverter.UInt32BitsToSingle(bits | sign);
                int length = FloatFormatter.Format(value, ours);
                value.TryFormat(bcl, out int expected, default, CultureInfo.InvariantCulture);
                if (!ours[..length].SequenceEqual(bcl[..expected]) && ++wrong <= 3)
                {
                    lock (gate)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mismatch: {value:R} (bits {bits | sign:X8}) wrote {Encoding.UTF8.GetString(ours[..length])}"));
                    }
                }

                count++;
            }
        }

        lock (gate)
        {
            values += count;
            mismatches += wrong;
        }
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"format-check: exponents {lowExponent}..{highExponent}, {values} values, {mismatches} mismatches, {clock.Elapsed.TotalSeconds:F0} s"));
    return mismatches == 0 ? 0 : 1;
}

static int ToParquet(string csvPath, string parquetPath, int groupRows)
{
    // The CSV's id as a long and its features as floats, in row groups of groupRows rows.
    var clock = Stopwatch.StartNew();
    using CsvFeatureReader reader = CsvFeatureReader.Open(csvPath, null, new ColumnSelection { Keys = ["id"] }, BadRowPolicy.Fail);
    int width = reader.FeatureCount;
    var id = new Parquet.Schema.DataField<long>("id");
    Parquet.Schema.DataField<float>[] features = [.. reader.FeatureNames.Select(n => new Parquet.Schema.DataField<float>(n))];
    var schema = new Parquet.Schema.ParquetSchema([id, .. features]);
    using FileStream file = File.Create(parquetPath);
    Parquet.ParquetWriter writer = Parquet.ParquetWriter.CreateAsync(schema, file).GetAwaiter().GetResult();
    var block = new float[groupRows * width];
    var ids = new long[groupRows];
    var column = new float[groupRows];
    long rows = 0;
    while (reader.ReadBlock(block) is int n and > 0)
    {
        for (int r = 0; r < n; r++)
        {
            ids[r] = long.Parse(reader.Keys.Get(r, 0), CultureInfo.InvariantCulture);
        }

        using Parquet.ParquetRowGroupWriter group = writer.CreateRowGroup();
        group.WriteAsync(id, new ReadOnlyMemory<long>(ids, 0, n)).GetAwaiter().GetResult();
        for (int j = 0; j < width; j++)
        {
            for (int r = 0; r < n; r++)
            {
                column[r] = block[r * width + j];
            }

            group.WriteAsync(features[j], new ReadOnlyMemory<float>(column, 0, n)).GetAwaiter().GetResult();
        }

        rows += n;
    }

    writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    Console.WriteLine($"wrote {rows} rows in row groups of {groupRows} -> {parquetPath} ({new FileInfo(parquetPath).Length / 1e6:F0} MB) in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}

static void Report(string name, long rows, TimeSpan elapsed, double checksum) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"parse ({name}): {rows} rows in {elapsed.TotalSeconds:F2} s = {rows / elapsed.TotalSeconds:F0} rows/s (checksum {checksum:G6})"));
