namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The network description that training, scoring, the model file and the ONNX export all share.
/// Encoder: Dense+ReLU layers of <c>hiddenLayers</c> widths, then two heads (latent mean, latent log-variance)
/// reading the last hidden layer. Decoder: Dense+ReLU layers mirroring the widths, then an output layer of the
/// input width (sigmoid for binary cross-entropy, identity for squared error).
/// Parameters are laid out in one flat buffer in the order of <see cref="AllLayers"/>: each layer's weights, then its bias;
/// the Gaussian loss adds its per-feature log-variances at the end.
/// </summary>
public sealed class NetworkLayout
{
    internal NetworkLayout(int featureCount, int latentDimension, IReadOnlyList<int> hiddenLayers, ReconstructionLoss loss)
    {
        FeatureCount = featureCount;
        LatentDimension = latentDimension;
        HiddenLayers = hiddenLayers.ToArray();
        Loss = loss;

        int offset = 0;
        DenseLayer Add(int inputs, int outputs, Activation activation)
        {
            var layer = new DenseLayer(inputs, outputs, activation, offset, offset + (inputs * outputs));
            offset += (inputs * outputs) + outputs;
            return layer;
        }

        var encoder = new List<DenseLayer>();
        int width = featureCount;
        foreach (int hidden in HiddenLayers)
        {
            encoder.Add(Add(width, hidden, Activation.Relu));
            width = hidden;
        }

        Encoder = encoder;
        MeanHead = Add(width, latentDimension, Activation.Identity);
        LogVarianceHead = Add(width, latentDimension, Activation.Identity);

        var decoder = new List<DenseLayer>();
        width = latentDimension;
        for (int i = HiddenLayers.Count - 1; i >= 0; i--)
        {
            decoder.Add(Add(width, HiddenLayers[i], Activation.Relu));
            width = HiddenLayers[i];
        }

        decoder.Add(Add(width, featureCount, loss == ReconstructionLoss.BinaryCrossEntropy ? Activation.Sigmoid : Activation.Identity));
        Decoder = decoder;
        if (loss == ReconstructionLoss.Gaussian)
        {
            OutputLogVarianceOffset = offset;
            offset += featureCount;
        }
        else
        {
            OutputLogVarianceOffset = -1;
        }

        ParameterCount = offset;
        AllLayers = [.. Encoder, MeanHead, LogVarianceHead, .. Decoder];
        MaxWidth = AllLayers.Max(l => Math.Max(l.Inputs, l.Outputs));
    }

    /// <summary>Width of the input rows and of the reconstruction.</summary>
    public int FeatureCount { get; }

    /// <summary>Width of the latent space.</summary>
    public int LatentDimension { get; }

    /// <summary>Encoder hidden widths, input side first (the decoder mirrors them).</summary>
    public IReadOnlyList<int> HiddenLayers { get; }

    /// <summary>The reconstruction loss, which also decides the output layer's activation.</summary>
    public ReconstructionLoss Loss { get; }

    /// <summary>Encoder hidden layers (ReLU), input first.</summary>
    public IReadOnlyList<DenseLayer> Encoder { get; }

    /// <summary>Latent mean head (identity), reading the last encoder layer.</summary>
    public DenseLayer MeanHead { get; }

    /// <summary>Latent log-variance head (identity), reading the last encoder layer.</summary>
    public DenseLayer LogVarianceHead { get; }

    /// <summary>Decoder layers, latent first; the last one is the output layer.</summary>
    public IReadOnlyList<DenseLayer> Decoder { get; }

    /// <summary>
    /// Where the Gaussian decoder's per-feature log-variances [F] start in the flat buffer (after the decoder's
    /// output layer); -1 for the other losses.
    /// </summary>
    public int OutputLogVarianceOffset { get; }

    /// <summary>Every layer in parameter-buffer order.</summary>
    public IReadOnlyList<DenseLayer> AllLayers { get; }

    /// <summary>Total number of floats in the flat parameter buffer.</summary>
    public int ParameterCount { get; }

    /// <summary>The widest layer input or output.</summary>
    internal int MaxWidth { get; }
}
