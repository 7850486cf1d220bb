using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Localization;

namespace Paylink.Core.Messaging;

/// <summary>The events a merchant can word (and the built-in wording when they have not).</summary>
public static class TemplateEvents
{
    public const string BookingConfirmation = "booking_confirmation";
    public const string PrepaymentOffer = "prepayment_offer";
    public const string Invoice = "invoice";
    public const string Reminder = "reminder";
    public const string PaymentReceived = "payment_received";
    public const string ReceiptLink = "receipt_link";
    public const string VisitReminder = "visit_reminder";
    public const string LinkExpired = "link_expired";
    public const string RefundDone = "refund_done";
    public const string OptOutConfirmation = "opt_out_confirmation";

    public static readonly string[] Languages = ["ru", "en"];

    /// <summary>Built-in texts per event, in Russian; the English is in the resources (see <see cref="Texts"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [BookingConfirmation] = "{{client.name}}, вы записаны: {{service}}, {{date}} в {{time}}. {{merchant.name}}",
        [PrepaymentOffer] = "{{client.name}}, чтобы закрепить запись на «{{service}}» {{date}} в {{time}}, внесите предоплату {{amount}}: {{link}}",
        [Invoice] = "{{merchant.name}}: счёт на {{amount}} — {{service}}. Оплатить: {{link}}",
        [Reminder] = "{{client.name}}, напоминаем: счёт на {{amount}} ({{service}}) ещё не оплачен. Оплатить: {{link}}",
        [PaymentReceived] = "Оплата {{amount}} получена, спасибо! {{merchant.name}}",
        [ReceiptLink] = "Ваш чек за «{{service}}» на {{amount}}: {{link}}",
        [VisitReminder] = "{{client.name}}, напоминаем о записи: {{service}}, {{date}} в {{time}}. {{merchant.name}}",
        [LinkExpired] = "Срок оплаты счёта на {{amount}} ({{service}}) истёк. Напишите нам, если нужен новый.",
        [RefundDone] = "Мы вернули {{amount}} за «{{service}}». Деньги придут в течение нескольких дней. {{merchant.name}}",
        [OptOutConfirmation] = "Хорошо, больше не будем напоминать. Чтобы снова получать сообщения, напишите «старт».",
    };

    /// <summary>Placeholders a template may use.</summary>
    public static readonly string[] Placeholders =
        ["client.name", "service", "amount", "link", "date", "time", "merchant.name", "order", "expires", "description"];

    public static bool IsKnown(string evt) => Defaults.ContainsKey(evt);
}

/// <summary>Values for one rendering; missing ones render as empty (client.name as a greeting).</summary>
public sealed class TemplateValues : Dictionary<string, string>
{
    public TemplateValues() : base(StringComparer.Ordinal) { }
}

/// <summary>Reads, validates, saves and renders merchant templates.</summary>
public sealed partial class MessageTemplates(AppDbContext db, TimeProvider clock)
{
    public static Result<string> Validate(string? text, string field = "text")
    {
        if (string.IsNullOrWhiteSpace(text)) return Error.Validation(field, "text is required.");
        if (text.Length > MessageTemplate.MaxText) return Error.Validation(field, $"text must be at most {MessageTemplate.MaxText} characters.");
        var unknown = PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value.Trim())
            .Where(p => !TemplateEvents.Placeholders.Contains(p, StringComparer.Ordinal)).Distinct().ToList();
        if (unknown.Count > 0)
            return Error.Validation(field, $"Unknown placeholder(s): {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}. Known: {string.Join(" ", TemplateEvents.Placeholders.Select(p => "{{" + p + "}}"))}.");
        var opens = CountOf(text, "{{");
        if (opens != CountOf(text, "}}") || opens != PlaceholderPattern().Count(text))
            return Error.Validation(field, "text has an unclosed or malformed {{placeholder}}.");
        return text;
    }

    public static Result<string> ParseLanguage(string? lang) =>
        lang is null or "" ? "ru" : TemplateEvents.Languages.Contains(lang) ? lang : Error.Validation("lang", "lang must be ru or en.");

    /// <summary>The merchant's text for the event and language, or the built-in one.</summary>
    public async Task<(string Text, bool Custom)> GetAsync(string merchantId, string evt, string lang, CancellationToken ct)
    {
        var own = await db.MessageTemplates.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(t => t.MerchantId == merchantId && t.Event == evt && t.Language == lang, ct);
        if (own is not null) return (own.Text, true);
        var d = TemplateEvents.Defaults[evt];
        return (Texts.For(lang)[d], false);
    }

    public async Task<Result<string>> SaveAsync(string merchantId, string evt, string lang, string? text, CancellationToken ct)
    {
        var valid = Validate(text);
        if (!valid.IsSuccess) return valid;
        await db.UpsertAsync(async c =>
        {
            var own = await db.MessageTemplates.FirstOrDefaultAsync(t => t.MerchantId == merchantId && t.Event == evt && t.Language == lang, c);
            if (own is null) db.MessageTemplates.Add(MessageTemplate.Create(merchantId, evt, lang, valid.Value, clock.GetUtcNow()));
            else own.Replace(valid.Value, clock.GetUtcNow());
        }, ct);
        return valid;
    }

    /// <summary>Back to the built-in text.</summary>
    public async Task ResetAsync(string merchantId, string evt, string lang, CancellationToken ct) =>
        await db.MessageTemplates.Where(t => t.MerchantId == merchantId && t.Event == evt && t.Language == lang).ExecuteDeleteAsync(ct);

    /// <summary>A text rendered with sample data and its SMS length (the API's preview and the dashboard's editor).</summary>
    public static (string Text, SmsCount Sms) Preview(Merchants.Merchant merchant, string template, string lang)
    {
        var rendered = Render(template, SampleValues.For(merchant, lang), lang);
        return (rendered, SmsSegments.Count(rendered));
    }

    public static string Render(string template, TemplateValues values, string lang)
    {
        var text = PlaceholderPattern().Replace(template, m =>
        {
            var key = m.Groups[1].Value.Trim();
            if (values.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v)) return v;
            return key == "client.name" ? Texts.For(lang)["Здравствуйте"] : "";
        });
        // Tidy what empty values leave behind: doubled spaces, a space before punctuation, empty brackets.
        var sb = new StringBuilder(text.Length);
        foreach (var line in text.Replace("()", "", StringComparison.Ordinal).Replace("«»", "", StringComparison.Ordinal).Split('\n'))
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(SpaceBeforePunct().Replace(Spaces().Replace(line, " "), "$1").Trim());
        }
        return sb.ToString();
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.]*)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@" ([,.:;!?])")]
    private static partial Regex SpaceBeforePunct();
}
