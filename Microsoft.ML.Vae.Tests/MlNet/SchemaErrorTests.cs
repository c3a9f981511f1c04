using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.Tests.MlNet;

[TestClass]
public sealed class SchemaErrorTests
{
    private static readonly MLContext Ml = new(seed: 0);

    [TestMethod]
    public void MissingFeatureColumnListsTheColumnsThatExist()
    {
        IDataView data = MlNetData.Columns(Ml, TestModels.SmallRows);
        var fit = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).Fit(data));
        StringAssert.Contains(fit.Message, "'Features' is not in the data");
        StringAssert.Contains(fit.Message, "'F0'");
        StringAssert.Contains(fit.Message, "Concatenate");

        var transform = Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Transform(data));
        StringAssert.Contains(transform.Message, "'Label'");

        var shape = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).GetOutputSchema(ShapeOf<MlNetData.ColumnsRow>()));
        StringAssert.Contains(shape.Message, "'F7'");
    }

    [TestMethod]
    public void WrongItemTypeIsNamed()
    {
        IDataView doubles = Ml.Data.LoadFromEnumerable(new[] { new DoubleRow { Features = new double[8] } });
        var e = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).Fit(doubles));
        StringAssert.Contains(e.Message, "Vector<Double, 8>");
        StringAssert.Contains(e.Message, "vector of Single");
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).GetOutputSchema(ShapeOf<DoubleRow>()));

        IDataView scalar = Ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Features = 1f } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.GetOutputSchema(scalar.Schema)).Message, "is Single");
    }

    [TestMethod]
    public void UnknownSizeVectorSaysHowToFixIt()
    {
        IDataView data = Ml.Data.LoadFromEnumerable(new[] { new UnsizedRow { Features = new float[8] } });
        var e = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).Fit(data));
        StringAssert.Contains(e.Message, "unknown size");
        StringAssert.Contains(e.Message, "Concatenate");
        StringAssert.Contains(e.Message, "[VectorType(n)]");
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).GetOutputSchema(ShapeOf<UnsizedRow>()));
    }

    [TestMethod]
    public void WrongWidthAtScoringSaysExpectedAndGot()
    {
        IDataView data = Ml.Data.LoadFromEnumerable(new[] { new WideRow { Features = new float[9] } });
        var e = Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Transform(data));
        StringAssert.Contains(e.Message, "has 9 values per row, but the model expects 8");
        Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.GetRowToRowMapper(data.Schema));
    }

    [TestMethod]
    public void NonFiniteValuesNameTheirRow()
    {
        float[][] rows = TestModels.SmallRows.Take(20).Select(r => (float[])r.Clone()).ToArray();
        rows[13][5] = float.NaN;
        IDataView data = MlNetData.Vectors(Ml, rows);
        var fit = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options()).Fit(data));
        StringAssert.Contains(fit.Message, "Row 13, column 'Features' slot 5 is NaN");

        IDataView scored = TestModels.Small.Transform(data);
        var score = Assert.ThrowsExactly<ArgumentException>(() => MlNetData.Singles(scored, "Score"));
        StringAssert.Contains(score.Message, "Row 13, column 'Features' slot 5 is NaN");
    }

    [TestMethod]
    public void EstimatorSchemaAddsTheSixColumns()
    {
        IDataView data = MlNetData.Vectors(Ml, TestModels.SmallRows);
        SchemaShape shape = Ml.Transforms.Vae(TestModels.Options() with { ScoreColumnName = "S" }).GetOutputSchema(ShapeOf<MlNetData.VectorRow>());
        string Describe(string name)
        {
            SchemaShape.Column c = shape.Single(c => c.Name == name);
            return $"{c.Kind} {c.ItemType}";
        }

        Assert.AreEqual("Vector Single", Describe("LatentMean"));
        Assert.AreEqual("Vector Single", Describe("LatentLogVariance"));
        Assert.AreEqual("Vector Single", Describe("Reconstruction"));
        Assert.AreEqual("Scalar Single", Describe("ReconstructionError"));
        Assert.AreEqual("Scalar Single", Describe("S"));
        Assert.AreEqual("Scalar Boolean", Describe("PredictedLabel"));
        Assert.AreEqual("Vector Single", Describe("Features"));
        Assert.AreEqual("Scalar Int32", Describe("Id"));
        Assert.AreEqual(8, shape.Count);
    }

    /// <summary>
    /// The shape of a data view whose rows are <typeparamref name="TRow"/>. ML.NET makes shapes from schemas internally
    /// only; a custom mapping that adds <typeparamref name="TRow"/>'s columns to an empty shape gives the same columns.
    /// </summary>
    private static SchemaShape ShapeOf<TRow>()
        where TRow : class, new() =>
        Ml.Transforms.CustomMapping<NoInput, TRow>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    public sealed class NoInput
    {
    }

    public sealed class DoubleRow
    {
        [VectorType(8)]
        public double[] Features { get; set; } = [];
    }

    public sealed class ScalarRow
    {
        public float Features { get; set; }
    }

    public sealed class UnsizedRow
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class WideRow
    {
        [VectorType(9)]
        public float[] Features { get; set; } = [];
    }
}
