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
}
