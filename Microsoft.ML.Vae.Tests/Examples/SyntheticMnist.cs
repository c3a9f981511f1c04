using Microsoft.ML.Vae.Tests.Data;

namespace Microsoft.ML.Vae.Tests.Examples;

/// <summary>
/// A tiny MNIST stand-in written as the four IDX files: each "digit" d is a bright horizontal bar at a
/// class-specific row plus faint noise, so classes are easy to tell apart and examples finish in a second.
/// </summary>
internal static class SyntheticMnist
{
    public static void Write(string directory, int side, int trainCount, int testCount, int seed = 0)
    {
        var random = new Random(seed);
        (byte[] Images, byte[] Labels) Split(int count)
        {
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            byte[] images = IdxFile.Images(count, side, side, i =>
            {
                int image = i / (side * side), y = i % (side * side) / side;
                int bar = 1 + (labels[image] * (side - 2) / 10);
                return y == bar ? (byte)230 : (byte)random.Next(30);
            });
            return (images, IdxFile.Labels(labels));
        }

        var (trainImages, trainLabels) = Split(trainCount);
        var (testImages, testLabels) = Split(testCount);
        File.WriteAllBytes(Path.Combine(directory, "train-images-idx3-ubyte"), trainImages);
        File.WriteAllBytes(Path.Combine(directory, "train-labels-idx1-ubyte"), trainLabels);
        File.WriteAllBytes(Path.Combine(directory, "t10k-images-idx3-ubyte"), testImages);
        File.WriteAllBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte"), testLabels);
    }
}
