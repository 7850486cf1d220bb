using Paylink.Core.Messaging;

namespace Paylink.Tests.Messaging;

public class SmsSegmentsTests
{
    [Fact]
    public void Empty_IsZeroSegments()
    {
        Assert.Equal(new SmsCount(SmsEncoding.Gsm7, 0, 0, 160), SmsSegments.Count(""));
        Assert.Equal(0, SmsSegments.Count(null).Segments);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void Gsm7_Boundaries(int length, int segments)
    {
        var c = SmsSegments.Count(new string('a', length));
        Assert.Equal(SmsEncoding.Gsm7, c.Encoding);
        Assert.Equal(length, c.Characters);
        Assert.Equal(segments, c.Segments);
        Assert.Equal(segments == 1 ? 160 : 153, c.PerSegment);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(201, 3)]
    [InlineData(202, 4)]
    public void Cyrillic_IsUcs2_Boundaries(int length, int segments)
    {
        var c = SmsSegments.Count(new string('ж', length));
        Assert.Equal(SmsEncoding.Ucs2, c.Encoding);
        Assert.Equal(length, c.Characters);
        Assert.Equal(segments, c.Segments);
        Assert.Equal(segments == 1 ? 70 : 67, c.PerSegment);
    }

    [Fact]
    public void RealRussianText()
    {
        var c = SmsSegments.Count("Оплатите заказ №42 по ссылке: https://pl.example/p/AB12CD");
        Assert.Equal(SmsEncoding.Ucs2, c.Encoding);
        Assert.Equal(57, c.Characters);
        Assert.Equal(1, c.Segments);
    }

    [Fact]
    public void OneCyrillicLetter_SwitchesTheWholeTextToUcs2()
    {
        var c = SmsSegments.Count(new string('a', 100) + "я");
        Assert.Equal(SmsEncoding.Ucs2, c.Encoding);
        Assert.Equal(101, c.Characters);
        Assert.Equal(2, c.Segments);
    }

    [Theory]
    [InlineData("€", 2)]
    [InlineData("{}[]~^|\\", 16)]
    [InlineData("Price: 5€", 10)]
    [InlineData("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¡ÄÖÑÜ§¿äöñüà", 41)]
    public void Gsm7_ExtensionCharactersCountTwo(string text, int characters)
    {
        var c = SmsSegments.Count(text);
        Assert.Equal(SmsEncoding.Gsm7, c.Encoding);
        Assert.Equal(characters, c.Characters);
    }

    [Fact]
    public void Gsm7_ExtensionBoundaries()
    {
        Assert.Equal(1, SmsSegments.Count(new string('a', 158) + "€").Segments); // 160 septets
        Assert.Equal(2, SmsSegments.Count(new string('a', 159) + "€").Segments); // 161 septets
        // 306 septets would fit two parts, but the escape pair cannot straddle them, so it takes three.
        var c = SmsSegments.Count(new string('a', 152) + "€" + new string('a', 152));
        Assert.Equal(306, c.Characters);
        Assert.Equal(3, c.Segments);
    }

    [Fact]
    public void Emoji_CountsTwoCodeUnits_AndIsNotSplit()
    {
        var c = SmsSegments.Count("Спасибо! 🙂");
        Assert.Equal(SmsEncoding.Ucs2, c.Encoding);
        Assert.Equal(11, c.Characters);
        Assert.Equal(1, c.Segments);
        Assert.Equal(1, SmsSegments.Count(new string('ж', 68) + "🙂").Segments); // 70 units
        Assert.Equal(2, SmsSegments.Count(new string('ж', 69) + "🙂").Segments);
        // 66 + a surrogate pair would be 68 in part one: the emoji moves to part two.
        var split = SmsSegments.Count(new string('ж', 66) + "🙂" + new string('ж', 66));
        Assert.Equal(134, split.Characters);
        Assert.Equal(3, split.Segments);
    }

    [Fact]
    public void LatinLettersOutsideGsm_AreUcs2()
    {
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Count("façade").Encoding); // ç lowercase is not in GSM-7
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Count("Line1\nLine2\r").Encoding);
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Count("tab\there").Encoding);
    }
}
