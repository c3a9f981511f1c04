global using Microsoft.ML.Vae;
