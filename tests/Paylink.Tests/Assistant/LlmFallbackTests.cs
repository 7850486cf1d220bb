using System.Diagnostics;
using System.Net;
using Paylink.Assistant;
using Paylink.Assistant.Llm;

namespace Paylink.Tests.Assistant;

/// <summary>The optional language-model fallback against a local OpenAI-compatible server.</summary>
public sealed class LlmFallbackTests : IAsyncLifetime
{
    private readonly FakeChatCompletions _fake = new();
    private LlmFallbackOptions _options = null!;

    public Task InitializeAsync()
    {
        _options = new LlmFallbackOptions { Enabled = true, BaseUrl = _fake.BaseUrl, Model = "test-model", ApiKey = "sk-test", TimeoutSeconds = 5 };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    /// <summary>An analyzer whose rules are never sure (threshold above 1), so every message reaches the model.</summary>
    private LlmAssistedAnalyzer Unsure(out IDisposable chat)
    {
        var client = LlmAssistedAnalyzer.CreateChatClient(_options);
        chat = client;
        var rules = MessageAnalyzer.CreateDefault(new MessageAnalyzerOptions(ConfidenceThreshold: 1.01));
        return new LlmAssistedAnalyzer(rules, client, _options);
    }

    private static Task<MessageAnalysis> Understand(LlmAssistedAnalyzer a, string text, IEnumerable<string>? names = null) =>
        a.UnderstandAsync(text, AssistantTestData.Catalog("salon"), AssistantTestData.Now, AssistantTestData.Moscow, names, CancellationToken.None);

    [Fact]
    public async Task ConfidentRules_NeverCallTheModel()
    {
        using var client = LlmAssistedAnalyzer.CreateChatClient(_options);
        var a = new LlmAssistedAnalyzer(AssistantTestData.Analyzer, client, _options);
        var r = await Understand(a, "хочу записаться на маникюр завтра в 15:00");
        Assert.Equal(Intent.Book, r.Intent);
        Assert.Equal(AnalysisSource.Rules, r.Source);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Unsure_AsksTheModel_WithPersonalDataMasked_AndSchema()
    {
        _fake.Content = """{"intent":"book","serviceId":"manicure","date":"2026-11-20","time":"15:00","amountMinor":null,"confidence":0.9}""";
        var a = Unsure(out var chat);
        using (chat)
        {
            var r = await Understand(a, "Меня зовут Анна Петрова, мой номер +7 916 123-45-67, почта anna.p@example.com, карта 4111 1111 1111 1111. Можно к вам?", ["Анна Петрова"]);
            Assert.Equal(Intent.Book, r.Intent);
            Assert.Equal(AnalysisSource.LanguageModel, r.Source);
            Assert.Equal(0.9, r.Confidence);
            Assert.True(r.IsConfident is false); // 0.9 is below this test analyzer's threshold of 1.01
            Assert.Equal("manicure", r.ServiceId);
            Assert.Equal(new DateOnly(2026, 11, 20), r.Date);
            Assert.Equal(new TimeOnly(15, 0), r.Time);
            Assert.Equal("+79161234567", r.Phone); // contacts come from the rules, never from the model
        }
        var (auth, body) = Assert.Single(_fake.Requests);
        Assert.Equal("Bearer sk-test", auth);
        var sent = body.RootElement.GetRawText();
        foreach (var secret in (string[])["Анна", "Петрова", "916", "123-45-67", "anna.p", "example.com", "4111"])
            Assert.DoesNotContain(secret, System.Text.RegularExpressions.Regex.Unescape(sent));
        Assert.Equal("test-model", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("temperature").GetDouble());
        var format = body.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var schema = format.GetProperty("json_schema").GetProperty("schema");
        Assert.Contains("reschedule", schema.GetProperty("properties").GetProperty("intent").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task RulesEntitiesWinOverTheModels()
    {
        _fake.Content = """{"intent":"reschedule","serviceId":"pedicure","date":"2026-12-01","time":"10:00","amountMinor":99,"confidence":0.8}""";
        var a = Unsure(out var chat);
        using (chat)
        {
            var r = await Understand(a, "маникюр завтра в 15:00 за 2500");
            Assert.Equal(Intent.Reschedule, r.Intent);
            Assert.Equal("manicure", r.ServiceId);
            Assert.Equal(new DateOnly(2026, 11, 19), r.Date);
            Assert.Equal(new TimeOnly(15, 0), r.Time);
            Assert.Equal(250000, r.AmountMinor);
        }
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"intent":"book"}""")]
    [InlineData("""{"intent":"dance","serviceId":null,"date":null,"time":null,"amountMinor":null,"confidence":0.9}""")]
    [InlineData("""{"intent":"book","serviceId":"tattoo","date":null,"time":null,"amountMinor":null,"confidence":0.9}""")]
    [InlineData("""{"intent":"book","serviceId":null,"date":"2031-01-01","time":null,"amountMinor":null,"confidence":0.9}""")]
    [InlineData("""{"intent":"book","serviceId":null,"date":null,"time":"25:00","amountMinor":null,"confidence":0.9}""")]
    [InlineData("""{"intent":"book","serviceId":null,"date":null,"time":null,"amountMinor":-5,"confidence":0.9}""")]
    [InlineData("""{"intent":"book","serviceId":null,"date":null,"time":null,"amountMinor":null,"confidence":7}""")]
    public async Task InvalidAnswer_KeepsTheRulesAnalysis(string content)
    {
        _fake.Content = content;
        var a = Unsure(out var chat);
        using (chat)
        {
            var r = await Understand(a, "а можно как-нибудь по-другому");
            Assert.Equal(AnalysisSource.Rules, r.Source);
            Assert.Single(_fake.Requests);
        }
    }

    [Fact]
    public async Task CodeFencedJson_IsAccepted()
    {
        _fake.Content = "```json\n{\"intent\":\"price\",\"serviceId\":null,\"date\":null,\"time\":null,\"amountMinor\":null,\"confidence\":0.7}\n```";
        var a = Unsure(out var chat);
        using (chat) Assert.Equal(Intent.Price, (await Understand(a, "почём нынче красота")).Intent);
    }

    [Fact]
    public async Task ServerError_KeepsTheRulesAnalysis()
    {
        _fake.Status = HttpStatusCode.InternalServerError;
        var a = Unsure(out var chat);
        using (chat) Assert.Equal(AnalysisSource.Rules, (await Understand(a, "хм")).Source);
        Assert.Single(_fake.Requests); // no retries: the timeout is the only budget
    }

    [Fact]
    public async Task SlowModel_TimesOut_AndTheRulesAnswerStands()
    {
        _fake.Delay = TimeSpan.FromSeconds(10);
        _options.TimeoutSeconds = 0.3;
        var a = Unsure(out var chat);
        var sw = Stopwatch.StartNew();
        using (chat) Assert.Equal(AnalysisSource.Rules, (await Understand(a, "хм")).Source);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task UnreachableEndpoint_KeepsTheRulesAnalysis()
    {
        _options.BaseUrl = "http://127.0.0.1:1/v1";
        var a = Unsure(out var chat);
        using (chat) Assert.Equal(AnalysisSource.Rules, (await Understand(a, "хм")).Source);
    }

    [Fact]
    public void Options_ValidateNamesTheSetting()
    {
        Assert.Empty(new LlmFallbackOptions().Validate());
        var errors = new LlmFallbackOptions { Enabled = true, BaseUrl = "ftp://x" }.Validate();
        Assert.Contains(errors, e => e.Contains("Assistant:Llm:BaseUrl"));
        Assert.Contains(errors, e => e.Contains("Assistant:Llm:Model"));
    }

    [Theory]
    [InlineData("мой телефон 8 (916) 123-45-67", "мой телефон [phone]")]
    [InlineData("пишите на Anna.P@example.com!", "пишите на [email]!")]
    [InlineData("карта 4111 1111 1111 1111", "карта [card]")]
    [InlineData("Меня зовут Ольга, хочу на стрижку", "Меня зовут [name], хочу на стрижку")]
    [InlineData("Hi, my name is John Smith", "Hi, my name is [name]")]
    [InlineData("маникюр 20.11 в 15:00 за 2500", "маникюр 20.11 в 15:00 за 2500")]
    public void Masker_RemovesContactsAndNames_KeepsDatesAndAmounts(string text, string expected) =>
        Assert.Equal(expected, PiiMasker.Mask(text));

    [Fact]
    public void Masker_KnownNames_AnyCase() =>
        Assert.Equal("[name] хочет на маникюр, [name] [name]", PiiMasker.Mask("ольга хочет на маникюр, Ольга Иванова", ["Ольга Иванова"]));
}
