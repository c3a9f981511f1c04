using Google.Protobuf;
using Microsoft.ML.Vae.Onnx;
using Microsoft.ML.Vae.Onnx.Proto;

namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>
/// A hand-built graph with the VaeMl ONNX contract that does not depend on the VAE core:
/// LatentMean = x·W1 + b1, LatentLogVariance = x·W2 + b2, Reconstruction = sigmoid(LatentMean·W3 + b3),
/// ReconstructionError = mean((x - Reconstruction)²), Score = ReconstructionError, PredictedLabel = Score > Threshold.
/// <see cref="Reference"/> computes the same thing in double precision.
/// </summary>
internal sealed class TinyVaeGraph
{
    public const int Features = 3;
    public const int Latent = 2;
    public const float Threshold = 0.12f;

    private static readonly float[] W1 = [0.5f, -0.25f, 1.0f, 0.75f, -0.5f, 0.125f];
    private static readonly float[] B1 = [0.1f, -0.2f];
    private static readonly float[] W2 = [-0.3f, 0.2f, 0.4f, -0.6f, 0.05f, 0.9f];
    private static readonly float[] B2 = [0.0f, 0.3f];
    private static readonly float[] W3 = [1.5f, -1.0f, 0.25f, -0.5f, 2.0f, 0.75f];
    private static readonly float[] B3 = [0.2f, -0.1f, 0.05f];

    /// <summary>
    /// The graph's bytes. <paramref name="narrowReconstruction"/> makes <c>Reconstruction</c> a copy of LatentMean
    /// ([N, 2]) while still declaring it [N, 3]: the model loads, and ONNX Runtime fails at run time.
    /// </summary>
    public static byte[] Build(string inputName = OnnxContract.Features, bool narrowReconstruction = false)
    {
        var g = new OnnxGraphBuilder("tiny");
        g.AddInput(inputName, TensorProto.Types.DataType.Float, OnnxContract.BatchDimension, (long)Features);
        g.AddInitializer("W1", W1, Features, Latent);
        g.AddInitializer("B1", B1, Latent);
        g.AddInitializer("W2", W2, Features, Latent);
        g.AddInitializer("B2", B2, Latent);
        g.AddInitializer("W3", W3, Latent, Features);
        g.AddInitializer("B3", B3, Features);
        g.AddScalar("threshold", Threshold);

        g.Add("MatMul", "xw1", inputName, "W1");
        g.Add("Add", OnnxContract.LatentMean, "xw1", "B1");
        g.Add("MatMul", "xw2", inputName, "W2");
        g.Add("Add", OnnxContract.LatentLogVariance, "xw2", "B2");
        g.Add("MatMul", "zw3", OnnxContract.LatentMean, "W3");
        g.Add("Add", "logits", "zw3", "B3");
        g.Add("Sigmoid", "decoded", "logits");
        g.Add("Identity", OnnxContract.Reconstruction, narrowReconstruction ? OnnxContract.LatentMean : "decoded");
        g.Add("Sub", "diff", inputName, "decoded");
        g.Add("Mul", "squared", "diff", "diff");
        g.AddNode("ReduceMean", ["squared"], [OnnxContract.ReconstructionError],
            OnnxGraphBuilder.IntsAttribute("axes", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0));
        g.Add("Identity", OnnxContract.Score, OnnxContract.ReconstructionError);
        g.Add("Greater", OnnxContract.PredictedLabel, OnnxContract.Score, "threshold");

        g.AddOutput(OnnxContract.LatentMean, TensorProto.Types.DataType.Float, OnnxContract.BatchDimension, (long)Latent);
        g.AddOutput(OnnxContract.LatentLogVariance, TensorProto.Types.DataType.Float, OnnxContract.BatchDimension, (long)Latent);
        g.AddOutput(OnnxContract.Reconstruction, TensorProto.Types.DataType.Float, OnnxContract.BatchDimension, (long)Features);
        g.AddOutput(OnnxContract.ReconstructionError, TensorProto.Types.DataType.Float, OnnxContract.BatchDimension);
        g.AddOutput(OnnxContract.Score, TensorProto.Types.DataType.Float, OnnxContract.BatchDimension);
        g.AddOutput(OnnxContract.PredictedLabel, TensorProto.Types.DataType.Bool, OnnxContract.BatchDimension);

        ModelProto model = g.Build("VaeMl.Tests", "1.0", [new(OnnxContract.ThresholdKey, "0.12"), new(OnnxContract.FeatureCountKey, "3")]);
        return model.ToByteArray();
    }

    /// <summary>The six outputs for one row, in double precision.</summary>
    public static (double[] Mean, double[] LogVariance, double[] Reconstruction, double Error, bool Label) Reference(ReadOnlySpan<float> x)
    {
        double[] mean = Affine(x.ToArray().Select(v => (double)v).ToArray(), W1, B1, Features, Latent);
        double[] logVariance = Affine(x.ToArray().Select(v => (double)v).ToArray(), W2, B2, Features, Latent);
        double[] reconstruction = Affine(mean, W3, B3, Latent, Features).Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
        double error = 0;
        for (int c = 0; c < Features; c++)
        {
            error += (x[c] - reconstruction[c]) * (x[c] - reconstruction[c]);
        }

        error /= Features;
        return (mean, logVariance, reconstruction, error, error > Threshold);
    }

    private static double[] Affine(double[] x, float[] w, float[] b, int inputs, int outputs)
    {
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = b[o];
            for (int i = 0; i < inputs; i++)
            {
                sum += x[i] * w[(i * outputs) + o];
            }

            y[o] = sum;
        }

        return y;
    }
}
