using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Microsoft.ML.Vae.Tests.Readme;

/// <summary>Every C# block of the README is a complete program: it compiles as pasted into a console project and runs.</summary>
[TestClass]
public sealed partial class ReadmeTests
{
    /// <summary>What a new console project (<c>dotnet new console</c>, implicit usings on) imports without asking.</summary>
    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    private static string ReadmePath => Path.Combine(AppContext.BaseDirectory, "README.md");

    private static string RepositoryRoot =>
        // The test binaries sit at Microsoft.ML.Vae.Tests/bin/<configuration>/<framework>/.
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public static IEnumerable<object[]> Blocks =>
        CsharpBlock().Matches(File.ReadAllText(ReadmePath)).Select((m, i) => new object[] { i, Heading(m) });

    [TestMethod]
    public void QuickStartIsTheQuickstartExample()
    {
        string readme = File.ReadAllText(ReadmePath);
        Match quickStart = CsharpBlock().Matches(readme).FirstOrDefault(m => Heading(m) == "Quick start")
            ?? throw new AssertFailedException("README.md has no C# block under '## Quick start'");
        string example = File.ReadAllText(Path.Combine(RepositoryRoot, "examples", "Quickstart", "Program.cs"));
        Assert.AreEqual(Normalize(example), Normalize(quickStart.Groups["code"].Value));
    }

    [TestMethod]
    public void TheReadmeHasItsBlocks() => Assert.IsGreaterThanOrEqualTo(3, Blocks.Count());

    /// <summary>Changes the working directory and console, so it runs alone.</summary>
    [TestMethod]
    [DoNotParallelize]
    [DynamicData(nameof(Blocks))]
    public void BlockCompilesAndRuns(int index, string heading)
    {
        string code = CsharpBlock().Matches(File.ReadAllText(ReadmePath))[index].Groups["code"].Value;
        MethodInfo main = Compile(code, $"ReadmeBlock{index}");
        string output = Run(main);
        if (heading == "Quick start")
        {
            Match auc = Regex.Match(output, @"ROC-AUC (?<auc>[0-9.]+)");
            Assert.IsTrue(auc.Success, output);
            Assert.IsGreaterThanOrEqualTo(0.9, double.Parse(auc.Groups["auc"].Value, System.Globalization.CultureInfo.InvariantCulture), output);
        }
    }

    private static MethodInfo Compile(string code, string name)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(code, parse, path: name + ".cs"), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        string errors = string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.IsTrue(result.Success, $"{name} does not compile:\n{errors}");
        return Assembly.Load(image.ToArray()).EntryPoint!;
    }

    /// <summary>Runs the program in an empty directory and returns what it wrote to the console.</summary>
    private static string Run(MethodInfo main)
    {
        string directory = Path.Combine(Path.GetTempPath(), "vaeml-readme", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        TextWriter console = Console.Out;
        string previous = Environment.CurrentDirectory;
        var output = new StringWriter();
        try
        {
            Environment.CurrentDirectory = directory;
            Console.SetOut(output);
            main.Invoke(null, main.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            return output.ToString();
        }
        finally
        {
            Console.SetOut(console);
            Environment.CurrentDirectory = previous;
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The nearest <c>##</c> or <c>###</c> heading above a block.</summary>
    private static string Heading(Match block)
    {
        string before = File.ReadAllText(ReadmePath)[..block.Index];
        Match heading = Regex.Matches(before, @"^#{2,3} (?<title>.+)$", RegexOptions.Multiline).LastOrDefault()!;
        return heading?.Groups["title"].Value.Trim() ?? string.Empty;
    }

    private static string Normalize(string code) =>
        string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"```csharp\r?\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();
}
