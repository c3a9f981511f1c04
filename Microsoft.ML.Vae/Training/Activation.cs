namespace Microsoft.ML.Vae.Training;

/// <summary>The nonlinearity applied after a dense layer's affine map.</summary>
public enum Activation
{
    /// <summary>y = x (the latent heads, and the output layer with squared error).</summary>
    Identity = 0,

    /// <summary>y = max(x, 0) (every hidden layer).</summary>
    Relu = 1,

    /// <summary>y = 1 / (1 + exp(-x)) (the output layer with binary cross-entropy, which training applies inside the loss).</summary>
    Sigmoid = 2,
}
