using System.Globalization;
using Google.Protobuf;
using Microsoft.ML.Vae.Onnx.Proto;
using Microsoft.ML.Vae.Serialization;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// Writes a transformer's scoring pass as an ONNX graph (opset 17) by walking the same <see cref="NetworkLayout"/> and
/// flat parameter buffer the managed scorer runs, so the graph computes exactly what
/// <see cref="VaeTransformer.Transform(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{bool})"/> does:
/// <code>
/// scaled = (Features - offset) / scale
/// h = Relu(Gemm(h, W, b)) per encoder layer;  LatentMean, LatentLogVariance = Gemm(h, W, b) per head
/// r = decoder(LatentMean)  (Relu layers, then the output layer: Sigmoid or identity)
/// Reconstruction = r * scale + offset;  ReconstructionError = ReduceMean((scaled - r)², axis 1)
/// Score = ReconstructionError, or with ScoreKind.NegativeElbo the reconstruction loss summed over features plus the KL term;
///         with an ensemble, the mean of that score over the model's own network and each ensemble network
/// PredictedLabel = Score > threshold
/// </code>
/// </summary>
internal static class OnnxExporter
{
    private const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;

    /// <summary>Builds the graph first, so a failure never leaves a half-written model behind.</summary>
    public static void Export(VaeTransformer model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Build(model).ToByteArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    public static void Export(VaeTransformer model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = Build(model).ToByteArray();
        stream.Write(bytes);
    }

    public static ModelProto Build(VaeTransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long f = model.FeatureCount, l = model.LatentDimension;
        const string n = OnnxContract.BatchDimension;

        var g = new OnnxGraphBuilder("vae");
        g.AddInput(OnnxContract.Features, Float, n, f);
        AddScoring(g, model, OnnxContract.Features, prefix: string.Empty);

        g.AddOutput(OnnxContract.LatentMean, Float, n, l);
        g.AddOutput(OnnxContract.LatentLogVariance, Float, n, l);
        g.AddOutput(OnnxContract.Reconstruction, Float, n, f);
        g.AddOutput(OnnxContract.ReconstructionError, Float, n);
        g.AddOutput(OnnxContract.Score, Float, n);
        g.AddOutput(OnnxContract.PredictedLabel, TensorProto.Types.DataType.Bool, n);
        return Finish(g, model,
            "VaeMl variational autoencoder: raw rows in (Features [N, F]); latent mean and log-variance, reconstruction in " +
            "original units, reconstruction error, anomaly score and label (score > threshold) out.");
    }

    /// <summary>
    /// The scoring pass for ML.NET's <c>ApplyOnnxModel</c>, which feeds one row at a time as [1, F] and turns each output
    /// into a column of the output's shape: input <paramref name="inputName"/> [1, F]; outputs named by
    /// <paramref name="outputNames"/> (in <see cref="OnnxContract.Outputs"/> order), the latent columns [L] and the
    /// reconstruction [F] (so ML.NET sees plain vectors), the three per-row values [1].
    /// </summary>
    public static ModelProto BuildRowGraph(VaeTransformer model, string inputName, IReadOnlyList<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(inputName);
        long f = model.FeatureCount, l = model.LatentDimension;
        const string prefix = "vaeml_";

        var g = new OnnxGraphBuilder("vae_row");
        g.AddInput(inputName, Float, 1L, f);
        AddScoring(g, model, inputName, prefix);

        string flat = g.AddInt64Initializer(prefix + "flat_shape", [-1], 1);
        long[] widths = [l, l, f];
        for (int i = 0; i < OnnxContract.Outputs.Length; i++)
        {
            string batch = prefix + OnnxContract.Outputs[i];
            if (i < widths.Length)
            {
                g.Add("Reshape", outputNames[i], batch, flat);
                g.AddOutput(outputNames[i], Float, widths[i]);
            }
            else
            {
                g.Add("Identity", outputNames[i], batch);
                g.AddOutput(outputNames[i], OnnxContract.Outputs[i] == OnnxContract.PredictedLabel ? TensorProto.Types.DataType.Bool : Float, 1L);
            }
        }

        return Finish(g, model, "VaeMl variational autoencoder, one row per call (for ML.NET's ApplyOnnxModel).");
    }

    /// <summary>
    /// Adds the scoring pass from <paramref name="input"/> (raw rows [N, F]) to the six outputs, named
    /// <paramref name="prefix"/> + the contract's names; every other value name also starts with the prefix.
    /// </summary>
    private static void AddScoring(OnnxGraphBuilder g, VaeTransformer model, string input, string prefix)
    {
        long f = model.FeatureCount;
        bool elbo = model.Options.ScoreKind == ScoreKind.NegativeElbo;
        string score = prefix + OnnxContract.Score;

        // Feature scaler: the model takes raw rows.
        string offset = g.AddInitializer(prefix + "scaler_offset", model.Scaler.Offset, f);
        string scale = g.AddInitializer(prefix + "scaler_scale", model.Scaler.Scale, f);
        string centered = g.Add("Sub", prefix + "centered", input, offset);
        string scaled = g.Add("Div", prefix + "scaled", centered, scale);

        NetworkPass pass = AddNetwork(g, model.Network, scaled, prefix, prefix + OnnxContract.LatentMean, prefix + OnnxContract.LatentLogVariance);
        string unscaled = g.Add("Mul", prefix + "decoded_times_scale", pass.Decoded, scale);
        g.Add("Add", prefix + OnnxContract.Reconstruction, unscaled, offset);
        string reconstructionError = MeanSquaredError(g, pass.Squared, prefix + OnnxContract.ReconstructionError);
        string scoreSource = elbo ? NegativeElbo(g, model.Network, scaled, pass, prefix) : reconstructionError;
        if (model.EnsembleNetworks.Count > 0)
        {
            var scores = new List<string> { scoreSource };
            for (int m = 0; m < model.EnsembleNetworks.Count; m++)
            {
                // Only what the score needs: no log-variance head unless the score is the negative ELBO, no reconstruction in original units.
                string memberPrefix = $"{prefix}ensemble_{m + 1}_";
                VaeNetwork network = model.EnsembleNetworks[m];
                NetworkPass member = AddNetwork(g, network, scaled, memberPrefix, memberPrefix + "latent_mean", elbo ? memberPrefix + "latent_log_variance" : null);
                scores.Add(elbo ? NegativeElbo(g, network, scaled, member, memberPrefix) : MeanSquaredError(g, member.Squared, memberPrefix + "reconstruction_error"));
            }

            string sum = g.AddNode("Sum", [.. scores], [prefix + "ensemble_score_sum"]);
            scoreSource = g.Add("Div", prefix + "ensemble_score", sum, g.AddScalar(prefix + "ensemble_size", scores.Count));
        }

        g.Add("Identity", score, scoreSource);
        string threshold = g.AddScalar(prefix + "threshold", model.Threshold);
        g.Add("Greater", prefix + OnnxContract.PredictedLabel, score, threshold);
    }

    /// <summary>A network's values in the graph: latent mean and log-variance (null when not built), decoder output, squared difference from the scaled rows.</summary>
    private readonly record struct NetworkPass(string Mean, string? LogVariance, string Decoded, string Squared);

    /// <summary>
    /// One network's pass over the <paramref name="scaled"/> rows: encoder, latent mean head (named
    /// <paramref name="meanName"/>), the log-variance head when <paramref name="logVarianceName"/> is given, decoder
    /// (from the latent mean) and the squared difference of its output from the rows. Other value names start with
    /// <paramref name="prefix"/>.
    /// </summary>
    private static NetworkPass AddNetwork(OnnxGraphBuilder g, VaeNetwork network, string scaled, string prefix, string meanName, string? logVarianceName)
    {
        NetworkLayout layout = network.Layout;
        ReadOnlySpan<float> parameters = network.Parameters;
        string h = scaled;
        for (int i = 0; i < layout.Encoder.Count; i++)
        {
            h = Dense(g, layout.Encoder[i], parameters, h, $"{prefix}encoder_{i}");
        }

        string mean = Dense(g, layout.MeanHead, parameters, h, meanName);
        string? logVariance = logVarianceName is null ? null : Dense(g, layout.LogVarianceHead, parameters, h, logVarianceName);
        string d = mean;
        for (int i = 0; i < layout.Decoder.Count; i++)
        {
            d = Dense(g, layout.Decoder[i], parameters, d, i == layout.Decoder.Count - 1 ? prefix + "decoded" : $"{prefix}decoder_{i}");
        }

        string difference = g.Add("Sub", prefix + "difference", scaled, d);
        string squared = g.Add("Mul", prefix + "squared_difference", difference, difference);
        return new NetworkPass(mean, logVariance, d, squared);
    }

    /// <summary>The reconstruction error: the mean over features of the squared differences, one value per row.</summary>
    private static string MeanSquaredError(OnnxGraphBuilder g, string squared, string output) =>
        g.AddNode("ReduceMean", [squared], [output], OnnxGraphBuilder.IntsAttribute("axes", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0));

    /// <summary>
    /// <see cref="ScoreKind.NegativeElbo"/> per row, as <see cref="RowScores.NegativeElbo"/> computes it: the reconstruction
    /// loss summed over features (from the scaled row, the network's decoder output and squared difference in
    /// <paramref name="pass"/>) plus 0.5 * sum(exp(logvar) + mean^2 - 1 - logvar).
    /// </summary>
    private static string NegativeElbo(OnnxGraphBuilder g, VaeNetwork network, string scaled, NetworkPass pass, string prefix)
    {
        string mean = pass.Mean, decoded = pass.Decoded, squared = pass.Squared;
        string logVariance = pass.LogVariance ?? throw new InvalidOperationException("The negative ELBO needs the log-variance head.");
        string axes = g.AddInt64Initializer(prefix + "score_axes", [1], 1);
        string one = g.AddScalar(prefix + "one", 1f);
        string half = g.AddScalar(prefix + "half", 0.5f);
        string Sum(string input, string output) =>
            g.AddNode("ReduceSum", [input, axes], [prefix + output], OnnxGraphBuilder.IntAttribute("keepdims", 0));

        string reconstruction;
        switch (network.Layout.Loss)
        {
            case ReconstructionLoss.Gaussian:
                string precision = g.AddInitializer(prefix + "output_precision", network.OutputPrecision, network.Layout.FeatureCount);
                string weighted = Sum(g.Add("Mul", prefix + "weighted_squares", squared, precision), "weighted_square_sum");
                string halfWeighted = g.Add("Mul", prefix + "half_weighted_square_sum", weighted, half);
                reconstruction = g.Add("Add", prefix + "reconstruction_loss", halfWeighted, g.AddScalar(prefix + "log_normalizer", network.OutputLogNormalizer));
                break;
            case ReconstructionLoss.BinaryCrossEntropy:
                string p = g.Add(
                    "Clip", prefix + "clipped_probability", decoded, g.AddScalar(prefix + "epsilon", RowScores.BinaryCrossEntropyEpsilon),
                    g.AddScalar(prefix + "one_minus_epsilon", 1f - RowScores.BinaryCrossEntropyEpsilon));
                string logP = g.Add("Log", prefix + "log_probability", p);
                string logQ = g.Add("Log", prefix + "log_complement", g.Add("Sub", prefix + "complement", one, p));
                string positive = g.Add("Mul", prefix + "positive_term", scaled, logP);
                string negative = g.Add("Mul", prefix + "negative_term", g.Add("Sub", prefix + "one_minus_x", one, scaled), logQ);
                string logLikelihood = Sum(g.Add("Add", prefix + "log_likelihood_terms", positive, negative), "log_likelihood");
                reconstruction = g.Add("Neg", prefix + "reconstruction_loss", logLikelihood);
                break;
            default:
                reconstruction = Sum(squared, "reconstruction_loss");
                break;
        }

        string variance = g.Add("Exp", prefix + "latent_variance", logVariance);
        string meanSquared = g.Add("Mul", prefix + "latent_mean_squared", mean, mean);
        string klTerms = g.Add(
            "Sub", prefix + "kl_terms",
            g.Add("Sub", prefix + "kl_terms_minus_one", g.Add("Add", prefix + "kl_variance_plus_mean", variance, meanSquared), one),
            logVariance);
        string kl = g.Add("Mul", prefix + "kl", Sum(klTerms, "kl_sum"), half);
        return g.Add("Add", prefix + "negative_elbo", reconstruction, kl);
    }

    /// <summary>Wraps the graph with the producer fields and the contract's metadata properties.</summary>
    private static ModelProto Finish(OnnxGraphBuilder g, VaeTransformer model, string description)
    {
        NetworkLayout layout = model.Network.Layout;
        string version = LibraryVersion();
        KeyValuePair<string, string>[] metadata =
        [
            new(OnnxContract.ProducerKey, OnnxContract.Producer),
            new(OnnxContract.LibraryVersionKey, version),
            new(OnnxContract.ThresholdKey, model.Threshold.ToString("R", CultureInfo.InvariantCulture)),
            new(OnnxContract.FeatureCountKey, layout.FeatureCount.ToString(CultureInfo.InvariantCulture)),
            new(OnnxContract.LatentDimensionKey, layout.LatentDimension.ToString(CultureInfo.InvariantCulture)),
            new(OnnxContract.ReconstructionLossKey, layout.Loss.ToString()),
            new(OnnxContract.ScalingKey, model.Options.Scaling.ToString()),
            new(OnnxContract.ScoreKindKey, model.Options.ScoreKind.ToString()),
            new(OnnxContract.EnsembleSizeKey, (model.EnsembleNetworks.Count + 1).ToString(CultureInfo.InvariantCulture)),
        ];
        return g.Build(OnnxContract.Producer, version, metadata, description);
    }

    /// <summary>One dense layer y = activation(x·W + b) as Gemm (W is [In, Out] row-major, as stored) plus its activation.</summary>
    private static string Dense(OnnxGraphBuilder g, DenseLayer layer, ReadOnlySpan<float> parameters, string input, string output)
    {
        string weights = g.AddInitializer($"{output}_weight", parameters.Slice(layer.WeightOffset, layer.WeightCount), layer.Inputs, layer.Outputs);
        string bias = g.AddInitializer($"{output}_bias", parameters.Slice(layer.BiasOffset, layer.Outputs), layer.Outputs);
        string? activation = layer.Activation switch
        {
            Activation.Identity => null,
            Activation.Relu => "Relu",
            Activation.Sigmoid => "Sigmoid",
            _ => throw new NotSupportedException($"Activation {layer.Activation} has no ONNX export."),
        };

        if (activation is null)
        {
            return g.Add("Gemm", output, input, weights, bias);
        }

        string preActivation = g.Add("Gemm", $"{output}_linear", input, weights, bias);
        return g.Add(activation, output, preActivation);
    }

    private static string LibraryVersion()
    {
        Version? version = typeof(OnnxExporter).Assembly.GetName().Version;
        return version is null ? "0.0.0" : $"{version.Major}.{version.Minor}.{version.Build}";
    }
}
