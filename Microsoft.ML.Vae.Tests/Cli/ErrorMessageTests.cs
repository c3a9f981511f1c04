namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// Every failure is one line starting with "error:" in the tool's words (plus the usage line for usage errors), with
/// no colour codes off a terminal; labels are exactly what the message says; the same training gives the same file.
/// </summary>
[TestClass]
public sealed class ErrorMessageTests
{
    [TestMethod]
    [DataRow("unknown option '--epoch' for vae train (did you mean --epochs?)", "train", "-i", "d.csv", "-m", "m.vae", "--epoch", "3")]
    [DataRow("unknown command 'trian' (did you mean train?)", "trian", "-i", "d.csv")]
    [DataRow("--loss takes auto, bce, squared-error or gaussian (got 'mse')", "train", "-i", "d.csv", "-m", "m.vae", "--loss", "mse")]
    [DataRow("--epochs takes a whole number (got 'ten')", "train", "-i", "d.csv", "-m", "m.vae", "--epochs", "ten")]
    [DataRow("--epochs must be at least 1 (was 0)", "train", "-i", "d.csv", "-m", "m.vae", "--epochs", "0")]
    [DataRow("--contamination must be in [0, 0.5] (was 0.7)", "train", "-i", "d.csv", "-m", "m.vae", "--contamination", "0.7")]
    [DataRow("--early-stopping-patience needs a validation split: set --validation-fraction above 0", "train", "-i", "d.csv", "-m", "m.vae", "--early-stopping-patience", "2")]
    [DataRow("vae score needs --output <scores.csv>", "score", "-m", "m.vae", "-i", "d.csv")]
    [DataRow("--top-features must be 0 or more", "score", "-m", "m.vae", "-i", "d.csv", "-o", "o.csv", "--top-features", "-1")]
    public void UsageErrorsAreOneErrorLineAndTheUsageLine(string message, params string[] args)
    {
        var cli = new CliRunner();
        cli.WriteData("d.csv");
        string[] inDirectory = [.. args.Select(a => a.EndsWith(".csv", StringComparison.Ordinal) || a.EndsWith(".vae", StringComparison.Ordinal) ? cli.PathOf(a) : a)];
        (int code, string output, string error) = cli.Run(inDirectory);
        Assert.AreEqual(1, code, error);
        Assert.AreEqual("", output);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(2, lines, error);
        Assert.AreEqual($"error: {message}.", lines[0]);
        StringAssert.StartsWith(lines[1], "usage: vae");
        Assert.DoesNotContain("VaeOptions", error);
        Assert.DoesNotContain("Parameter", error);
        Assert.DoesNotContain("\u001b", error);
    }

    [TestMethod]
    public void NoCommandIsAUsageError()
    {
        (int code, _, string error) = new CliRunner().Run();
        Assert.AreEqual(1, code);
        Assert.AreEqual("error: no command given.", error.Split('\n')[0]);
        StringAssert.Contains(error, "usage: vae <command> [options], where <command> is train, score, evaluate, export-onnx, inspect or report");
    }

    [TestMethod]
    public void DataAndModelErrorsAreOneErrorLine()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        foreach ((string[] args, int expected) in new[]
        {
            (new[] { "score", "-m", model, "-i", cli.PathOf("missing.csv"), "-o", cli.PathOf("o.csv") }, 2),
            (["score", "-m", cli.PathOf("missing.vae"), "-i", data, "-o", cli.PathOf("o.csv")], 3),
            (["score", "-m", model, "-i", cli.WriteFile("bad.csv", "a,b,c\n1,x,2\n"), "-o", cli.PathOf("o.csv")], 2),
            (["train", "-i", cli.WriteFile("h.csv", "a,b\n"), "-m", cli.PathOf("x.vae")], 2),
        })
        {
            (int code, string output, string error) = cli.Run(args);
            Assert.AreEqual(expected, code, error);
            Assert.AreEqual("", output);
            Assert.AreEqual(1, error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, error);
            StringAssert.StartsWith(error, "error: ");
            Assert.DoesNotContain("\u001b", error);
        }
    }

    /// <summary>The finding: "yes" was taken as an anomaly label. Labels are exactly 0/1 or true/false, as the message says.</summary>
    [TestMethod]
    public void LabelsAcceptExactlyWhatTheMessageSays()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        foreach (string label in new[] { "yes", "no", "2", "-1" })
        {
            string data = cli.WriteFile("l.csv", $"a,b,c,label\n1,2,0,0\n0.5,1,0,1\n0.2,0.4,5,{label}\n");
            (int code, _, string error) = cli.Run("evaluate", "--model", model, "--input", data, "--label", "label");
            Assert.AreEqual(2, code, label);
            StringAssert.Contains(error, $"line 4, column 'label' (#4): label '{label}' is not 0 or 1 (any number form, such as 1.0) or true or false (any case)");
        }

        string good = cli.WriteFile("g.csv", "a,b,c,label\n1,2,0,0\n0.5,1,0,1.0\n0.2,0.4,5,TRUE\n0.1,0.2,0,false\n");
        (int ok, _, string message) = cli.Run("evaluate", "--model", model, "--input", good, "--label", "label", "--json");
        Assert.AreEqual(0, ok, message);
    }

    /// <summary>The finding: two trainings with the same seed gave different bytes (timings were stored).</summary>
    [TestMethod]
    public void TheSameDataOptionsAndSeedGiveTheSameModelFile()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string first = cli.Train(data, "first.vae", "--epochs", "3", "--validation-fraction", "0.2");
        string second = cli.Train(data, "second.vae", "--epochs", "3", "--validation-fraction", "0.2");
        CollectionAssert.AreEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }
}
