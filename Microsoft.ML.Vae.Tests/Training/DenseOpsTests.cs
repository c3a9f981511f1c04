using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

[TestClass]
public sealed class DenseOpsTests
{
    [TestMethod]
    [DataRow((int)Activation.Sigmoid)]
    [DataRow((int)Activation.Relu)]
    [DataRow((int)Activation.Identity)]
    public void ForwardMatchesDoublePrecision(int activationValue)
    {
        var activation = (Activation)activationValue;
        // 3 rows of 2 inputs to 40 outputs (panels and a tail); weights span logits from -200 to 200.
        const int rows = 3, inputs = 2, outputs = 40;
        var layer = new DenseLayer(inputs, outputs, activation, WeightOffset: 0, BiasOffset: inputs * outputs);
        var parameters = new float[(inputs * outputs) + outputs];
        for (int j = 0; j < outputs; j++)
        {
            parameters[j] = -100f + (200f * j / (outputs - 1));
            parameters[outputs + j] = 0.5f * (j % 7);
            parameters[(2 * outputs) + j] = -0.25f * (j % 5);
        }

        float[] x = [1f, 1f, 0.01f, -0.02f, 0f, 0f];
        var y = new float[rows * outputs];
        DenseOps.Forward(layer, parameters, x, y, rows, activation, pool: null);

        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double logit = (x[r * inputs] * (double)parameters[j]) + (x[(r * inputs) + 1] * (double)parameters[outputs + j]) + parameters[(2 * outputs) + j];
                double expected = activation switch
                {
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-logit)),
                    Activation.Relu => Math.Max(logit, 0),
                    _ => logit,
                };
                Assert.AreEqual(expected, y[(r * outputs) + j], (1e-6 * Math.Abs(expected)) + 1e-6, $"row {r}, output {j}, logit {logit}");
            }
        }
    }

    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, false)]
    [DataRow(false, true)]
    [DataRow(true, true)]
    public void BackwardOnTwoThreadsGivesTheBitsOfOneThread(bool accumulateDx, bool inputIsRelu)
    {
        // 40 x 96 x 80 multiply-adds per product: above the size where two threads run the two products side by side.
        const int rows = 40, inputs = 96, outputs = 80;
        var layer = new DenseLayer(inputs, outputs, Activation.Relu, WeightOffset: 0, BiasOffset: inputs * outputs);
        var random = new Random(5);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] parameters = Values((inputs * outputs) + outputs), x = Values(rows * inputs), dPre = Values(rows * outputs);
        float[] dxStart = Values(rows * inputs);

        (float[] Gradients, float[] Dx) Run(WorkerPool? pool)
        {
            var gradients = new float[parameters.Length];
            var dx = (float[])dxStart.Clone();
            DenseOps.Backward(layer, parameters, gradients, x, dPre, dx, rows, accumulateDx, inputIsRelu, pool);
            return (gradients, dx);
        }

        (float[] serialGradients, float[] serialDx) = Run(null);
        using var pool = new WorkerPool(2);
        (float[] gradients, float[] dx) = Run(pool);
        CollectionAssert.AreEqual(serialGradients, gradients, "dW and db");
        CollectionAssert.AreEqual(serialDx, dx, "dx");

        // And both are the layer's gradients: dW = xᵀ·dPre, db = column sums, dx = dPre·Wᵀ (plus dx's old values when
        // accumulating), zero where the ReLU's output x is not positive.
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double expected = Enumerable.Range(0, rows).Sum(r => (double)x[(r * inputs) + i] * dPre[(r * outputs) + j]);
                Assert.AreEqual(expected, gradients[(i * outputs) + j], 1e-4, $"dW[{i}, {j}]");
            }
        }

        for (int j = 0; j < outputs; j++)
        {
            Assert.AreEqual(Enumerable.Range(0, rows).Sum(r => (double)dPre[(r * outputs) + j]), gradients[(inputs * outputs) + j], 1e-4, $"db[{j}]");
        }

        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double product = Enumerable.Range(0, outputs).Sum(j => (double)dPre[(r * outputs) + j] * parameters[(i * outputs) + j]);
                double sum = product + (accumulateDx ? dxStart[(r * inputs) + i] : 0);
                double expected = inputIsRelu && x[(r * inputs) + i] <= 0 ? 0 : sum;
                Assert.AreEqual(expected, dx[(r * inputs) + i], 1e-4, $"dx[{r}, {i}]");
            }
        }
    }
}
