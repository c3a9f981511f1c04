namespace Microsoft.ML.Vae.Numerics;

/// <summary>Portable fallback micro-kernel: a 4×4 tile in scalar accumulators.</summary>
internal readonly unsafe struct GemmKernelScalar : IGemmKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static bool PacksWithAvx512 => false;

    public static void Run(int rows, int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite)
    {
        for (int r = 0; r < rows; r++)
        {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            float* ap = a + r;
            float* bp = b;
            for (int p = 0; p < kc; p++)
            {
                float x = *ap;
                s0 += x * bp[0];
                s1 += x * bp[1];
                s2 += x * bp[2];
                s3 += x * bp[3];
                ap += 4;
                bp += ldb;
            }

            float* cr = c + r * ldc;
            if (overwrite)
            {
                cr[0] = s0;
                cr[1] = s1;
                cr[2] = s2;
                cr[3] = s3;
            }
            else
            {
                cr[0] += s0;
                cr[1] += s1;
                cr[2] += s2;
                cr[3] += s3;
            }
        }
    }
}
