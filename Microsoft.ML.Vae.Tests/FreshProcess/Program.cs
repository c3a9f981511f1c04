using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: FreshProcess <model.zip> <data.tsv> <output.tsv>
// data.tsv holds the model's input columns in schema order (vectors spread over consecutive fields), no header.
// output.tsv: one "name<TAB>type" line per visible output column, a blank line, then per row the values of
// ReconstructionError, Score, PredictedLabel, LatentMean..., LatentLogVariance..., Reconstruction....
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: FreshProcess <model.zip> <data.tsv> <output.tsv>");
    return 2;
}

var ml = new MLContext(seed: 0);
ITransformer model = ml.Model.Load(args[0], out DataViewSchema inputSchema);

var columns = new List<TextLoader.Column>();
int field = 0;
foreach (DataViewSchema.Column column in inputSchema)
{
    int width = column.Type is VectorDataViewType vector ? vector.Size : 1;
    DataViewType item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
    DataKind kind = item == NumberDataViewType.Single ? DataKind.Single
        : item == NumberDataViewType.Int32 ? DataKind.Int32
        : item == BooleanDataViewType.Instance ? DataKind.Boolean
        : throw new NotSupportedException($"Column '{column.Name}' has type {column.Type}.");
    columns.Add(column.Type is VectorDataViewType
        ? new TextLoader.Column(column.Name, kind, field, field + width - 1)
        : new TextLoader.Column(column.Name, kind, field));
    field += width;
}

IDataView data = ml.Data.LoadFromTextFile(args[1], [.. columns], separatorChar: '\t');
IDataView scored = model.Transform(data);

using var output = new StreamWriter(args[2]);
foreach (DataViewSchema.Column column in scored.Schema.Where(c => !c.IsHidden))
{
    output.WriteLine($"{column.Name}\t{column.Type}");
}

output.WriteLine();
string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);
float[] errors = scored.GetColumn<float>("ReconstructionError").ToArray();
float[] scores = scored.GetColumn<float>("Score").ToArray();
bool[] labels = scored.GetColumn<bool>("PredictedLabel").ToArray();
float[][] means = scored.GetColumn<float[]>("LatentMean").ToArray();
float[][] logVariances = scored.GetColumn<float[]>("LatentLogVariance").ToArray();
float[][] reconstructions = scored.GetColumn<float[]>("Reconstruction").ToArray();
for (int r = 0; r < scores.Length; r++)
{
    IEnumerable<string> values = new[] { F(errors[r]), F(scores[r]), labels[r] ? "1" : "0" }
        .Concat(means[r].Select(F)).Concat(logVariances[r].Select(F)).Concat(reconstructions[r].Select(F));
    output.WriteLine(string.Join('\t', values));
}

return 0;
