using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.Tests.MlNet;

/// <summary>The shared small model's rows as ML.NET data: eight scalar columns (for Concatenate), or one vector column.</summary>
internal static class MlNetData
{
    public static readonly string[] ColumnNames = ["F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7"];

    /// <summary>Eight Single columns, a Single label (1 for every 50th row) and an Id.</summary>
    public static IDataView Columns(MLContext ml, float[][] rows) => ml.Data.LoadFromEnumerable(rows.Select((r, i) => new ColumnsRow
    {
        Id = i,
        F0 = r[0], F1 = r[1], F2 = r[2], F3 = r[3], F4 = r[4], F5 = r[5], F6 = r[6], F7 = r[7],
        Label = i % 50 == 0 ? 1f : 0f,
    }).ToArray());

    /// <summary>One known-size vector column, <c>Features</c>, and an Id.</summary>
    public static IDataView Vectors(MLContext ml, float[][] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select((r, i) => new VectorRow { Id = i, Features = r }).ToArray());

    /// <summary>Every value of a Single column, in cursor order.</summary>
    public static float[] Singles(IDataView data, string column) => data.GetColumn<float>(column).ToArray();

    /// <summary>Every value of a vector column, in cursor order.</summary>
    public static float[][] Vectors(IDataView data, string column) => data.GetColumn<float[]>(column).ToArray();

    public sealed class ColumnsRow
    {
        public int Id { get; set; }

        public float F0 { get; set; }

        public float F1 { get; set; }

        public float F2 { get; set; }

        public float F3 { get; set; }

        public float F4 { get; set; }

        public float F5 { get; set; }

        public float F6 { get; set; }

        public float F7 { get; set; }

        public float Label { get; set; }
    }

    public sealed class VectorRow
    {
        public int Id { get; set; }

        [VectorType(8)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>What a prediction engine reads back from a pipeline holding the VAE.</summary>
    public sealed class Prediction
    {
        [VectorType(2)]
        public float[] LatentMean { get; set; } = [];

        [VectorType(2)]
        public float[] LatentLogVariance { get; set; } = [];

        [VectorType(8)]
        public float[] Reconstruction { get; set; } = [];

        public float ReconstructionError { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
