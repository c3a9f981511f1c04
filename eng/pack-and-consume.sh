#!/usr/bin/env bash
# Packs Microsoft.ML.Vae into a local folder, creates a fresh console project that references the package from that
# folder (its dependencies come from the machine's usual NuGet sources), then builds and runs it: an ML.NET pipeline
# trains, scores and saves, and the model is exported to ONNX and scored through ONNX Runtime.
# Exit code 0 when the program ran and printed what it should. Used by .ci/run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
# A version of its own, so the global package cache never serves an older build of the same version.
version="0.0.0-local.$(date +%s).$$"
cleanup() {
  rm -rf "$work" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.vae/$version"
}
trap cleanup EXIT

dotnet pack "$root/Microsoft.ML.Vae/Microsoft.ML.Vae.csproj" -c Release -o "$work/feed" -p:Version="$version" -nologo -v q

mkdir "$work/app"
cd "$work/app"
cat > nuget.config <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="vaeml-local" value="$work/feed" />
  </packageSources>
</configuration>
EOF
cat > app.csproj <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML.Vae" Version="$version" />
  </ItemGroup>
</Project>
EOF
cat > Program.cs <<'EOF'
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Vae;

var random = new Random(3);
Row[] rows = Enumerable.Range(0, 600).Select(i =>
{
    float t = random.NextSingle();
    bool odd = i % 60 == 0;
    return new Row { Features = odd ? [3 * random.NextSingle(), -2, 4, 1] : [t, 2 * t, 1 - t, t * t], Label = odd ? 1 : 0 };
}).ToArray();

var ml = new MLContext(seed: 0);
IDataView data = ml.Data.LoadFromEnumerable(rows);
VaeTransformer model = ml.Transforms.Vae(new VaeOptions
{
    HiddenLayers = [16, 8],
    ReconstructionLoss = ReconstructionLoss.SquaredError,
    Scaling = FeatureScaling.Standard,
    Epochs = 20,
}).Fit(data);
var metrics = ml.AnomalyDetection.Evaluate(model.Transform(data));
Console.WriteLine($"trained: ROC-AUC {metrics.AreaUnderRocCurve:F3}");

ml.Model.Save(model, data.Schema, "model.zip");
model.ExportOnnx("model.onnx");
using var scorer = new OnnxVaeScorer("model.onnx");
float[][] features = rows.Select(r => r.Features).ToArray();
float difference = scorer.Score(features).Zip(model.Transform(features)).Max(p => Math.Abs(p.First.Score - p.Second.Score));
Console.WriteLine($"exported: ONNX Runtime scores within {difference:E1} of the library's");
Console.WriteLine(difference < 1e-4f && metrics.AreaUnderRocCurve > 0.9 ? "package works" : "package FAILED");

public sealed class Row
{
    [VectorType(4)] public float[] Features { get; set; } = [];
    public float Label { get; set; }
}
EOF

dotnet run -c Release -v q -nologo | tee "$work/output.txt"
grep -q "^package works$" "$work/output.txt"
source=$(grep -o '"source": *"[^"]*"' "${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.vae/$version/.nupkg.metadata" || true)
case "$source" in
  *"$work/feed"*) echo "Microsoft.ML.Vae $version came from the local folder." ;;
  *) echo "Microsoft.ML.Vae $version did not come from the local folder ($source)."; exit 1 ;;
esac
