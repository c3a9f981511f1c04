using System.CommandLine;
using Microsoft.ML.Vae.Cli.Csv;

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
            VaeTransformer vae = ModelFile.Load(parse.GetRequiredValue(model));
            string path = parse.GetRequiredValue(output);
            OutputFile.CheckDirectory(path);
            try
            {
                vae.ExportOnnx(path); // written whole or not at all
            }
            catch (NotSupportedException e)
            {
                throw CliException.Model($"This model cannot be exported to ONNX: {e.Message}", e);
            }

            context.Out.WriteLine($"Wrote {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
