using Microsoft.ML.Vae.Onnx;

namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>
/// Every native object the binding creates is released, on success and failure paths. Runs alone: the live-handle
/// count is process-wide, so another test scoring at the same time would move it.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class OrtHandleLeakTests
{
    [TestMethod]
    public void ScoringAndDisposingLeavesNoNativeHandle()
    {
        _ = OrtApi.Instance;
        int before = OrtHandle.LiveCount;
        var scorer = new OnnxVaeScorer(TinyVaeGraph.Build());
        Assert.IsGreaterThan(before, OrtHandle.LiveCount, "the scorer holds a session");
        float[] x = OrtBindingTests.Rows(10, seed: 1);
        for (int i = 0; i < 5; i++)
        {
            _ = OrtBindingTests.Score(scorer, x, 10);
        }

        int whileOpen = OrtHandle.LiveCount;
        Assert.ThrowsExactly<ArgumentException>(() => scorer.Score(new float[4], [], [], [], [], new float[1], []));
        Assert.AreEqual(whileOpen, OrtHandle.LiveCount, "scoring calls release their tensors");
        scorer.Dispose();
        Assert.AreEqual(before, OrtHandle.LiveCount);
        Assert.ThrowsExactly<ObjectDisposedException>(() => scorer.Score(x, [], [], [], [], new float[10], []));
    }

    [TestMethod]
    public void FailedLoadsLeaveNoNativeHandle()
    {
        _ = OrtApi.Instance;
        int before = OrtHandle.LiveCount;
        Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer("not onnx"u8));
        Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer(TinyVaeGraph.Build(inputName: "X")));
        Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer("/nonexistent/model.onnx"));
        Assert.AreEqual(before, OrtHandle.LiveCount);
    }
}
