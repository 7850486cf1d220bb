using Paylink.Assistant.Training;
using Paylink.Core.Assistance;

namespace Paylink.Tests.Assistant;

/// <summary>The conversation harness over the real dialogue and the fixture set beside this file.</summary>
[Collection("CliConsole")]
public sealed class ConversationEvaluationTests
{
    private static string Fixture(string file) => Path.Combine(AssistantTestData.RepoRoot, "tests", "Paylink.Tests", "Assistant", "Conversations", file);

    private static readonly IReadOnlyDictionary<string, Paylink.Assistant.CatalogSnapshot> Catalogs =
        LabelledSet.LoadCatalogs(Path.Combine(AssistantTestData.DataFolder, "catalogs"));

    private static readonly IReadOnlyDictionary<string, AssistantSettings> Settings = ConversationEvaluation.LoadSettings(Fixture("settings.json"));

    private static ConversationCase Case(string id) => ConversationEvaluation.Load(Fixture("conversations.jsonl")).Single(c => c.Id == id);

    private static Task<ConversationResult> RunAsync(ConversationCase c) =>
        ConversationEvaluation.RunOneAsync(AssistantTestData.Analyzer, c, Catalogs, Settings, channelLanguage: null, CancellationToken.None);

    private static BookingOutcome Manicure(string time, string status) => new("manicure", "2026-11-20", time, null, status);

    [Fact]
    public async Task Run_BookConfirmPay_IsRightWithConfirmedBooking()
    {
        var r = await RunAsync(Case("t01"));
        Assert.Equal(ConversationVerdict.Right, r.Verdict);
        Assert.Equal([Manicure("15:00", "confirmed")], r.Actual.Bookings);
        Assert.Equal([54000L], r.Actual.Invoices);
        Assert.True(r.LanguageKept);
        Assert.Contains(r.Transcript, l => l.StartsWith("[paid lnk_1 54000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_BusySlot_BooksTheOfferedTimeStillPending()
    {
        var r = await RunAsync(Case("t02"));
        Assert.Equal(ConversationVerdict.Right, r.Verdict);
        Assert.Equal("pending", Assert.Single(r.Actual.Bookings).Status);
    }

    [Fact]
    public async Task Run_TwoMisunderstandings_HandsOver()
    {
        var r = await RunAsync(Case("t03"));
        Assert.True(r.Actual.Handoff);
        Assert.Equal(ConversationVerdict.Right, r.Verdict);
        Assert.Empty(r.Actual.Bookings);
    }

    [Fact]
    public async Task Run_ExpectingAnotherTime_CountsAWrongBooking()
    {
        var c = Case("t01");
        var r = await RunAsync(c with { Expect = c.Expect with { Bookings = [Manicure("16:00", "confirmed")] } });
        Assert.Equal(ConversationVerdict.WrongBooking, r.Verdict);
        Assert.True(r.WrongBooking);
        Assert.False(r.WrongInvoice);
    }

    [Fact]
    public void Score_StatusShortOrMissingBooking_IsNeitherNotWrong()
    {
        var expect = new ConversationOutcome([Manicure("15:00", "confirmed")], [54000], [], false);
        Assert.Equal(ConversationVerdict.Neither, ConversationEvaluation.Score(expect, expect with { Bookings = [Manicure("15:00", "pending")] }).Verdict);
        Assert.Equal(ConversationVerdict.Neither, ConversationEvaluation.Score(expect, new ConversationOutcome([], [], [], false)).Verdict);
    }

    [Fact]
    public void Score_InvoiceNotExpected_IsWrongInvoice()
    {
        var expect = new ConversationOutcome([], [54000], [], false);
        var (verdict, wrongBooking, wrongInvoice) = ConversationEvaluation.Score(expect, expect with { Invoices = [54000, 126000] });
        Assert.Equal(ConversationVerdict.WrongInvoice, verdict);
        Assert.False(wrongBooking);
        Assert.True(wrongInvoice);
    }

    [Fact]
    public void Score_HandoffDiffers_IsNotRight()
    {
        var expect = new ConversationOutcome([], [], [], true);
        Assert.Equal(ConversationVerdict.Right, ConversationEvaluation.Score(expect, expect).Verdict);
        Assert.Equal(ConversationVerdict.Neither, ConversationEvaluation.Score(expect, expect with { Handoff = false }).Verdict);
    }

    [Theory]
    [InlineData("Записываю: Маникюр, пт 20 ноября в 15:00", "ru")]
    [InlineData("Booked: manicure on Fri 20 Nov at 15:00. Pay here https://pay.example/p/lnk_1", "en")]
    [InlineData("Оплатите по ссылке https://pay.example/p/lnk_1", "ru")]
    [InlineData("15:00", null)]
    public void ScriptOf_Text_IsItsMajorityScriptIgnoringLinks(string text, string? expected) =>
        Assert.Equal(expected, ConversationEvaluation.ScriptOf(text));

    [Fact]
    public async Task ConverseEval_Cli_PrintsTheFigures()
    {
        var root = new System.CommandLine.RootCommand("test");
        root.Subcommands.Add(Paylink.Cli.Commands.ConverseEvalCommand.Create());
        var (oldOut, oldErr) = (Paylink.Cli.CliApp.Out, Paylink.Cli.CliApp.Err);
        var output = new StringWriter();
        try
        {
            Paylink.Cli.CliApp.Out = output;
            Paylink.Cli.CliApp.Err = new StringWriter();
            var code = await Paylink.Cli.CliApp.InvokeAsync(root, ["converse-eval", "--data", Fixture("conversations.jsonl"),
                "--catalogs", Path.Combine(AssistantTestData.DataFolder, "catalogs"), "--errors"]);
            Assert.Equal(0, code);
        }
        finally
        {
            (Paylink.Cli.CliApp.Out, Paylink.Cli.CliApp.Err) = (oldOut, oldErr);
        }
        var text = output.ToString();
        Assert.Contains("conversations:   3", text);
        Assert.Contains("right:           3", text);
        Assert.Contains("wrong bookings:  0", text);
        Assert.Contains("language kept:   3", text);
    }
}
