using VaeMl.Examples;

namespace Microsoft.ML.Vae.Tests.Examples;

[TestClass]
public sealed class ExampleMetricsTests
{
    [TestMethod]
    public void ClusterAgreement_IsOneForRelabelledPerfectClustering()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        int[] predicted = [5, 5, 3, 3, 9, 9];

        Assert.AreEqual(1.0, ClusterAgreement.NormalizedMutualInformation(truth, predicted), 1e-12);
        Assert.AreEqual(1.0, ClusterAgreement.AdjustedRandIndex(truth, predicted), 1e-12);
    }

    [TestMethod]
    public void ClusterAgreement_MatchesReferenceValues()
    {
        // scikit-learn: adjusted_rand_score = 0.24242..., normalized_mutual_info_score = 0.51580... (arithmetic normalization)
        int[] truth = [0, 0, 0, 1, 1, 1];
        int[] predicted = [0, 0, 1, 1, 2, 2];

        Assert.AreEqual(0.242424, ClusterAgreement.AdjustedRandIndex(truth, predicted), 1e-5);
        Assert.AreEqual(0.515804, ClusterAgreement.NormalizedMutualInformation(truth, predicted), 1e-5);
    }

    [TestMethod]
    public void KMeans_FindsWellSeparatedBlobs()
    {
        var random = new Random(3);
        var points = new List<float>();
        var truth = new List<int>();
        for (int i = 0; i < 90; i++)
        {
            int blob = i % 3;
            points.Add((blob * 10) + (float)random.NextDouble());
            points.Add((blob * -7) + (float)random.NextDouble());
            truth.Add(blob);
        }

        var (assignments, inertia) = KMeans.Cluster(points.ToArray(), 2, 3, seed: 1, restarts: 3);

        Assert.AreEqual(1.0, ClusterAgreement.AdjustedRandIndex(truth.ToArray(), assignments), 1e-12);
        Assert.IsLessThan(90 * 0.5, inertia);
    }

    [TestMethod]
    public void Pca_RecoversTheDominantDirection()
    {
        // Points along (3, 4)/5 with small noise on the perpendicular direction.
        var random = new Random(4);
        var rows = new List<float>();
        for (int i = 0; i < 200; i++)
        {
            double t = (random.NextDouble() * 10) - 5, noise = (random.NextDouble() - 0.5) * 0.1;
            rows.Add((float)((0.6 * t) - (0.8 * noise) + 1));
            rows.Add((float)((0.8 * t) + (0.6 * noise) - 2));
        }

        var pca = Pca.Fit(rows.ToArray(), 2, 1);
        float[] projected = pca.Transform([1f + 3f, -2f + 4f]);   // mean + 5 * direction

        Assert.AreEqual(5.0, Math.Abs(projected[0]), 0.05);
        Assert.IsGreaterThan(100 * pca.ExplainedVariance[0], 8.0 * 100);
    }

    [TestMethod]
    public void ExampleArguments_ParsesAndRejects()
    {
        var flags = new ExampleArguments(["--epochs", "3", "--digits=1,2"], "--epochs", "--digits");

        Assert.AreEqual(3, flags.GetInt("--epochs", 10));
        CollectionAssert.AreEqual(new[] { 1, 2 }, flags.GetInts("--digits", []));
        Assert.AreEqual(7, flags.GetInt("--latent", 7));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => flags.GetInt("--digits", 1)).Message, "--digits");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ExampleArguments(["--epochs"], "--epochs")).Message, "needs a value");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ExampleArguments(["stray"], "--epochs")).Message, "stray");
    }
}
