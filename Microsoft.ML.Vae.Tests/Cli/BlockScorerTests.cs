using Microsoft.ML.Vae.Cli.Commands;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class BlockScorerTests
{
    [TestMethod]
    public void SelectTopKeepsLargestErrorsInOrder()
    {
        var index = new int[2];
        var error = new float[2];
        BlockScorer.SelectTop([0, 4, 0, 9], index, error); // squared errors of features [1, 2, 3, 4] against [1, 0, 3, 1]
        CollectionAssert.AreEqual(new[] { 3, 1 }, index);
        CollectionAssert.AreEqual(new[] { 9f, 4f }, error);
    }
}
