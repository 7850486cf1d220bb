using System.Globalization;
using System.Text.RegularExpressions;
using Paylink.Server.Dashboard;

namespace Paylink.IntegrationTests.Dashboard;

/// <summary>The dashboard's colour pairs meet WCAG 2.1 AA: 4.5:1 for text, 3:1 for control borders.</summary>
public sealed class ContrastTests
{
    private static string Var(string name) => Regex.Match(Layout.Css, "--" + name + ":(#[0-9a-f]{6})").Groups[1].Value;

    [Theory]
    [InlineData("fg", "#ffffff")]
    [InlineData("fg", "bg")]
    [InlineData("muted", "#ffffff")]
    [InlineData("muted", "bg")]
    [InlineData("accent", "#ffffff")]
    [InlineData("accent", "bg")]
    [InlineData("ok", "#e3f2e7")]
    [InlineData("err", "#fbe4e2")]
    [InlineData("err", "#ffffff")]
    public void TextColours_HaveAtLeast4_5To1(string fg, string bg)
    {
        var ratio = Ratio(Var(fg), bg.StartsWith('#') ? bg : Var(bg));
        Assert.True(ratio >= 4.5, $"{fg} on {bg}: {ratio:0.00}:1");
    }

    [Fact]
    public void ButtonsAndBorders_AreReadable()
    {
        Assert.True(Ratio("#ffffff", Var("accent")) >= 4.5);   // white on the accent button
        Assert.Contains("border:1px solid #8a90a0", Layout.Css);
        Assert.True(Ratio("#8a90a0", "#ffffff") >= 3);         // input borders (non-text contrast)
        Assert.Contains(":focus-visible", Layout.Css);
    }

    private static double Ratio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        double C(int i)
        {
            var c = int.Parse(hex.AsSpan(1 + 2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * C(0) + 0.7152 * C(1) + 0.0722 * C(2);
    }
}
