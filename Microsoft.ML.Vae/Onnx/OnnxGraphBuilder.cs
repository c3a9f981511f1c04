using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.Vae.Onnx.Proto;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// Assembles an ONNX model (default domain, one opset) node by node: graph inputs and outputs, float initializers,
/// nodes with attributes, model metadata. Knows nothing about VAEs; the exporter and the tests both use it.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The IR version written: ONNX 1.13+ (IR 8) covers opset 17 and every ONNX Runtime since 1.14 reads it.</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain opset the graphs are written against.</summary>
    public const long OpsetVersion = 17;

    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private int nodeCount;

    public OnnxGraphBuilder(string graphName)
    {
        graph = new GraphProto { Name = graphName };
    }

    /// <summary>Declares a graph input; dimensions are long or int (fixed) or string (symbolic, e.g. the batch "N").</summary>
    public void AddInput(string name, TensorProto.Types.DataType elementType, params object[] dimensions)
        => graph.Input.Add(ValueInfo(Claim(name), elementType, dimensions));

    /// <summary>Declares a graph output (produced by some node); dimensions are long (fixed) or string (symbolic).</summary>
    public void AddOutput(string name, TensorProto.Types.DataType elementType, params object[] dimensions)
        => graph.Output.Add(ValueInfo(name, elementType, dimensions));

    /// <summary>Adds a float constant of the given shape, stored as raw little-endian bytes.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] dimensions)
    {
        long count = 1;
        foreach (long d in dimensions)
        {
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Initializer '{name}' has {values.Length} values but its shape holds {count}.", nameof(values));
        }

        var tensor = new TensorProto
        {
            Name = Claim(name),
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.Add(dimensions);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 constant of the given shape (shapes and axes of ONNX operators).</summary>
    public string AddInt64Initializer(string name, long[] values, params long[] dimensions)
    {
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.Add(values);
        tensor.Dims.Add(dimensions);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a float scalar (rank 0) constant.</summary>
    public string AddScalar(string name, float value) => AddInitializer(name, [value]);

    /// <summary>Adds a node of the default domain; returns its first output's name for chaining.</summary>
    public string AddNode(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{nodeCount++}" };
        node.Input.Add(inputs);
        foreach (string output in outputs)
        {
            node.Output.Add(Claim(output));
        }

        node.Attribute.Add(attributes);
        graph.Node.Add(node);
        return outputs[0];
    }

    /// <summary>Adds a one-output node: <c>output = opType(inputs...)</c>.</summary>
    public string Add(string opType, string output, params string[] inputs) => AddNode(opType, inputs, [output]);

    public static AttributeProto IntAttribute(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto FloatAttribute(string name, float value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Wraps the graph in a model with producer fields and metadata properties (written in the given order).</summary>
    public ModelProto Build(string producerName, string producerVersion, IEnumerable<KeyValuePair<string, string>> metadata, string docString = "")
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private string Claim(string name)
    {
        if (!names.Add(name))
        {
            throw new InvalidOperationException($"ONNX value name '{name}' is defined twice.");
        }

        return name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, object[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (object dimension in dimensions)
        {
            shape.Dim.Add(dimension switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"Dimension of '{name}' must be a string (symbolic) or an integer.", nameof(dimensions)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
        };
    }
}
