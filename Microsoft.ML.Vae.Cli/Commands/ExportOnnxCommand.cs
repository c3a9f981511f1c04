using System.CommandLine;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary><c>vae export-onnx</c>: writes the model's ONNX graph (whole or not at all).</summary>
internal static class ExportOnnxCommand
{
    public static System.CommandLine.Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var output = CommonOptions.Output("ONNX file to write.", "model.onnx");
        var command = new System.CommandLine.Command("export-onnx", "Export a model to ONNX (inputs Features; outputs as the score command).") { model, output };
        context.SetAction(command, (parse, _) =>
        {
            string modelPath = parse.GetRequiredValue(model);
            VaeTransformer vae = ModelFile.Load(modelPath);
            OutputFile onnx = OutputFile.Resolve(context, parse.GetRequiredValue(output), "--output", NamedInput.Path("--model", modelPath));
            try
            {
                onnx.Write(vae.ExportOnnx); // a file is written whole or not at all
            }
            catch (NotSupportedException e)
            {
                throw CliException.Model($"This model cannot be exported to ONNX: {e.Message}", e);
            }

            context.Out.WriteLine($"Wrote {onnx.Name}");
            return ExitCodes.Success;
        });
        return command;
    }
}
