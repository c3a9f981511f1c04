using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// What each extra network of <see cref="VaeOptions.EnsembleSize"/> trains on: its own seed and its own random share of
/// the training rows, both derived from the model's seed and the network's index, so a seed gives the same ensemble.
/// </summary>
internal static class EnsembleSample
{
    private const long RowStream = 0x5EED_E45E_4B1E;

    /// <summary>The seed of network <paramref name="member"/> (1 for the first extra network); distinct for distinct members.</summary>
    public static int Seed(int seed, int member) => unchecked(seed + (member * -1640531527)); // golden-ratio step: far from seed + 1, seed + 2

    /// <summary>
    /// How many of <paramref name="rowCount"/> rows each extra network trains on: round(fraction * rowCount), at least
    /// two (all of them when there are fewer), so whatever the model's own network can split off for validation, so can
    /// every other network.
    /// </summary>
    public static int RowCount(int rowCount, float fraction) =>
        (int)Math.Clamp(Math.Round(rowCount * (double)fraction), Math.Min(rowCount, 2), rowCount);

    /// <summary>
    /// The rows network <paramref name="member"/> trains on: <see cref="RowCount"/> of the <paramref name="rowCount"/>
    /// rows, drawn without replacement, in ascending order.
    /// </summary>
    public static int[] Rows(int rowCount, float fraction, int seed, int member)
    {
        int[] chosen = new DeterministicRandom(Seed(seed, member) ^ RowStream).Permutation(rowCount)[..RowCount(rowCount, fraction)];
        Array.Sort(chosen);
        return chosen;
    }
}
