namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// A row count known when the JIT specializes a micro-kernel for it, so one kernel source serves every tail height
/// (the unused accumulators and their branches compile away).
/// </summary>
internal interface IGemmRowCount
{
    static abstract int Value { get; }
}

internal readonly struct GemmRows1 : IGemmRowCount { public static int Value => 1; }
internal readonly struct GemmRows2 : IGemmRowCount { public static int Value => 2; }
internal readonly struct GemmRows3 : IGemmRowCount { public static int Value => 3; }
internal readonly struct GemmRows4 : IGemmRowCount { public static int Value => 4; }
internal readonly struct GemmRows5 : IGemmRowCount { public static int Value => 5; }
internal readonly struct GemmRows6 : IGemmRowCount { public static int Value => 6; }
internal readonly struct GemmRows7 : IGemmRowCount { public static int Value => 7; }
internal readonly struct GemmRows8 : IGemmRowCount { public static int Value => 8; }
internal readonly struct GemmRows9 : IGemmRowCount { public static int Value => 9; }
internal readonly struct GemmRows10 : IGemmRowCount { public static int Value => 10; }
internal readonly struct GemmRows11 : IGemmRowCount { public static int Value => 11; }
internal readonly struct GemmRows12 : IGemmRowCount { public static int Value => 12; }
