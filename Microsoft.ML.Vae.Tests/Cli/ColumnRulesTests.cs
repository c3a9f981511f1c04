using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// Columns named like an id or a label are not features unless named in --features, and the tool says which it left
/// out; columns the tool uses are found by name, so their names must be unique.
/// </summary>
[TestClass]
public sealed class ColumnRulesTests
{
    [TestMethod]
    public void IdAndLabelColumnsAreLeftOutAndNamed()
    {
        var cli = new CliRunner();
        string data = cli.WriteFile("d.csv", string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i % 7 * 0.1},{i % 5 * 0.2},{i % 3},{(i % 10 == 0 ? 1 : 0)}\n")).Insert(0, "id,a,b,customer_id,is_anomaly\n"));
        string model = cli.PathOf("m.vae");
        (int code, _, string error) = cli.Run("train", "-i", data, "-m", model, "--epochs", "1");
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(new[] { "a", "b" }, VaeTransformer.Load(model).FeatureNames!.ToArray());
        StringAssert.Contains(error, "left out column(s) 'id', 'customer_id', 'is_anomaly'");
        StringAssert.Contains(error, "--features");

        (code, _, error) = cli.Run("train", "-i", data, "-m", model, "--epochs", "1", "--features", "id,a");
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(new[] { "id", "a" }, VaeTransformer.Load(model).FeatureNames!.ToArray());
        Assert.DoesNotContain("left out", error);
    }

    [TestMethod]
    public void ColumnsItUsesMustHaveUniqueNames()
    {
        // A model trained on "a,a,b" recorded the features a, a, b and, scoring, read the first 'a' twice.
        var cli = new CliRunner();
        string data = cli.WriteFile("twice.csv", "a,a,b,,\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 7},{i % 5 * 100},{i % 3},,\n")));
        string model = cli.PathOf("m.vae");
        (int code, _, string error) = cli.Run("train", "-i", data, "-m", model, "--epochs", "1");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "twice.csv, line 1: the header has 2 columns named 'a' (#1, #2), and columns are found by their names: rename them, or leave them all out with --exclude.");
        Assert.IsFalse(File.Exists(model));

        // Left out together; unused columns may share a name (here the two unnamed ones too).
        (code, _, error) = cli.Run("train", "-i", data, "-m", model, "--epochs", "1", "--exclude", "a");
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(new[] { "b" }, VaeTransformer.Load(model).FeatureNames!.ToArray());
        (code, _, error) = cli.Run("score", "-m", model, "-i", data, "-o", cli.PathOf("o.csv"));
        Assert.AreEqual(0, code, error);
        (code, _, error) = cli.Run("score", "-m", model, "-i", data, "-o", cli.PathOf("o.csv"), "--keep", "a");
        Assert.AreEqual(2, code, "a kept column is used too");
        StringAssert.Contains(error, "the header has 2 columns named 'a' (#1, #2)");

        string other = cli.WriteFile("named.csv", "a,c,b\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 7},{i % 5},{i % 3}\n")));
        (code, _, error) = cli.Run("train", "-i", other, "-m", model, "--epochs", "1", "--features", "a,b");
        Assert.AreEqual(0, code, error);
        (code, _, error) = cli.Run("score", "-m", model, "-i", data, "-o", cli.PathOf("o.csv"));
        Assert.AreEqual(2, code, "scoring a file whose 'a' is two columns");
        StringAssert.Contains(error, "the header has 2 columns named 'a' (#1, #2)");

        (code, _, error) = cli.Run("train", "-i", other, "-m", model, "--epochs", "1", "--features", "a,b,a");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "--features names column 'a' 2 times; a feature is named once.");
    }

    [TestMethod]
    [DataRow("id", true)]
    [DataRow("ID", true)]
    [DataRow("row_id", true)]
    [DataRow("customerId", true)]
    [DataRow("order-id", true)]
    [DataRow("label", true)]
    [DataRow("Class", true)]
    [DataRow("target", true)]
    [DataRow("y", true)]
    [DataRow("is_anomaly", true)]
    [DataRow("", true)]
    [DataRow("Unnamed: 0", true)]
    [DataRow("valid", false)]
    [DataRow("fluid", false)]
    [DataRow("width", false)]
    [DataRow("x", false)]
    [DataRow("temperature", false)]
    public void NamesLikeAnIdOrALabel(string name, bool expected) => Assert.AreEqual(expected, ColumnRoles.IsIdOrLabel(name), name);
}
