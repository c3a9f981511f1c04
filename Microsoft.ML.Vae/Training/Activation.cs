namespace Microsoft.ML.Vae.Training;

/// <summary>The nonlinearity applied after a dense layer's affine map.</summary>
internal enum Activation
{
    Identity = 0,
    Relu = 1,
    Sigmoid = 2,
}
