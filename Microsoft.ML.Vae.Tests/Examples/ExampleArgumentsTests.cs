using VaeMl.Examples;

namespace Microsoft.ML.Vae.Tests.Examples;

[TestClass]
public sealed class ExampleArgumentsTests
{
    [TestMethod]
    public void ExampleArguments_ParsesAndRejects()
    {
        var flags = new ExampleArguments(["--epochs", "3", "--digits=1,2"], "--epochs", "--digits");

        Assert.AreEqual(3, flags.GetInt("--epochs", 10));
        CollectionAssert.AreEqual(new[] { 1, 2 }, flags.GetInts("--digits", []));
        Assert.AreEqual(7, flags.GetInt("--latent", 7));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => flags.GetInt("--digits", 1)).Message, "--digits");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ExampleArguments(["--epochs"], "--epochs")).Message, "needs a value");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ExampleArguments(["stray"], "--epochs")).Message, "stray");
    }
}
