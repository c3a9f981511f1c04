namespace VaeMl.Examples.Clustering;

/// <summary>Agreement of a k-means clustering of the test images with their digits, as ML.NET's clustering evaluator measures it.</summary>
/// <param name="Method">The features clustered.</param>
/// <param name="Dimensions">Width of those features.</param>
/// <param name="NormalizedMutualInformation">NMI with the digit labels (1 = perfect).</param>
/// <param name="DaviesBouldinIndex">Mean ratio of a cluster's spread to its distance from the most similar cluster, in the method's own feature space (lower = tighter, better separated).</param>
public sealed record ClusteringResult(string Method, int Dimensions, double NormalizedMutualInformation, double DaviesBouldinIndex);
