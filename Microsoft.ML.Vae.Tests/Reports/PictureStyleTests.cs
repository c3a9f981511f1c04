using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed class PictureStyleTests
{
    [TestMethod]
    public void ChooseFamily_PrefersASansSerifFamily() =>
        Assert.AreEqual("DejaVu Sans", PictureStyle.ChooseFamily(["DejaVu Serif", "DejaVu Sans", "DejaVu Sans Mono"]));

    [TestMethod]
    public void ChooseFamily_TakesTheFirstFamilyWhenNoneIsKnown() =>
        Assert.AreEqual("Some Font", PictureStyle.ChooseFamily(["Some Font", "Other Font"]));

    [TestMethod]
    public void ChooseFamily_SaysWhatToInstallWhenThereIsNoFont()
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => PictureStyle.ChooseFamily([]));

        StringAssert.Contains(ex.Message, "fonts-dejavu-core");
    }

    [TestMethod]
    public void ThisMachine_HasAFontForThePictures() =>
        Assert.IsFalse(string.IsNullOrEmpty(PictureStyle.FontFamily), "install a font, e.g. Debian's fonts-dejavu-core (.ci/setup does)");
}
