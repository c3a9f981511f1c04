namespace VaeMl.Examples.Clustering;

/// <summary>Agreement of a k-means clustering of the test images with their digits.</summary>
/// <param name="Method">The features clustered.</param>
/// <param name="Dimensions">Width of those features.</param>
/// <param name="NormalizedMutualInformation">NMI with the digit labels (1 = perfect).</param>
/// <param name="AdjustedRandIndex">ARI with the digit labels (1 = perfect, about 0 = chance).</param>
public sealed record ClusteringResult(string Method, int Dimensions, double NormalizedMutualInformation, double AdjustedRandIndex);
