using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Tests.Numerics;

[TestClass]
public sealed class GemmTests
{
    // (m, n, k): tiny, odd, the VAE layers' odd edges, k past one k block, n past one column block, Cᵀ path (n < 16).
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 2, 3), (2, 1, 5), (3, 3, 2), (5, 7, 1), (12, 32, 8), (13, 33, 9), (11, 31, 17),
        (17, 2, 40), (40, 2, 17), (2, 40, 17), (24, 2, 256), (128, 2, 33), (2, 256, 64), (64, 256, 2),
        (37, 45, 29), (25, 20, 70), (20, 400, 31), (100, 15, 60), (19, 45, 400), (7, 1100, 5), (14, 37, 781),
        (40, 20, 400), // computed as Cᵀ over two k blocks: the transposed write-back adds onto C
    ];

    public static IEnumerable<object[]> Kinds()
    {
        yield return [nameof(GemmKernelKind.Scalar)];
        if (Fma.IsSupported && Avx.IsSupported)
        {
            yield return [nameof(GemmKernelKind.Vector256)];
        }

        if (Avx512F.IsSupported)
        {
            yield return [nameof(GemmKernelKind.Vector512)];
        }
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void MatchesReferenceOnEveryShapeTransposeAndMode(string kindName)
    {
        GemmKernelKind kind = Enum.Parse<GemmKernelKind>(kindName);
        var random = new Random(12345);
        using var pool = new WorkerPool(2);
        foreach ((int m, int n, int k) in Shapes)
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        foreach (WorkerPool? p in new[] { null, pool })
                        {
                            Check(random, kind, transposeA, transposeB, m, n, k, accumulate, p);
                        }
                    }
                }
            }
        }
    }

    [TestMethod]
    public void MatchesReferenceOnRandomShapes()
    {
        var random = new Random(777);
        using var pool = new WorkerPool(2);
        for (int trial = 0; trial < 60; trial++)
        {
            int m = 1 + random.Next(trial % 3 == 0 ? 8 : 90);
            int n = 1 + random.Next(trial % 4 == 0 ? 8 : 90);
            int k = 1 + random.Next(trial % 5 == 0 ? 4 : 450);
            Check(random, GemmKernelKind.Best, random.Next(2) == 1, random.Next(2) == 1, m, n, k,
                random.Next(2) == 1, trial % 2 == 0 ? pool : null);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void ResultsAreBitIdenticalAcrossRunsAndThreadCounts(string kindName)
    {
        GemmKernelKind kind = Enum.Parse<GemmKernelKind>(kindName);
        var random = new Random(5);
        using var pool1 = new WorkerPool(1);
        using var pool2 = new WorkerPool(2);
        using var pool3 = new WorkerPool(3);
        foreach ((bool ta, bool tb, int m, int n, int k) in new[]
                 { (false, false, 128, 200, 500), (false, true, 96, 130, 400), (true, false, 150, 70, 128), (false, false, 200, 2, 300), (true, false, 150, 3, 128), (true, false, 3, 150, 128) })
        {
            float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n);
            float[] expected = new float[m * n];
            Gemm.Multiply(ta, tb, m, n, k, a, b, expected, false, null, kind);
            foreach (WorkerPool? pool in new[] { null, pool1, pool2, pool3, pool2 })
            {
                float[] c = new float[m * n];
                Gemm.Multiply(ta, tb, m, n, k, a, b, c, false, pool, kind);
                CollectionAssert.AreEqual(expected, c, $"{m}x{n}x{k} ta={ta} tb={tb} threads={pool?.ThreadCount ?? 0}");
            }
        }
    }

    [TestMethod]
    public void AllocatesNothingAfterWarmUp()
    {
        var random = new Random(3);
        using var pool = new WorkerPool(2);
        foreach ((bool ta, bool tb, int m, int n, int k) in new[]
                 { (false, false, 128, 256, 300), (false, true, 128, 300, 256), (true, false, 300, 256, 128), (false, false, 128, 2, 256) })
        {
            float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n), c = new float[m * n];
            foreach (WorkerPool? p in new[] { null, pool })
            {
                long allocated = Allocations.SteadyState(() =>
                {
                    for (int i = 0; i < 5; i++)
                    {
                        Gemm.Multiply(ta, tb, m, n, k, a, b, c, i % 2 == 0, p);
                    }
                });
                Assert.AreEqual(0L, allocated, $"{m}x{n}x{k} threads={p?.ThreadCount ?? 0}");
            }
        }
    }

    [TestMethod]
    public void ConcurrentCallersSharingAPoolGetExactResults()
    {
        // Scoring may run products from many threads over one pool: a caller that finds it busy runs inline.
        var random = new Random(9);
        const int m = 96, n = 160, k = 200;
        float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n);
        float[] expected = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, b, expected, false);
        using var pool = new WorkerPool(2);
        var mismatches = new int[4];
        var threads = new Thread[4];
        for (int t = 0; t < threads.Length; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                float[] c = new float[m * n];
                for (int i = 0; i < 25; i++)
                {
                    Gemm.Multiply(false, false, m, n, k, a, b, c, false, pool);
                    if (!c.AsSpan().SequenceEqual(expected))
                    {
                        mismatches[id]++;
                    }
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        CollectionAssert.AreEqual(new int[4], mismatches);
    }

    [TestMethod]
    public void PrepackedWeightsGiveTheSameBits()
    {
        var random = new Random(11);
        using var pool = new WorkerPool(2);
        // Edges of the blocking: n off the panel width, k over KcMax, n over NcMax, 1-4 rows (the 4×64 kernel,
        // which packs for itself), A transposed, and row blocks split over threads.
        foreach ((bool ta, int m, int n, int k) in new[]
                 { (false, 256, 784, 512), (false, 37, 100, 900), (false, 300, 1100, 70), (false, 3, 512, 784), (true, 64, 200, 300), (false, 13, 33, 1) })
        {
            float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n);
            GemmPackedB? packed = GemmPackedB.Create(b, k, n);
            Assert.IsNotNull(packed, $"{m}x{n}x{k}");
            foreach (WorkerPool? p in new[] { null, pool })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] expected = RandomMatrix(new Random(m), m * n), actual = (float[])expected.Clone();
                    Gemm.Multiply(ta, false, m, n, k, a, b, expected, accumulate, p);
                    Gemm.Multiply(ta, false, m, n, k, a, b, actual, accumulate, p, packed);
                    CollectionAssert.AreEqual(expected, actual, $"{m}x{n}x{k} transposeA={ta} threads={p?.ThreadCount ?? 0} accumulate={accumulate}");
                }
            }
        }

        Assert.IsNull(GemmPackedB.Create(new float[256 * 2], 256, 2), "a 2-wide product takes the skinny path and needs no panels");
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void EpiloguesEqualAPassAfterTheProductOnEveryPathAndThreadCount(string kindName)
    {
        GemmKernelKind kind = Enum.Parse<GemmKernelKind>(kindName);
        var random = new Random(99);
        using var pool2 = new WorkerPool(2);
        using var pool3 = new WorkerPool(3);
        // Blocks of columns, blocks of rows, Cᵀ (n narrower than a tile), the skinny path, depth 2, and no depth at all.
        foreach ((bool tb, int m, int n, int k) in new[]
                 { (false, 128, 200, 500), (true, 300, 100, 64), (false, 150, 20, 64), (false, 200, 2, 300), (true, 130, 3, 40), (false, 130, 70, 2), (false, 4, 5, 0) })
        {
            float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n), c0 = RandomMatrix(random, m * n);
            float[] bias = RandomMatrix(random, n), mask = RandomMatrix(random, m * n);
            mask[0] = 0f;
            foreach (GemmEpilogueKind epilogue in Enum.GetValues<GemmEpilogueKind>())
            {
                float[] operand = epilogue == GemmEpilogueKind.ReluMask ? mask : bias;
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] product = (float[])c0.Clone();
                    Gemm.Multiply(false, tb, m, n, k, a, b, product, accumulate, null, kind);
                    float[]? first = null;
                    foreach (WorkerPool? pool in new[] { null, pool2, pool3 })
                    {
                        string context = $"{kind} {epilogue} {m}x{n}x{k} tb={tb} acc={accumulate} threads={pool?.ThreadCount ?? 0}";
                        float[] c = (float[])c0.Clone();
                        Gemm.Multiply(false, tb, m, n, k, a, b, c, accumulate, pool, kind, null, epilogue, operand);
                        for (int i = 0; i < m * n; i++)
                        {
                            float v = product[i], expected = epilogue switch
                            {
                                GemmEpilogueKind.Bias => v + bias[i % n],
                                GemmEpilogueKind.BiasRelu => MathF.Max(v + bias[i % n], 0f),
                                GemmEpilogueKind.BiasSigmoid => (float)(1 / (1 + Math.Exp(-(v + bias[i % n])))),
                                GemmEpilogueKind.ReluMask => mask[i] > 0 ? v : 0f,
                                _ => v,
                            };
                            float tolerance = epilogue == GemmEpilogueKind.BiasSigmoid ? 3e-7f : 0f;
                            Assert.AreEqual(expected, c[i], tolerance, $"{context}: C[{i / n},{i % n}]");
                        }

                        first ??= c;
                        CollectionAssert.AreEqual(first, c, $"{context}: bits differ from one thread");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void ShallowProductsFollowTheKernelsChainExactly()
    {
        // Depth 1-4 (a decoder's first layer over a small latent space) has a path of its own on AVX-512; every kernel
        // chains acc = fma(A(i,p), B(p,j), acc) from 0 in p order, then writes acc or C + acc: the same bits are expected.
        var random = new Random(21);
        using var pool = new WorkerPool(2);
        foreach (int k in new[] { 1, 2, 3, 4 })
        {
            foreach ((int m, int n) in new[] { (1024, 256), (37, 45), (5, 16), (130, 400), (64, 33) })
            {
                float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n), c0 = RandomMatrix(random, m * n);
                foreach ((bool ta, bool tb, bool accumulate) in new[] { (false, false, false), (false, false, true), (true, false, false), (false, true, true) })
                {
                    float[] expected = (float[])c0.Clone();
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            float acc = 0f;
                            for (int p = 0; p < k; p++)
                            {
                                acc = MathF.FusedMultiplyAdd(ta ? a[(p * m) + i] : a[(i * k) + p], tb ? b[(j * k) + p] : b[(p * n) + j], acc);
                            }

                            expected[(i * n) + j] = accumulate ? expected[(i * n) + j] + acc : acc;
                        }
                    }

                    foreach (WorkerPool? p in new[] { null, pool })
                    {
                        float[] c = (float[])c0.Clone();
                        Gemm.Multiply(ta, tb, m, n, k, a, b, c, accumulate, p);
                        CollectionAssert.AreEqual(expected, c, $"{m}x{n}x{k} ta={ta} tb={tb} accumulate={accumulate} threads={p?.ThreadCount ?? 0}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void EpilogueOperandTooShortIsRejectedByName()
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(
            () => Gemm.Multiply(false, false, 2, 3, 4, new float[8], new float[12], new float[6], false, null, null, GemmEpilogueKind.ReluMask, new float[5]));
        Assert.AreEqual("epilogueOperand", error.ParamName);
        error = Assert.ThrowsExactly<ArgumentException>(
            () => Gemm.Multiply(false, false, 2, 3, 4, new float[8], new float[12], new float[6], false, null, null, GemmEpilogueKind.Bias, new float[2]));
        Assert.AreEqual("epilogueOperand", error.ParamName);
    }

    [TestMethod]
    public void ZeroDepthClearsOrKeepsC()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(false, false, 2, 2, 0, [], [], c, accumulate: true);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4 }, c);
        Gemm.Multiply(false, false, 2, 2, 0, [], [], c, accumulate: false);
        CollectionAssert.AreEqual(new float[4], c);
    }

    [TestMethod]
    public void ShortSpanIsRejectedByName()
    {
        float[] c = new float[6];
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(
            () => Gemm.Multiply(false, true, 2, 3, 4, new float[8], new float[11], c, false));
        Assert.AreEqual("b", error.ParamName);
        StringAssert.Contains(error.Message, "3×4");
    }

    private static void Check(
        Random random, GemmKernelKind kind, bool transposeA, bool transposeB, int m, int n, int k, bool accumulate,
        WorkerPool? pool)
    {
        float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n), c0 = RandomMatrix(random, m * n);
        float[] c = (float[])c0.Clone();
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate, pool, kind);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c0[i * n + j] : 0, magnitude = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[transposeA ? p * m + i : i * k + p] * b[transposeB ? j * k + p : p * n + j];
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                double error = Math.Abs(c[i * n + j] - sum);
                if (!(error <= 1e-5 * magnitude + 1e-7))
                {
                    Assert.Fail($"{kind} ta={transposeA} tb={transposeB} {m}x{n}x{k} acc={accumulate} " +
                                $"threads={pool?.ThreadCount ?? 0}: C[{i},{j}] = {c[i * n + j]}, expected {sum}");
                }
            }
        }
    }

    private static float[] RandomMatrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
