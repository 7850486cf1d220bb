using Paylink.Core.Catalog;

namespace Paylink.Tests.Catalog;

public sealed class ImportCatalogTests
{
    [Fact]
    public void Parse_Valid_ReadsEntries()
    {
        var r = ImportCatalog.Parse("""[{"id":"manicure","name":"Маникюр","priceMinor":250000,"currency":"RUB","aliases":["маник"]},{"id":"brows","name":"Брови","priceMinor":120000,"currency":"RUB","durationMinutes":40}]""");
        Assert.True(r.IsSuccess);
        Assert.Equal(["маник"], r.Value[0].Aliases);
        Assert.Equal(40, r.Value[1].DurationMinutes);
    }

    [Theory]
    [InlineData("""{"id":"x"}""", "$")]
    [InlineData("""[{"id":"Bad Id","name":"x","priceMinor":1,"currency":"RUB"}]""", "[0].id")]
    [InlineData("""[{"id":"a","name":"x","priceMinor":1,"currency":"RUB"},{"id":"a","name":"y","priceMinor":1,"currency":"RUB"}]""", "[1].id")]
    [InlineData("""[{"id":"a","name":"","priceMinor":1,"currency":"RUB"}]""", "[0].name")]
    [InlineData("""[{"id":"a","name":"x","priceMinor":-1,"currency":"RUB"}]""", "[0].priceMinor")]
    [InlineData("""[{"id":"a","name":"x","priceMinor":1,"currency":"XYZ"}]""", "[0].currency")]
    [InlineData("""[{"id":"a","name":"x","priceMinor":"1","currency":"RUB"}]""", "$[0].priceMinor")]
    [InlineData("""[{"id":"a","name":"x","priceMinor":1,"currency":"RUB","price":5}]""", "$[0].price")]
    [InlineData("""[{"id":"a","priceMinor":1,"currency":"RUB"}]""", "$[0]")]
    [InlineData("""not json""", "$")]
    public void Parse_Invalid_NamesTheEntryAndField(string json, string field)
    {
        var r = ImportCatalog.Parse(json);
        Assert.False(r.IsSuccess);
        Assert.Contains(r.Error!.Fields!.Keys, k => k.StartsWith(field, StringComparison.Ordinal));
    }
}
