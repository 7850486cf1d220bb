using System.CommandLine;
using System.Text;
using System.Text.Json;
using Paylink.Cli;
using Paylink.Cli.Commands;

namespace Paylink.Tests.Assistant;

/// <summary>End-to-end through the CLI. CliApp.Out/Err and the input are process-wide, so these run one at a time.</summary>
[Collection("CliConsole")]
public sealed class AnalyzeCommandTests
{
    private const string Now = "2026-11-18T10:00:00+03:00";

    private static async Task<(int Code, string Out, string Err)> RunAsync(byte[] stdin, params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(AnalyzeEvalCommand.Create());
        var (oldOut, oldErr, oldIn) = (CliApp.Out, CliApp.Err, AnalyzeCommand.OpenInput);
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            CliApp.Out = output;
            CliApp.Err = error;
            AnalyzeCommand.OpenInput = () => new MemoryStream(stdin);
            var code = await CliApp.InvokeAsync(root, args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            (CliApp.Out, CliApp.Err, AnalyzeCommand.OpenInput) = (oldOut, oldErr, oldIn);
        }
    }

    private static Task<(int Code, string Out, string Err)> AnalyzeAsync(string stdin, params string[] extra) =>
        RunAsync(Encoding.UTF8.GetBytes(stdin), ["analyze", "--catalog", AssistantTestData.CatalogPath("salon"), "--now", Now, .. extra]);

    private static JsonElement[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

    [Fact]
    public async Task Analyze_Message_WritesExactJsonShape()
    {
        var (code, output, _) = await AnalyzeAsync("запишите на маникюр завтра в 15:00, тел 89161234567, почта anna@mail.ru, предоплата 1000р\n");
        Assert.Equal(0, code);
        var line = Assert.Single(Lines(output));
        Assert.Equal(["text", "intent", "serviceId", "date", "time", "amountMinor", "phone", "email", "confidence"],
            line.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("book", line.GetProperty("intent").GetString());
        Assert.Equal("manicure", line.GetProperty("serviceId").GetString());
        Assert.Equal("2026-11-19", line.GetProperty("date").GetString());
        Assert.Equal("15:00", line.GetProperty("time").GetString());
        Assert.Equal(100000, line.GetProperty("amountMinor").GetInt64());
        Assert.Equal("+79161234567", line.GetProperty("phone").GetString());
        Assert.Equal("anna@mail.ru", line.GetProperty("email").GetString());
        Assert.InRange(line.GetProperty("confidence").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Analyze_NothingFound_WritesNulls()
    {
        var (_, output, _) = await AnalyzeAsync("где вы находитесь\n");
        var line = Assert.Single(Lines(output));
        foreach (var field in new[] { "serviceId", "date", "time", "amountMinor", "phone", "email" })
            Assert.Equal(JsonValueKind.Null, line.GetProperty(field).ValueKind);
    }

    [Fact]
    public async Task Analyze_BadLines_OneValidLineEachInOrder()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("сколько стоит педикюр\n\n🙂🙂\n"));
        bytes.AddRange([0xFF, 0xFE, 0x00, 0xC3, 0x28, (byte)'\n']);            // invalid UTF-8 and a NUL
        bytes.AddRange(Encoding.UTF8.GetBytes(new string('а', 200_000) + "\n")); // very long line
        bytes.AddRange(Encoding.UTF8.GetBytes("отмените запись\r\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("да"));                           // no final newline
        var (code, output, _) = await RunAsync([.. bytes], "analyze", "--catalog", AssistantTestData.CatalogPath("salon"), "--now", Now);
        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal(7, lines.Length);
        Assert.Equal("price", lines[0].GetProperty("intent").GetString());
        Assert.Equal("other", lines[1].GetProperty("intent").GetString());
        Assert.Equal("", lines[1].GetProperty("text").GetString());
        Assert.Equal("other", lines[2].GetProperty("intent").GetString());
        Assert.Equal("other", lines[3].GetProperty("intent").GetString());
        Assert.Equal(AnalyzeCommand.MaxLineLength, lines[4].GetProperty("text").GetString()!.Length);
        Assert.Equal("отмените запись", lines[5].GetProperty("text").GetString());
        Assert.Equal("cancel", lines[5].GetProperty("intent").GetString());
        Assert.Equal("confirm", lines[6].GetProperty("intent").GetString());
    }

    [Fact]
    public async Task Analyze_ManyLines_KeepsOrder()
    {
        var input = string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"сообщение номер {i}")) + "\n";
        var (_, output, _) = await AnalyzeAsync(input);
        var lines = Lines(output);
        Assert.Equal(3000, lines.Length);
        for (var i = 0; i < lines.Length; i++) Assert.Equal($"сообщение номер {i}", lines[i].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Analyze_NowWithoutOffset_IsReadInZone()
    {
        var (code, output, _) = await RunAsync(Encoding.UTF8.GetBytes("завтра\n"),
            "analyze", "--catalog", AssistantTestData.CatalogPath("salon"), "--now", "2026-11-18T23:30:00", "--tz", "Asia/Tokyo");
        Assert.Equal(0, code);
        Assert.Equal("2026-11-19", Assert.Single(Lines(output)).GetProperty("date").GetString());
    }

    [Fact]
    public async Task Analyze_MissingCatalog_ExitsTwoNamingTheFile()
    {
        var (code, output, error) = await RunAsync([], "analyze", "--catalog", "/nonexistent/catalog.json", "--now", Now);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--catalog", error);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public async Task Analyze_MalformedCatalog_ExitsTwo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"paylink-bad-catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "[{\"id\": \"Bad Id\", \"name\": \"x\"");
        try
        {
            var (code, _, error) = await RunAsync([], "analyze", "--catalog", path, "--now", Now);
            Assert.Equal(2, code);
            Assert.Contains("not a valid catalog", error);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("--now", "вчера")]
    [InlineData("--now", "2026-13-45T10:00:00+03:00")]
    [InlineData("--tz", "Mars/Olympus")]
    public async Task Analyze_BadArgument_ExitsTwoNamingIt(string option, string value)
    {
        string[] args = option == "--now"
            ? ["analyze", "--catalog", AssistantTestData.CatalogPath("salon"), "--now", value]
            : ["analyze", "--catalog", AssistantTestData.CatalogPath("salon"), "--now", Now, "--tz", value];
        var (code, output, error) = await RunAsync(Encoding.UTF8.GetBytes("привет\n"), args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(option, error);
    }

    [Fact]
    public async Task AnalyzeEval_TestSet_PrintsReport()
    {
        var (code, output, _) = await RunAsync([], "analyze-eval", "--data", Path.Combine(AssistantTestData.DataFolder, "test.jsonl"));
        Assert.Equal(0, code);
        Assert.Contains("macro-F1", output);
        Assert.Contains("service accuracy", output);
        Assert.Contains("confusion", output);
    }

    [Fact]
    public async Task Analyze_LlmEnabledWithoutBaseUrl_IsAUsageErrorNamingTheSetting()
    {
        Environment.SetEnvironmentVariable("PAYLINK_Assistant__Llm__Enabled", "true");
        try
        {
            var (code, output, err) = await AnalyzeAsync("привет\n");
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains("Assistant:Llm:BaseUrl", err);
            Assert.Contains("Assistant:Llm:Model", err);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PAYLINK_Assistant__Llm__Enabled", null);
        }
    }

    [Fact]
    public async Task Analyze_WithLlm_AsksOnlyAboutUnsureLines_AndKeepsOrder()
    {
        await using var fake = new FakeChatCompletions
        {
            Content = """{"intent":"price","serviceId":null,"date":null,"time":null,"amountMinor":null,"confidence":0.77}""",
        };
        var vars = new Dictionary<string, string> { ["Enabled"] = "true", ["BaseUrl"] = fake.BaseUrl, ["Model"] = "m" };
        foreach (var (k, v) in vars) Environment.SetEnvironmentVariable("PAYLINK_Assistant__Llm__" + k, v);
        try
        {
            Assert.False(AssistantTestData.Analyze("это самое ну").IsConfident); // the rules are unsure of this one
            var (code, output, _) = await AnalyzeAsync("хочу записаться на маникюр завтра в 15:00\nэто самое ну\n");
            Assert.Equal(0, code);
            var lines = Lines(output);
            Assert.Equal(2, lines.Length);
            Assert.Equal("book", lines[0].GetProperty("intent").GetString());
            Assert.Equal("это самое ну", lines[1].GetProperty("text").GetString());
            Assert.Single(fake.Requests);
            Assert.Equal("price", lines[1].GetProperty("intent").GetString());
            Assert.Equal(0.77, lines[1].GetProperty("confidence").GetDouble());
        }
        finally
        {
            foreach (var k in vars.Keys) Environment.SetEnvironmentVariable("PAYLINK_Assistant__Llm__" + k, null);
        }
    }
}
