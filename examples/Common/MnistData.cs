using Microsoft.ML.Vae;

namespace VaeMl.Examples;

/// <summary>One MNIST split: images scaled to [0, 1] and their digit labels.</summary>
public sealed record MnistSplit(IdxImages Images, byte[] Labels)
{
    /// <summary>Number of images.</summary>
    public int Count => Images.Count;
}

/// <summary>Loads the MNIST splits and checks that images and labels agree.</summary>
public static class MnistData
{
    /// <summary>Loads one split, at most <paramref name="limit"/> images.</summary>
    /// <exception cref="InvalidDataException">A file is malformed, or image and label counts differ.</exception>
    public static MnistSplit Load(string imagesPath, string labelsPath, int limit = int.MaxValue)
    {
        var images = IdxReader.ReadImages(imagesPath, limit);
        var labels = IdxReader.ReadLabels(labelsPath, limit);
        if (images.Count != labels.Length)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Length} labels.");
        }

        return new MnistSplit(images, labels);
    }

    /// <summary>Loads the training split.</summary>
    public static MnistSplit LoadTrain(MnistPaths paths, int limit = int.MaxValue) =>
        Load(paths.TrainImages, paths.TrainLabels, limit);

    /// <summary>Loads the test split.</summary>
    public static MnistSplit LoadTest(MnistPaths paths, int limit = int.MaxValue) =>
        Load(paths.TestImages, paths.TestLabels, limit);
}
