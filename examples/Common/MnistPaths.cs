namespace VaeMl.Examples;

/// <summary>The four MNIST IDX files.</summary>
public sealed record MnistPaths(string TrainImages, string TrainLabels, string TestImages, string TestLabels);
