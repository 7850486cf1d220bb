using Microsoft.EntityFrameworkCore;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.PersonalData;

namespace Paylink.Assistant.Conversations;

/// <summary>
/// The consent step in chat (web chat and every messenger), when the merchant requires it (docs/personal-data.md):
/// before the assistant answers a client's first message it sends the consent document's link and waits. The
/// client's messages stay unanswered (the cursor does not move), so once the client agrees («согласен», "I agree")
/// the consent is recorded (time, channel, text version, conversation) and the held messages are answered in order,
/// as if nothing had stood between. A refusal hands the conversation to the manager.
/// </summary>
public sealed class ChatConsent(AppDbContext db, PersonalDataPolicy pdn, MessageOutbox outbox, PublicUrls urls)
{
    /// <summary>Author of the consent requests, which also tells the gate it has asked.</summary>
    public const string Author = "consent";

    /// <summary>What the assistant may do with the pending messages.</summary>
    /// <param name="Proceed">Answer them (consent given or not required).</param>
    /// <param name="AgreementId">The message that gave consent: marked answered, not passed to the dialogue.</param>
    public sealed record Gate(bool Proceed, string? AgreementId = null);

    public async Task<Gate> CheckAsync(Conversation conversation, IReadOnlyList<ChannelMessage> pending, CancellationToken ct)
    {
        var merchantId = conversation.MerchantId;
        if (!await pdn.ConsentMissingAsync(merchantId, conversation.CustomerId, conversation.Id, null, ct)) return new Gate(true);

        var lang = DialogueEngine.LanguageOf(pending[0].Text) ?? conversation.Language;
        var asks = await db.ChannelMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirections.Outbound && m.Author == Author)
            .Select(m => m.Id).ToListAsync(ct);
        var (version, _, _) = await pdn.CurrentConsentAsync(merchantId, ct);
        var url = urls.ConsentPage(merchantId, version, lang);
        if (asks.Count == 0)
        {
            outbox.Queue(db, conversation, lang == "en"
                ? $"Hello! Before we go on, we need your consent to the processing of your personal data (name, phone, messages, orders). The text: {url}\nIf you agree, reply “I agree”."
                : $"Здравствуйте! Прежде чем продолжить, нам нужно ваше согласие на обработку персональных данных (имя, телефон, переписка, заказы). Текст согласия: {url}\nЕсли согласны, ответьте «Согласен».",
                author: Author);
            await db.SaveChangesAsync(ct);
            return new Gate(false);
        }

        // Message ids grow with time (monotonic within an instance): what came after the last request is the reply to it.
        var asked = asks.Max(StringComparer.Ordinal)!;
        var since = pending.Where(m => string.CompareOrdinal(m.Id, asked) > 0).ToList();
        if (since.FirstOrDefault(m => Answer(m.Text) == Reply.Agree) is { } agreement)
        {
            var recorded = await pdn.RecordConsentAsync(merchantId, conversation.CustomerId, conversation.Id, null, conversation.Channel, version, null, null, ct);
            if (!recorded.IsSuccess) throw new InvalidOperationException($"Recording the chat consent failed: {recorded.Error!.Message}");
            return new Gate(true, agreement.Id);
        }
        if (since.Any(m => Answer(m.Text) == Reply.Refuse))
        {
            outbox.Queue(db, conversation, lang == "en"
                ? "Understood. Without the consent the assistant cannot book or invoice you; our manager will answer you personally."
                : "Понимаем. Без согласия ассистент не может записать вас или выставить счёт — администратор ответит вам сам.",
                author: Author);
            conversation.Answered(pending[^1].Id, conversation.AssistantState, paused: true);
            conversation.MarkNeedsReply();
            await db.SaveChangesAsync(ct);
            return new Gate(false);
        }
        // Something else after the request: remind once (a retry of this run finds the reminder newer than the message).
        if (since.Count > 0)
        {
            outbox.Queue(db, conversation, lang == "en"
                ? $"To go on, please reply “I agree” — your consent to the processing of personal data: {url}"
                : $"Чтобы продолжить, ответьте «Согласен» — это согласие на обработку персональных данных: {url}",
                author: Author);
            await db.SaveChangesAsync(ct);
        }
        return new Gate(false);
    }

    public enum Reply { Other, Agree, Refuse }

    /// <summary>Reads a reply to the consent request: only a short, plain yes or no counts; anything longer is
    /// another message (it stays held and the request is repeated).</summary>
    public static Reply Answer(string? text)
    {
        var t = new string((text ?? "").ToLowerInvariant().Replace('ё', 'е').Where(c => char.IsLetter(c) || c == ' ' || c == '+').ToArray()).Trim();
        t = string.Join(' ', t.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (t.Length == 0 || t.Length > 40) return Reply.Other;
        string[] refuse = ["нет", "не согласен", "не согласна", "не согласны", "не даю", "не даю согласие", "против", "no", "i disagree", "disagree",
            "i do not agree", "i dont agree", "dont agree", "no thanks"];
        if (refuse.Contains(t)) return Reply.Refuse;
        string[] agree = ["согласен", "согласна", "согласны", "я согласен", "я согласна", "да", "да согласен", "да согласна", "даю согласие",
            "да даю согласие", "согласен с условиями", "ок", "окей", "хорошо", "принимаю", "+", "agree", "i agree", "yes", "yes i agree", "ok", "okay"];
        return agree.Contains(t) ? Reply.Agree : Reply.Other;
    }
}
