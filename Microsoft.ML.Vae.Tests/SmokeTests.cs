namespace Microsoft.ML.Vae.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void Builds() => Assert.AreEqual(2, int.Parse("2", System.Globalization.CultureInfo.InvariantCulture));
}
