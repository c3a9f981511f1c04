using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.Tests.MlNet;

/// <summary>The lazy, batched view that <see cref="VaeTransformer.Transform(IDataView)"/> returns.</summary>
[TestClass]
public sealed class CursorTests
{
    private static readonly MLContext Ml = new(seed: 0);

    private static VaeTransformer Model => TestModels.Small;

    /// <summary>Rows 0-599 (more than two blocks) cycling through the small model's rows, each with its number as Id.</summary>
    private static MlNetData.VectorRow[] Rows { get; } =
        Enumerable.Range(0, 600).Select(i => new MlNetData.VectorRow { Id = i, Features = TestModels.SmallRows[i % 400] }).ToArray();

    [TestMethod]
    public void NothingIsReadOrScoredBeforeACursorMoves()
    {
        int produced = 0;
        IEnumerable<MlNetData.VectorRow> Counted()
        {
            foreach (MlNetData.VectorRow row in Rows)
            {
                produced++;
                yield return row;
            }
        }

        IDataView data = Ml.Data.LoadFromEnumerable(Counted(), SchemaDefinition.Create(typeof(MlNetData.VectorRow)));
        IDataView scored = Model.Transform(data);
        _ = scored.Schema;
        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema);
        Assert.AreEqual(0, produced, "Transform and GetRowCursor read nothing");

        Assert.IsTrue(cursor.MoveNext());
        Assert.AreEqual(256, produced, "the first move reads one block");
        float score = 0;
        cursor.GetGetter<float>(scored.Schema["Score"])(ref score);
        Assert.AreEqual(Model.Transform([Rows[0].Features])[0].Score, score);
    }

    [TestMethod]
    public void CursorServesEveryRowWithItsPassThroughColumnsAcrossBlocks()
    {
        IDataView data = Ml.Data.LoadFromEnumerable(Rows);
        IDataView scored = Model.Transform(data);
        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema);
        var id = cursor.GetGetter<int>(scored.Schema["Id"]);
        var features = cursor.GetGetter<VBuffer<float>>(scored.Schema["Features"]);
        var score = cursor.GetGetter<float>(scored.Schema["Score"]);
        var rowId = cursor.GetIdGetter();
        VaePrediction[] expected = Model.Transform(TestModels.SmallRows);
        var seen = new HashSet<DataViewRowId>();
        int count = 0;
        while (cursor.MoveNext())
        {
            Assert.AreEqual(count, cursor.Position);
            int i = 0, r = count % 400;
            float s = 0;
            VBuffer<float> f = default;
            DataViewRowId rid = default;
            id(ref i);
            features(ref f);
            score(ref s);
            rowId(ref rid);
            Assert.AreEqual(count, i);
            CollectionAssert.AreEqual(TestModels.SmallRows[r], f.DenseValues().ToArray());
            Assert.AreEqual(expected[r].Score, s);
            Assert.IsTrue(seen.Add(rid), "row ids are unique");
            count++;
        }

        Assert.AreEqual(600, count);
        Assert.IsFalse(cursor.MoveNext());
    }

    [TestMethod]
    public void ParallelCursorsTogetherScoreEveryRowOnce()
    {
        IDataView cached = Ml.Data.Cache(Ml.Data.LoadFromEnumerable(Rows));
        Dictionary<int, long> inputBatches = BatchesById(cached);
        IDataView scored = Model.Transform(cached);
        DataViewSchema.Column[] columns = [scored.Schema["Id"], scored.Schema["Score"], scored.Schema["LatentMean"]];
        DataViewRowCursor[] cursors = scored.GetRowCursorSet(columns, 2);
        Assert.HasCount(2, cursors);
        VaePrediction[] expected = Model.Transform(TestModels.SmallRows);
        var scores = new float?[Rows.Length];
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                var id = cursor.GetGetter<int>(columns[0]);
                var score = cursor.GetGetter<float>(columns[1]);
                var mean = cursor.GetGetter<VBuffer<float>>(columns[2]);
                int i = 0;
                float s = 0;
                VBuffer<float> m = default;
                while (cursor.MoveNext())
                {
                    id(ref i);
                    score(ref s);
                    mean(ref m);
                    // ML.NET puts a cursor set's rows back in order by batch: each row keeps the batch the input gave it.
                    Assert.AreEqual(inputBatches[i], cursor.Batch, $"batch of row {i}");
                    CollectionAssert.AreEqual(expected[i % 400].LatentMean, m.DenseValues().ToArray());
                    lock (scores)
                    {
                        Assert.IsNull(scores[i], $"row {i} came twice");
                        scores[i] = s;
                    }
                }
            }
        });

        for (int i = 0; i < Rows.Length; i++)
        {
            Assert.AreEqual(expected[i % 400].Score, scores[i], $"row {i}");
        }
    }

    /// <summary>The batch each row has in a 2-cursor set over <paramref name="data"/> (the cache splits by fixed blocks).</summary>
    private static Dictionary<int, long> BatchesById(IDataView data)
    {
        var batches = new Dictionary<int, long>();
        foreach (DataViewRowCursor cursor in data.GetRowCursorSet([data.Schema["Id"]], 2))
        {
            using (cursor)
            {
                var id = cursor.GetGetter<int>(data.Schema["Id"]);
                int i = 0;
                while (cursor.MoveNext())
                {
                    id(ref i);
                    batches.Add(i, cursor.Batch);
                }
            }
        }

        Assert.IsGreaterThan(1, batches.Values.Distinct().Count(), "the input's cursors report several batches");
        return batches;
    }

    [TestMethod]
    public void ShuffledCursorScoresEachRowAsItsOwn()
    {
        IDataView scored = Model.Transform(Ml.Data.Cache(Ml.Data.LoadFromEnumerable(Rows)));
        Assert.IsTrue(scored.CanShuffle);
        using DataViewRowCursor cursor = scored.GetRowCursor([scored.Schema["Id"], scored.Schema["Score"]], new Random(3));
        var id = cursor.GetGetter<int>(scored.Schema["Id"]);
        var score = cursor.GetGetter<float>(scored.Schema["Score"]);
        VaePrediction[] expected = Model.Transform(TestModels.SmallRows);
        var order = new List<int>();
        while (cursor.MoveNext())
        {
            int i = 0;
            float s = 0;
            id(ref i);
            score(ref s);
            Assert.AreEqual(expected[i % 400].Score, s, $"row {i}");
            order.Add(i);
        }

        CollectionAssert.AreEquivalent(Enumerable.Range(0, 600).ToArray(), order);
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 600).ToArray(), order, "the rows came shuffled");
    }

    [TestMethod]
    public void OnlyRequestedColumnsAreServed()
    {
        IDataView scored = Model.Transform(Ml.Data.LoadFromEnumerable(Rows));
        using DataViewRowCursor cursor = scored.GetRowCursor([scored.Schema["PredictedLabel"]]);
        Assert.IsTrue(cursor.IsColumnActive(scored.Schema["PredictedLabel"]));
        Assert.IsFalse(cursor.IsColumnActive(scored.Schema["Score"]));
        Assert.IsFalse(cursor.IsColumnActive(scored.Schema["Id"]));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(scored.Schema["Score"]));
        var label = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(scored.Schema["PredictedLabel"]));
        StringAssert.Contains(label.Message, "Boolean");

        // The label alone still compares the (internally computed) score with the threshold.
        bool[] labels = scored.GetColumn<bool>("PredictedLabel").ToArray();
        CollectionAssert.AreEqual(Model.Transform(Rows.Select(r => r.Features).ToArray()).Select(p => p.PredictedLabel).ToArray(), labels);
    }

    [TestMethod]
    public void PassThroughOnlyCursorNeitherReadsFeaturesNorScores()
    {
        float[][] rows = Rows.Select(r => (float[])r.Features.Clone()).ToArray();
        rows[3][0] = float.NaN; // would fail scoring
        IDataView scored = Model.Transform(Ml.Data.LoadFromEnumerable(rows.Select((f, i) => new MlNetData.VectorRow { Id = i, Features = f })));
        CollectionAssert.AreEqual(Enumerable.Range(0, 600).ToArray(), scored.GetColumn<int>("Id").ToArray());
        Assert.AreEqual((long?)null, scored.GetRowCount());
    }
}
