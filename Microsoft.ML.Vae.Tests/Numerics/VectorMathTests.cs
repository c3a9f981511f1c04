using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Tests.Numerics;

[TestClass]
public sealed class VectorMathTests
{
    private static float[] Grid(float from, float to, int count) =>
        Enumerable.Range(0, count).Select(i => from + ((to - from) * i / (count - 1))).ToArray();

    [TestMethod]
    public void BinaryCrossEntropyAndGradientMatchDoublePrecision()
    {
        float[] l = Grid(-30f, 30f, 1203);
        var random = new Random(5);
        float[] x = l.Select(_ => (float)random.NextDouble()).ToArray();
        var gradient = new float[l.Length];
        double sum = VectorMath.BinaryCrossEntropy(l, x, gradient, 0.5f);

        double expected = 0;
        for (int i = 0; i < l.Length; i++)
        {
            double li = l[i];
            expected += Math.Max(li, 0) - (li * x[i]) + Math.Log(1 + Math.Exp(-Math.Abs(li)));
            double sigmoid = 1.0 / (1.0 + Math.Exp(-li));
            Assert.AreEqual((sigmoid - x[i]) * 0.5, gradient[i], 3e-7, $"gradient at {l[i]}");
        }

        Assert.AreEqual(expected, sum, 1e-6 * expected);
        Assert.AreEqual(expected, VectorMath.BinaryCrossEntropy(l, x, default, 0.5f), 1e-6 * expected);
    }

    [TestMethod]
    public void ExpAndLog1pAreAccurateOverTheirDomains()
    {
        float[] t = Grid(-87f, 0f, 2000);
        float[] e = Grid(0f, 1f, 2000);
        for (int i = 0; i + System.Numerics.Vector<float>.Count <= t.Length; i += System.Numerics.Vector<float>.Count)
        {
            var exp = VectorMath.ExpNonPositive(new System.Numerics.Vector<float>(t, i));
            var log = VectorMath.Log1pUnit(new System.Numerics.Vector<float>(e, i));
            for (int j = 0; j < System.Numerics.Vector<float>.Count; j++)
            {
                double expectedExp = Math.Exp(t[i + j]);
                Assert.AreEqual(expectedExp, exp[j], 3e-7 * expectedExp, $"exp({t[i + j]})");
                double expectedLog = Math.Log(1 + (double)e[i + j]);
                Assert.AreEqual(expectedLog, log[j], (3e-7 * expectedLog) + 1e-12, $"log1p({e[i + j]})");
            }
        }
    }
}
