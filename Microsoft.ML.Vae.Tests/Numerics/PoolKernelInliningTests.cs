using System.Reflection;
using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Numerics;

/// <summary>
/// The vector loops that pool threads run must stay methods of their own: with dynamic PGO the JIT inlined Adam's
/// update into the pool's trampoline and, out of inlining budget, left its vector operations as calls (2.6x slower
/// on the worker thread only). Guards the attribute that prevents it.
/// </summary>
[TestClass]
public sealed class PoolKernelInliningTests
{
    [TestMethod]
    [DataRow(typeof(Adam), "Apply")]
    [DataRow(typeof(VectorMath), "BinaryCrossEntropy")]
    [DataRow(typeof(GemmEpilogue), "Apply")]
    [DataRow(typeof(GemmDriver), "Run")]
    [DataRow(typeof(GemmSkinny), "Rows")]
    [DataRow(typeof(GemmOuter), "Rows")]
    [DataRow(typeof(DenseOps), "WeightGradient")]
    [DataRow(typeof(DenseOps), "InputGradient")]
    public void VectorLoopsRunOnPoolThreadsAreNotInlined(Type type, string name)
    {
        MethodInfo method = type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)
            ?? throw new AssertFailedException($"{type.Name}.{name} not found");
        Assert.IsTrue(
            method.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining),
            $"{type.Name}.{name} must be [MethodImpl(MethodImplOptions.NoInlining)]");
    }
}
