using System.Text.Json;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public abstract class CliTests<TDb>(TDb fixture) : IClassFixture<TDb> where TDb : DbFixture
{
    private Dictionary<string, string?> Settings => fixture.Database.Settings;

    private async Task<(string Id, string ApiKey)> NewMerchantAsync(string name = "Студия")
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, "merchants", "create", "--name", name, "--json");
        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        return (json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!);
    }

    [Fact]
    public async Task PaymentsExport_WritesCsvWithBom_BadPeriodIsUsageError()
    {
        var (id, _) = await NewMerchantAsync();
        var file = Path.Combine(fixture.Database.DataDir, "export.csv");
        var (exit, _, stderr) = await CliRunner.RunAsync(Settings, "payments", "export", "--merchant", id, "--from", "2026-11-01", "--to", "2026-11-30", "--out", file);
        Assert.True(exit == 0, stderr);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("date;operation;document_id;", System.Text.Encoding.UTF8.GetString(bytes[3..]));
        (exit, _, stderr) = await CliRunner.RunAsync(Settings, "payments", "export", "--merchant", id, "--from", "2026-11-30", "--to", "2026-11-01");
        Assert.Equal(2, exit);
        Assert.Contains("to must be after from", stderr);
    }

    [Fact]
    public async Task Migrate_UpToDate_SaysSo()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(Settings, "migrate");
        Assert.Equal(0, exit);
        Assert.Contains("up to date", stdout);
    }

    [Fact]
    public async Task MerchantsCreate_Json_PrintsIdAndKey()
    {
        var (id, key) = await NewMerchantAsync();
        Assert.StartsWith("mer_", id);
        Assert.StartsWith("pl_live_", key);
        var (exit, stdout, _) = await CliRunner.RunAsync(Settings, "merchants", "list");
        Assert.Equal(0, exit);
        Assert.Contains(id, stdout);
        Assert.DoesNotContain(key, stdout);
    }

    [Theory]
    [InlineData("--name", "")]
    [InlineData("--time-zone", "Mars/Olympus")]
    [InlineData("--currency", "XXX")]
    public async Task MerchantsCreate_BadArgument_Exit2WithMessage(string option, string value)
    {
        var args = option == "--name" ? new[] { "merchants", "create", "--name", value } : ["merchants", "create", "--name", "X", option, value];
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, args);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error:", stderr);
    }

    [Fact]
    public async Task Users_Create_PrintsGeneratedPasswordOnce_ResetGivesANewOne_BadInputIsUsageError()
    {
        var (merchant, _) = await NewMerchantAsync();
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, "users", "create", "--merchant", merchant, "--email", "Owner@Example.com", "--json");
        Assert.True(exit == 0, stderr);
        var created = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("owner@example.com", created.GetProperty("email").GetString());
        Assert.Equal("owner", created.GetProperty("role").GetString());
        var password = created.GetProperty("password").GetString()!;
        Assert.Matches("^[2-9a-zA-Z]{5}(-[2-9a-zA-Z]{5}){3}$", password);

        (exit, _, stderr) = await CliRunner.RunAsync(Settings, "users", "create", "--merchant", merchant, "--email", "owner@example.com");
        Assert.Equal(1, exit);
        Assert.Contains("already exists", stderr);
        (exit, _, stderr) = await CliRunner.RunAsync(Settings, "users", "create", "--merchant", merchant, "--email", "x@example.com", "--role", "admin");
        Assert.Equal(2, exit);
        Assert.Contains("role", stderr);
        (exit, _, stderr) = await CliRunner.RunAsync(Settings, "users", "create", "--merchant", "mer_nope", "--email", "y@example.com");
        Assert.Equal(1, exit);

        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "users", "create", "--merchant", merchant, "--email", "staff@example.com", "--role", "staff");
        Assert.Equal(0, exit);
        Assert.Contains("Password (shown once", stdout);
        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "users", "list", "--merchant", merchant);
        Assert.Contains("owner@example.com", stdout);
        Assert.Contains("staff@example.com  " + merchant + "  staff", stdout);
        Assert.DoesNotContain(password, stdout);

        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "users", "reset-password", "--email", "owner@example.com", "--json");
        Assert.Equal(0, exit);
        Assert.NotEqual(password, JsonDocument.Parse(stdout).RootElement.GetProperty("password").GetString());
    }

    [Fact]
    public async Task MerchantsCreate_MissingName_UsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(Settings, "merchants", "create");
        Assert.NotEqual(0, exit);
        Assert.Contains("--name", stderr);
    }

    [Fact]
    public async Task CatalogImport_ValidFile_CreatesThenUpdates()
    {
        var (id, _) = await NewMerchantAsync();
        var file = Path.Combine(fixture.Database.DataDir, "catalog.json");
        await File.WriteAllTextAsync(file, """[{"id":"manicure","name":"Маникюр","priceMinor":250000,"currency":"RUB","aliases":["маник"]}]""");
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, "catalog", "import", "--merchant", id, file);
        Assert.True(exit == 0, stderr);
        Assert.Contains("1 created, 0 updated", stdout);
        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "catalog", "import", "--merchant", id, file);
        Assert.Contains("0 created, 1 updated", stdout);
    }

    [Fact]
    public async Task CatalogImport_BadFile_Exit2NamingTheProblemAndImportsNothing()
    {
        var (id, _) = await NewMerchantAsync();
        var file = Path.Combine(fixture.Database.DataDir, "bad.json");
        await File.WriteAllTextAsync(file, """[{"id":"ok","name":"A","priceMinor":100,"currency":"RUB"},{"id":"bad","name":"B","priceMinor":-1,"currency":"RUB"}]""");
        var (exit, _, stderr) = await CliRunner.RunAsync(Settings, "catalog", "import", "--merchant", id, file);
        Assert.Equal(2, exit);
        Assert.Contains("[1].priceMinor", stderr);
        (exit, _, stderr) = await CliRunner.RunAsync(Settings, "catalog", "import", "--merchant", id, Path.Combine(fixture.Database.DataDir, "missing.json"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public async Task CatalogImport_UnknownMerchant_Exit1()
    {
        var file = Path.Combine(fixture.Database.DataDir, "one.json");
        await File.WriteAllTextAsync(file, """[{"id":"a","name":"A","priceMinor":100,"currency":"RUB"}]""");
        var (exit, _, stderr) = await CliRunner.RunAsync(Settings, "catalog", "import", "--merchant", "mer_nope", file);
        Assert.Equal(1, exit);
        Assert.Contains("was not found", stderr);
    }

    [Fact]
    public async Task Links_CreateShowList_RoundTrip()
    {
        var (id, _) = await NewMerchantAsync();
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, "links", "create", "--merchant", id, "--amount", "150000",
            "--description", "Стрижка", "--phone", "8 916 123-45-67");
        Assert.True(exit == 0, stderr);
        var link = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("open", link.GetProperty("status").GetString());
        Assert.Equal("Стрижка", link.GetProperty("description").GetString());
        var linkId = link.GetProperty("id").GetString()!;

        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "links", "show", linkId);
        Assert.Equal(0, exit);
        Assert.Equal(150000, JsonDocument.Parse(stdout).RootElement.GetProperty("amount").GetInt64());

        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "links", "list", "--merchant", id, "--json");
        Assert.Equal(0, exit);
        var listed = JsonDocument.Parse(stdout.Trim()).RootElement;
        Assert.Equal(linkId, listed.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, listed.GetProperty("payments").ValueKind);
        Assert.Equal(JsonValueKind.Array, listed.GetProperty("refunds").ValueKind);

        (exit, stdout, _) = await CliRunner.RunAsync(Settings, "links", "list", "--merchant", id);
        Assert.Equal(0, exit);
        var lines = stdout.Trim().Split('\n');
        Assert.Matches("^CREATED \\(UTC\\) +ID +STATUS +AMOUNT +PAID +REFUNDED +DESCRIPTION$", lines[0]);
        Assert.Contains(linkId, lines[1]);
        Assert.Contains("open", lines[1]);
        Assert.Contains("₽1,500.00", lines[1]);
        Assert.EndsWith("Стрижка", lines[1]);
    }

    [Fact]
    public async Task LinksCreate_InvalidAmount_Exit2()
    {
        var (id, _) = await NewMerchantAsync();
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, "links", "create", "--merchant", id, "--amount", "-5", "--description", "x");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("amount", stderr);
    }

    [Fact]
    public async Task LinksShow_Unknown_Exit1()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(Settings, "links", "show", "lnk_nope");
        Assert.Equal(1, exit);
        Assert.Contains("was not found", stderr);
    }

    [Fact]
    public async Task ConfigCheck_Valid_Exit0()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Settings, "config", "check", "--connect");
        Assert.True(exit == 0, stderr);
        Assert.Contains("Configuration is valid", stdout);
    }

    [Theory]
    [InlineData("Database:Provider", "mysql", "Database:Provider")]
    [InlineData("Links:MaxAmountMinor", "0", "MaxAmountMinor")]
    [InlineData("PublicBaseUrl", "not a url", "PublicBaseUrl")]
    public async Task ConfigCheck_Invalid_Exit2NamingTheOption(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>(Settings) { [key] = value };
        var (exit, _, stderr) = await CliRunner.RunAsync(settings, "config", "check");
        Assert.Equal(2, exit);
        Assert.Contains(named, stderr);
    }
}

public sealed class CliSqliteTests(SqliteDb db) : CliTests<SqliteDb>(db);
public sealed class CliPostgresTests(PostgresDb db) : CliTests<PostgresDb>(db);
