using Paylink.Assistant;
using Paylink.Assistant.Intents;

namespace Paylink.Tests.Assistant;

public sealed class IntentModelTests
{
    [Theory]
    [InlineData("хочу записаться на маникюр завтра в 15:00", Intent.Book)]
    [InlineData("сколько стоит педикюр?", Intent.Price)]
    [InlineData("пришлите ссылку на оплату", Intent.Pay)]
    [InlineData("можно перенести запись на пятницу?", Intent.Reschedule)]
    [InlineData("отмените мою запись пожалуйста", Intent.Cancel)]
    [InlineData("верните деньги, услугу не оказали", Intent.Refund)]
    [InlineData("да, подходит", Intent.Confirm)]
    [InlineData("нет, не подходит", Intent.Decline)]
    [InlineData("здравствуйте!", Intent.Greeting)]
    [InlineData("где вы находитесь?", Intent.Info)]
    [InlineData("how much is a haircut", Intent.Price)]
    [InlineData("привет, сколько стоит маникюр и можно записаться на завтра?", Intent.Book)]
    public void Analyze_SanitySet_PredictsIntent(string text, Intent expected)
    {
        var a = AssistantTestData.Analyze(text);
        Assert.Equal(expected, a.Intent);
        Assert.InRange(a.Confidence, 0, 1);
    }

    [Fact]
    public void Analyze_ClearMessage_IsConfident()
    {
        var a = AssistantTestData.Analyze("отмените запись на завтра");
        Assert.True(a.IsConfident);
        Assert.True(a.Confidence >= AssistantTestData.Analyzer.Options.ConfidenceThreshold);
    }

    [Fact]
    public void Analyze_ThresholdAboveOne_NeverConfident()
    {
        var strict = new MessageAnalyzer(IntentModel.Default, new MessageAnalyzerOptions(ConfidenceThreshold: 1.01));
        Assert.False(strict.Analyze("отмените запись", AssistantTestData.Catalog("salon"), AssistantTestData.Now, AssistantTestData.Moscow).IsConfident);
    }

    [Fact]
    public void LoadEmbedded_ShippedModel_Loads()
    {
        using var model = IntentModel.LoadEmbedded();
        var (intent, confidence) = model.Predict("сколько стоит qprice");
        Assert.Equal(Intent.Price, intent);
        Assert.InRange(confidence, 0.5, 1);
    }

    [Fact]
    public void Predict_ManyThreads_GivesSameAnswers()
    {
        string[] texts = ["сколько стоит маникюр", "отмените запись", "да", "верните деньги", "хочу на стрижку завтра"];
        var expected = texts.Select(t => AssistantTestData.Analyze(t).Intent).ToArray();
        var results = new Intent[400];
        Parallel.For(0, results.Length, i => results[i] = AssistantTestData.Analyze(texts[i % texts.Length]).Intent);
        for (var i = 0; i < results.Length; i++) Assert.Equal(expected[i % texts.Length], results[i]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("🙂🙂🙂")]
    [InlineData("\u0000\u0001\u0002")]
    public void Analyze_NoWords_IsOtherWithoutEntities(string text)
    {
        var a = AssistantTestData.Analyze(text);
        Assert.Equal(Intent.Other, a.Intent);
        Assert.Null(a.ServiceId);
        Assert.Null(a.Date);
        Assert.Null(a.AmountMinor);
    }

    [Fact]
    public void Train_TinySet_LearnsIt()
    {
        (string, string)[] rows =
        [
            ("сколько стоит qprice", "price"), ("цена qprice", "price"), ("почем qprice", "price"),
            ("отмените qcancel", "cancel"), ("отмена записи qcancel", "cancel"), ("отменяю qcancel", "cancel"),
        ];
        using var buffer = new MemoryStream();
        IntentTrainer.Train(rows, buffer);
        buffer.Position = 0;
        using var model = IntentModel.Load(buffer);
        Assert.Equal(Intent.Cancel, model.Predict("отмените пожалуйста qcancel").Intent);
        Assert.Equal(Intent.Price, model.Predict("сколько qprice").Intent);
    }
}
