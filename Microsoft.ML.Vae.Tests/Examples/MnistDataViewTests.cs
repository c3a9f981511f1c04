using Microsoft.ML.Data;
using Microsoft.ML.Vae.Tests.Data;
using VaeMl.Examples;

namespace Microsoft.ML.Vae.Tests.Examples;

[TestClass]
public sealed class MnistDataViewTests
{
    [TestMethod]
    public void TheViewHoldsTheChosenImagesAsAKnownSizeVectorWithTheirLabels()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.Write(dir.Path, side: 8, trainCount: 30, testCount: 10);
        MnistSplit split = MnistData.Load(Path.Combine(dir.Path, "train-images-idx3-ubyte"), Path.Combine(dir.Path, "train-labels-idx1-ubyte"));
        var ml = new MLContext(seed: 0);

        IDataView view = MnistDataView.Load(ml, split, digit => digit == 4 ? 0f : 1f, include: digit => digit is 3 or 4);

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 64), view.Schema["Features"].Type);
        Assert.AreEqual(NumberDataViewType.Single, view.Schema["Label"].Type);
        float[][] features = view.GetColumn<float[]>("Features").ToArray();
        float[] labels = view.GetColumn<float>("Label").ToArray();
        int[] chosen = Enumerable.Range(0, split.Count).Where(i => split.Labels[i] is 3 or 4).ToArray();
        Assert.HasCount(6, chosen, "30 images of digits 0-9 in turn");
        CollectionAssert.AreEqual(chosen.Select(i => split.Labels[i] == 4 ? 0f : 1f).ToArray(), labels);
        for (int r = 0; r < chosen.Length; r++)
        {
            CollectionAssert.AreEqual(split.Images.GetImage(chosen[r]).ToArray(), features[r]);
        }
    }
}
