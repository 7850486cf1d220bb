using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public sealed class IdsTests
{
    [Fact]
    public void New_SortsByCreationTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = new List<string>();
        for (var i = 0; i < 50; i++) { ids.Add(Ids.New("lnk", clock)); clock.Advance(TimeSpan.FromMilliseconds(1)); }
        Assert.Equal(ids, ids.OrderBy(x => x, StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Matches("^lnk_[0-9A-HJKMNP-TV-Z]{26}$", id));
    }

    [Fact]
    public void New_SameMillisecond_UniqueAndInOrderOfCreation()
    {
        var clock = new FakeTimeProvider();
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New("x", clock)).ToList();
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(ids, ids.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void New_TwoClocksInterleaved_EachInOrderOfCreation()
    {
        var a = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var b = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ofA = new List<string>();
        for (var i = 0; i < 100; i++) { ofA.Add(Ids.New("x", a)); Ids.New("x", b); }
        Assert.Equal(ofA, ofA.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void NewCode_IsUrlSafeAndRecognised()
    {
        var code = Ids.NewCode();
        Assert.Equal(10, code.Length);
        Assert.True(Ids.IsCode(code));
        Assert.False(Ids.IsCode("abc"));
        Assert.False(Ids.IsCode("0OIl0OIl0O"));   // ambiguous characters are not in the alphabet
        Assert.False(Ids.IsCode(null));
    }
}
