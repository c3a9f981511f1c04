namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>Loads models, turning every failure into a model error (exit code 3) naming the file.</summary>
internal static class ModelFile
{
    public static VaeTransformer Load(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Model($"Model file not found: {path}");
        }

        try
        {
            return VaeTransformer.Load(path);
        }
        catch (VaeModelFormatException e)
        {
            throw CliException.Model($"{path} is not a usable model file: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Model($"Cannot read model file {path}: {e.Message}", e);
        }
    }
}
