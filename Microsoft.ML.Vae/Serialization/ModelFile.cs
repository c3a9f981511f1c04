using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Serialization;

/// <summary>
/// The model file: an 8-byte signature, a format version (uint32), the payload length (uint64), the payload, and a
/// SHA-256 of everything before it. The payload holds library version, options, feature names, scaler, weights,
/// threshold and training summary. Saving writes a temporary file in the target folder and renames it, so a reader
/// never sees half a model. Nothing measured by a clock is stored (format 3 on), so the same data, options and seed
/// give the same bytes.
/// </summary>
internal static class ModelFile
{
    public const int FormatVersion = 5;
    private const int HeaderLength = 8 + 4 + 8;
    private const int DigestLength = 32;

    // Limits on counts in the payload: far above any real model, low enough that checks stay meaningful.
    private const int MaxLayers = 1024;
    private const int MaxHistory = 1_000_000;

    private static ReadOnlySpan<byte> Signature => "VAEMLMDL"u8;

    public static void Save(VaeTransformer model, string path) => AtomicFile.Write(path, stream => Write(model, stream));

    public static void Write(VaeTransformer model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] payload = WritePayload(model);
        var header = new byte[HeaderLength];
        Signature.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(12), (ulong)payload.Length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(payload);
        stream.Write(header);
        stream.Write(payload);
        stream.Write(hash.GetHashAndReset());
    }

    public static VaeTransformer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return Read(stream);
        }
        catch (VaeModelFormatException e)
        {
            throw new VaeModelFormatException($"Cannot load '{path}': {e.Message}", e);
        }
    }

    public static VaeTransformer Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);

        // The buffer grows with the bytes actually present, never with a length read from the file.
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        ReadOnlySpan<byte> data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        if (data.Length < Signature.Length || !data[..Signature.Length].SequenceEqual(Signature))
        {
            throw new VaeModelFormatException("This is not a VaeMl model file (it does not start with the VaeMl signature).");
        }

        if (data.Length < HeaderLength)
        {
            throw new VaeModelFormatException($"The model file is truncated ({data.Length} bytes, shorter than its header).");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (version > FormatVersion)
        {
            throw new VaeModelFormatException(
                $"The model file has format version {version}, written by a newer VaeMl; this version reads up to {FormatVersion}. Upgrade the library.");
        }

        if (version == 0)
        {
            throw new VaeModelFormatException("The model file is corrupt: format version 0 does not exist.");
        }

        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(data[12..]);
        long expected = HeaderLength + DigestLength + (long)Math.Min(payloadLength, (ulong)int.MaxValue);
        if (payloadLength > int.MaxValue || data.Length < expected)
        {
            throw new VaeModelFormatException($"The model file is truncated: it has {data.Length} bytes but its header announces {HeaderLength + (decimal)payloadLength + DigestLength}.");
        }

        if (data.Length > expected)
        {
            throw new VaeModelFormatException($"The model file is corrupt: {data.Length - expected} unexpected bytes follow the model.");
        }

        int contentLength = HeaderLength + (int)payloadLength;
        Span<byte> digest = stackalloc byte[DigestLength];
        SHA256.HashData(data[..contentLength], digest);
        if (!digest.SequenceEqual(data.Slice(contentLength, DigestLength)))
        {
            throw new VaeModelFormatException("The model file is corrupt: its checksum does not match its contents.");
        }

        return ReadPayload(data.Slice(HeaderLength, (int)payloadLength), version);
    }

    private static byte[] WritePayload(VaeTransformer model)
    {
        var w = new PayloadWriter();
        w.Write(typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "0.0.0");

        VaeOptions o = model.Options;
        w.Write(o.LatentDimension);
        w.Write(o.HiddenLayers.Count);
        foreach (int width in o.HiddenLayers)
        {
            w.Write(width);
        }

        w.Write((int)o.ReconstructionLoss);
        w.Write((int)o.Scaling);
        w.Write(o.Epochs);
        w.Write(o.BatchSize);
        w.Write(o.LearningRate);
        w.Write(o.Beta);
        w.Write(o.KlWarmupEpochs);
        w.Write(o.ValidationFraction);
        w.Write(o.EarlyStoppingPatience);
        w.Write(o.GradientClipNorm);
        w.Write(o.Contamination);
        w.Write(o.Seed);
        w.Write(o.ThreadCount);

        w.Write(model.FeatureCount);
        w.Write(model.FeatureNames is not null);
        if (model.FeatureNames is not null)
        {
            foreach (string name in model.FeatureNames)
            {
                w.Write(name);
            }
        }

        w.WriteSingles(model.Scaler.Offset);
        w.WriteSingles(model.Scaler.Scale);
        w.Write(model.Network.Parameters.Length);
        w.WriteSingles(model.Network.Parameters);
        w.Write(model.Threshold);

        VaeTrainingSummary s = model.TrainingSummary;
        w.Write(s.EpochsRun);
        w.Write(s.BestEpoch);
        w.Write(s.TrainingRowCount);
        w.Write(s.FinalLoss);
        w.Write(s.FinalReconstructionLoss);
        w.Write(s.FinalKlDivergence);
        w.Write(s.FinalValidationLoss);
        w.Write(s.History.Count);
        foreach (VaeEpochReport r in s.History)
        {
            w.Write(r.Epoch);
            w.Write(r.Loss);
            w.Write(r.ReconstructionLoss);
            w.Write(r.KlDivergence);
            w.Write(r.ValidationLoss);
            w.Write(r.KlWeight);
        }

        // Format version 2: the IDataView column names.
        w.Write(o.FeatureColumnName);
        foreach (string name in o.OutputColumnNames)
        {
            w.Write(name);
        }

        // Format version 3: how much each latent dimension is used (the posterior-collapse check).
        w.Write(s.LatentKlDivergence.Count);
        w.WriteSingles([.. s.LatentKlDivergence]);
        w.WriteSingles([.. s.LatentMeanVariance]);

        // Format version 4: the score and the options of robust and denoising training.
        w.Write((int)o.ScoreKind);
        w.Write(o.TrainingSteps);
        w.Write(o.TrimFraction);
        w.Write(o.InputNoise);

        // Format version 5: the ensemble whose scores the score averages.
        w.Write(o.EnsembleSize);
        w.Write(o.EnsembleSampleFraction);
        foreach (VaeNetwork member in model.EnsembleNetworks)
        {
            w.WriteSingles(member.Parameters);
        }

        return w.ToArray();
    }

    private static VaeTransformer ReadPayload(ReadOnlySpan<byte> payload, uint version)
    {
        var r = new PayloadReader(payload);
        _ = r.ReadString("the library version");

        int latent = r.ReadInt32("the latent dimension");
        int hiddenCount = r.ReadCount("the hidden layer count", MaxLayers, 4);
        var hidden = new int[hiddenCount];
        for (int i = 0; i < hiddenCount; i++)
        {
            hidden[i] = r.ReadInt32("a hidden layer width");
        }

        var options = new VaeOptions
        {
            LatentDimension = latent,
            HiddenLayers = hidden,
            ReconstructionLoss = (ReconstructionLoss)r.ReadInt32("the reconstruction loss"),
            Scaling = (FeatureScaling)r.ReadInt32("the scaling"),
            Epochs = r.ReadInt32("the epochs option"),
            BatchSize = r.ReadInt32("the batch size"),
            LearningRate = r.ReadSingle("the learning rate"),
            Beta = r.ReadSingle("beta"),
            KlWarmupEpochs = r.ReadInt32("the warm-up epochs"),
            ValidationFraction = r.ReadSingle("the validation fraction"),
            EarlyStoppingPatience = r.ReadInt32("the early-stopping patience"),
            GradientClipNorm = r.ReadSingle("the gradient clip norm"),
            Contamination = r.ReadSingle("the contamination"),
            Seed = r.ReadInt32("the seed"),
            ThreadCount = r.ReadInt32("the thread count"),
        };

        Validated(options);

        int features = r.ReadCount("the feature count", int.MaxValue, 8);
        if (features < 1)
        {
            throw new VaeModelFormatException("The model file is corrupt: it has no features.");
        }

        string[]? names = null;
        if (r.ReadBoolean("the feature-names flag"))
        {
            names = new string[Math.Min(features, r.Remaining / 4)];
            if (names.Length < features)
            {
                throw new VaeModelFormatException("The model file is corrupt: the feature names do not fit the file.");
            }

            for (int i = 0; i < features; i++)
            {
                names[i] = r.ReadString("a feature name");
            }
        }

        float[] offset = r.ReadSingles(features, "the scaler offsets");
        float[] scale = r.ReadSingles(features, "the scaler scales");
        for (int i = 0; i < features; i++)
        {
            if (!float.IsFinite(offset[i]) || !float.IsFinite(scale[i]) || scale[i] == 0)
            {
                throw new VaeModelFormatException($"The model file is corrupt: the scaler of feature {i} is not usable.");
            }
        }

        long expectedParameters = ExpectedParameterCount(features, latent, hidden, options.ReconstructionLoss);
        int parameterCount = r.ReadCount("the parameter count", int.MaxValue, 4);
        if (parameterCount != expectedParameters)
        {
            throw new VaeModelFormatException(
                $"The model file is corrupt: it holds {parameterCount} weights but its architecture needs {expectedParameters}.");
        }

        float[] parameters = ReadWeights(ref r, parameterCount, "the weights", "a weight");

        float threshold = r.ReadSingle("the threshold");
        int epochsRun = r.ReadInt32("the epochs run");
        int bestEpoch = r.ReadInt32("the best epoch");
        int trainingRows = r.ReadInt32("the training row count");
        float finalLoss = r.ReadSingle("the final loss");
        float finalReconstruction = r.ReadSingle("the final reconstruction loss");
        float finalKl = r.ReadSingle("the final KL divergence");
        float finalValidation = r.ReadSingle("the final validation loss");
        VaeEpochReport[] history = ReadHistory(ref r, version);
        if (version >= 2)
        {
            options = ReadColumnNames(ref r, options);
        }

        (float[] latentKl, float[] latentVariance) = version >= 3 ? ReadLatentUsage(ref r, latent) : ([], []);
        var summary = new VaeTrainingSummary
        {
            EpochsRun = epochsRun,
            BestEpoch = bestEpoch,
            TrainingRowCount = trainingRows,
            FinalLoss = finalLoss,
            FinalReconstructionLoss = finalReconstruction,
            FinalKlDivergence = finalKl,
            FinalValidationLoss = finalValidation,
            History = history,
            LatentKlDivergence = latentKl,
            LatentMeanVariance = latentVariance,
        };

        if (version >= 4)
        {
            options = ReadScoreAndTraining(ref r, options);
        }

        var layout = new NetworkLayout(features, latent, hidden, options.ReconstructionLoss);
        VaeNetwork[] ensemble = [];
        if (version >= 5)
        {
            (options, ensemble) = ReadEnsemble(ref r, options, layout, parameterCount);
        }

        if (r.Remaining != 0)
        {
            throw new VaeModelFormatException($"The model file is corrupt: {r.Remaining} unread bytes at the end of its payload.");
        }

        var network = new VaeNetwork(layout, parameters);
        return new VaeTransformer(options, network, new FeatureScaler(offset, scale), threshold, summary, names, ensemble);
    }

    /// <summary>The IDataView column names (format version 2 on; older files keep the defaults).</summary>
    private static VaeOptions ReadColumnNames(ref PayloadReader r, VaeOptions options)
    {
        VaeOptions named = options with
        {
            FeatureColumnName = r.ReadString("the feature column name"),
            LatentMeanColumnName = r.ReadString("the latent mean column name"),
            LatentLogVarianceColumnName = r.ReadString("the latent log-variance column name"),
            ReconstructionColumnName = r.ReadString("the reconstruction column name"),
            ReconstructionErrorColumnName = r.ReadString("the reconstruction error column name"),
            ScoreColumnName = r.ReadString("the score column name"),
            PredictedLabelColumnName = r.ReadString("the predicted label column name"),
        };

        return Validated(named);
    }

    /// <summary>The score kind and the newer training options (format version 4 on; older files keep the defaults).</summary>
    private static VaeOptions ReadScoreAndTraining(ref PayloadReader r, VaeOptions options)
    {
        VaeOptions read = options with
        {
            ScoreKind = (ScoreKind)r.ReadInt32("the score kind"),
            TrainingSteps = r.ReadInt32("the training steps"),
            TrimFraction = r.ReadSingle("the trim fraction"),
            InputNoise = r.ReadSingle("the input noise"),
        };

        return Validated(read);
    }

    /// <summary>The ensemble's options and its networks besides the model's own (format version 5 on; older files have none).</summary>
    private static (VaeOptions Options, VaeNetwork[] Networks) ReadEnsemble(ref PayloadReader r, VaeOptions options, NetworkLayout layout, int parameterCount)
    {
        VaeOptions read = Validated(options with
        {
            EnsembleSize = r.ReadInt32("the ensemble size"),
            EnsembleSampleFraction = r.ReadSingle("the ensemble sample fraction"),
        });
        var networks = new VaeNetwork[read.EnsembleSize - 1];
        for (int i = 0; i < networks.Length; i++)
        {
            networks[i] = new VaeNetwork(layout, ReadWeights(ref r, parameterCount, "the weights of an ensemble network", "a weight of an ensemble network"));
        }

        return (read, networks);
    }

    /// <summary>A network's weights; one that is not a finite number means a corrupt file (<paramref name="which"/> names it).</summary>
    private static float[] ReadWeights(ref PayloadReader r, int count, string what, string which)
    {
        float[] weights = r.ReadSingles(count, what);
        if (!Array.TrueForAll(weights, float.IsFinite))
        {
            throw new VaeModelFormatException($"The model file is corrupt: {which} is not a finite number.");
        }

        return weights;
    }

    /// <summary>Options read from a file, checked as the estimator checks them; invalid ones mean a corrupt file.</summary>
    private static VaeOptions Validated(VaeOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new VaeModelFormatException($"The model file is corrupt: {e.Message}", e);
        }

        return options;
    }

    /// <summary>Per latent dimension, the KL divergence and latent-mean variance (format version 3 on; none when not measured).</summary>
    private static (float[] Kl, float[] MeanVariance) ReadLatentUsage(ref PayloadReader r, int latent)
    {
        int dimensions = r.ReadCount("the latent usage count", latent, 8);
        if (dimensions is not 0 && dimensions != latent)
        {
            throw new VaeModelFormatException($"The model file is corrupt: it measures {dimensions} of its {latent} latent dimensions.");
        }

        return (r.ReadSingles(dimensions, "the latent KL divergences"), r.ReadSingles(dimensions, "the latent mean variances"));
    }

    /// <summary>The epoch reports; before format version 3 each also held its throughput and time.</summary>
    private static VaeEpochReport[] ReadHistory(ref PayloadReader r, uint version)
    {
        bool timed = version < 3;
        int bytesPerReport = 4 + (5 * 4) + (timed ? 8 + 8 : 0); // epoch, five losses and weights, throughput, ticks
        int count = r.ReadCount("the history length", MaxHistory, bytesPerReport);
        var history = new VaeEpochReport[count];
        for (int i = 0; i < count; i++)
        {
            history[i] = new VaeEpochReport
            {
                Epoch = r.ReadInt32("an epoch number"),
                Loss = r.ReadSingle("an epoch loss"),
                ReconstructionLoss = r.ReadSingle("an epoch reconstruction loss"),
                KlDivergence = r.ReadSingle("an epoch KL divergence"),
                ValidationLoss = r.ReadSingle("an epoch validation loss"),
                KlWeight = r.ReadSingle("an epoch KL weight"),
                SamplesPerSecond = timed ? r.ReadDouble("an epoch throughput") : 0,
                Elapsed = timed ? TimeSpan.FromTicks(Math.Max(0, r.ReadInt64("an epoch time"))) : TimeSpan.Zero,
            };
        }

        return history;
    }

    /// <summary>
    /// The weight count of the architecture (with the Gaussian decoder's per-feature variances for that loss), computed
    /// in 64 bits so corrupt widths cannot overflow.
    /// </summary>
    internal static long ExpectedParameterCount(int features, int latent, int[] hidden, ReconstructionLoss loss)
    {
        long total = 0;
        long width = features;
        foreach (int h in hidden)
        {
            total += (width * h) + h;
            width = h;
        }

        total += 2 * ((width * latent) + latent);
        width = latent;
        for (int i = hidden.Length - 1; i >= 0; i--)
        {
            total += (width * hidden[i]) + hidden[i];
            width = hidden[i];
        }

        total += (width * features) + features;
        return total + (loss == ReconstructionLoss.Gaussian ? features : 0);
    }
}
