using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Localization;

namespace Paylink.Core.PersonalData;

/// <summary>
/// A client's personal data as 152-FZ asks a merchant to handle it: the export a subject request is answered with
/// (JSON + a human-readable page), erasure that anonymises the person while keeping payments, receipts and invoices,
/// and the act of destruction with the event log extract. Every call writes an audit row in the same transaction.
/// </summary>
public sealed class ClientPersonalData(AppDbContext db, TimeProvider clock)
{
    public sealed record ExportedMessage(string Direction, string Channel, string Text, DateTimeOffset At);
    public sealed record ExportedConversation(string Id, string Channel, string Address, string? DisplayName, DateTimeOffset CreatedAt, IReadOnlyList<ExportedMessage> Messages);
    public sealed record ExportedLink(string Id, string Description, long Amount, string Currency, string Status, DateTimeOffset CreatedAt);
    public sealed record ExportedBooking(string Id, string ServiceName, string? Staff, DateTimeOffset Start, string Status);
    public sealed record ExportedConsent(string Id, string Channel, int DocumentVersion, DateTimeOffset At, string? Ip, string? UserAgent, DateTimeOffset? WithdrawnAt);
    public sealed record ExportedNote(string Kind, string Text, DateTimeOffset At);
    public sealed record Export(string CustomerId, string? Name, string? Phone, string? Email, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt,
        IReadOnlyList<ExportedConsent> Consents, IReadOnlyList<ExportedLink> Links, IReadOnlyList<ExportedBooking> Bookings,
        IReadOnlyList<ExportedConversation> Conversations, IReadOnlyList<ExportedNote> Notes, DateTimeOffset GeneratedAt);
    public sealed record Erasure(string CustomerId, DateTimeOffset ErasedAt, int Conversations, int Messages, int Notes, int Tasks, int Consents, int PaymentsKept);

    /// <summary>The client's data (read from the merchant's rows only) and an audit row <paramref name="action"/> by <paramref name="actor"/>.</summary>
    public async Task<Result<Export>> ExportAsync(string merchantId, string customerId, string actor, string action, CancellationToken ct)
    {
        var c = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.MerchantId == merchantId && x.Id == customerId, ct);
        if (c is null) return Error.NotFound($"Customer '{customerId}'");
        var consents = (await db.ConsentRecords.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.CustomerId == customerId).ToListAsync(ct))
            .OrderBy(x => x.Id, StringComparer.Ordinal).Select(x => new ExportedConsent(x.Id, x.Channel, x.DocumentVersion, x.At, x.Ip, x.UserAgent, x.WithdrawnAt)).ToList();
        var links = (await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.CustomerId == customerId).ToListAsync(ct))
            .OrderBy(x => x.Id, StringComparer.Ordinal).Select(x => new ExportedLink(x.Id, x.Description, x.AmountMinor, x.Currency, x.Status.ToString().ToLowerInvariant(), x.CreatedAt)).ToList();
        var bookings = (await db.Bookings.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.CustomerId == customerId).ToListAsync(ct))
            .OrderBy(x => x.Id, StringComparer.Ordinal).Select(x => new ExportedBooking(x.Id, x.ServiceName, x.Staff, x.StartAt, x.Status.ToString().ToLowerInvariant())).ToList();
        var conversations = await db.Conversations.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.CustomerId == customerId).ToListAsync(ct);
        var ids = conversations.Select(x => x.Id).ToList();
        var messages = (await db.ChannelMessages.IgnoreQueryFilters().AsNoTracking().Where(m => m.MerchantId == merchantId && ids.Contains(m.ConversationId)).ToListAsync(ct))
            .OrderBy(m => m.Id, StringComparer.Ordinal).ToLookup(m => m.ConversationId);
        var convs = conversations.OrderBy(x => x.Id, StringComparer.Ordinal).Select(x => new ExportedConversation(x.Id, x.Channel, x.Address, x.DisplayName, x.CreatedAt,
            messages[x.Id].Select(m => new ExportedMessage(m.Direction, m.Channel, m.Text, m.CreatedAt)).ToList())).ToList();
        var notes = (await db.TimelineEntries.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId && x.ContactId == customerId).ToListAsync(ct))
            .OrderBy(x => x.Id).Select(x => new ExportedNote(x.Kind, x.Text, x.At)).ToList();
        db.PersonalDataAudit.Add(PersonalDataAuditEntry.Create(merchantId, customerId, action, actor, null, clock));
        await db.SaveChangesAsync(ct);
        return new Export(c.Id, c.Name, c.Phone, c.Email, c.CreatedAt, c.ErasedAt, consents, links, bookings, convs, notes, clock.GetUtcNow());
    }

    /// <summary>
    /// Anonymises the person everywhere (customer, conversations and their messages, CRM notes and tasks of their deals,
    /// where consents came from) in one transaction with the audit row. Payment links, payments, refunds, receipts and
    /// bookings keep their ids, amounts and fiscal attributes (accounting keeps them five years). Erasing twice is harmless.
    /// </summary>
    public async Task<Result<Erasure>> EraseAsync(string merchantId, string customerId, string actor, string action, CancellationToken ct)
    {
        var c = await db.Customers.IgnoreQueryFilters().FirstOrDefaultAsync(x => x.MerchantId == merchantId && x.Id == customerId, ct);
        if (c is null) return Error.NotFound($"Customer '{customerId}'");
        var now = clock.GetUtcNow();
        c.Anonymise(now);
        var conversations = await db.Conversations.IgnoreQueryFilters().Where(x => x.MerchantId == merchantId && x.CustomerId == customerId).ToListAsync(ct);
        foreach (var conv in conversations) conv.Anonymise();
        var ids = conversations.Select(x => x.Id).ToList();
        var messages = await db.ChannelMessages.IgnoreQueryFilters().Where(m => m.MerchantId == merchantId && ids.Contains(m.ConversationId)).ToListAsync(ct);
        foreach (var m in messages) m.Erase();
        var notes = await db.TimelineEntries.IgnoreQueryFilters().Where(x => x.MerchantId == merchantId && x.ContactId == customerId).ToListAsync(ct);
        foreach (var n in notes) n.Erase();
        var dealIds = await db.Deals.IgnoreQueryFilters().Where(d => d.MerchantId == merchantId && d.ContactId == customerId).Select(d => d.Id).ToListAsync(ct);
        var tasks = await db.CrmTasks.IgnoreQueryFilters().Where(t => t.MerchantId == merchantId && t.DealId != null && dealIds.Contains(t.DealId)).ToListAsync(ct);
        foreach (var t in tasks) t.Erase();
        var consents = await db.ConsentRecords.IgnoreQueryFilters().Where(x => x.MerchantId == merchantId && x.CustomerId == customerId).ToListAsync(ct);
        foreach (var r in consents) { r.Anonymise(); r.Withdraw(now); }
        var kept = await db.Payments.IgnoreQueryFilters().CountAsync(p => p.MerchantId == merchantId
            && db.PaymentLinks.IgnoreQueryFilters().Any(l => l.Id == p.LinkId && l.CustomerId == customerId), ct);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"conversations={conversations.Count} messages={messages.Count} notes={notes.Count} tasks={tasks.Count} consents={consents.Count} payments_kept={kept}");
        db.PersonalDataAudit.Add(PersonalDataAuditEntry.Create(merchantId, customerId, action, actor, detail, clock));
        await db.SaveChangesAsync(ct);
        return new Erasure(customerId, c.ErasedAt ?? now, conversations.Count, messages.Count, notes.Count, tasks.Count, consents.Count, kept);
    }

    /// <summary>The audit log of the merchant (newest first), optionally of one client.</summary>
    public async Task<IReadOnlyList<PersonalDataAuditEntry>> AuditAsync(string merchantId, string? customerId, int limit, CancellationToken ct)
    {
        var q = db.PersonalDataAudit.IgnoreQueryFilters().AsNoTracking().Where(x => x.MerchantId == merchantId);
        if (customerId is not null) q = q.Where(x => x.CustomerId == customerId);
        return (await q.ToListAsync(ct)).OrderByDescending(x => x.Id, StringComparer.Ordinal).Take(Math.Clamp(limit, 1, 1000)).ToList();
    }

    /// <summary>
    /// Акт об уничтожении персональных данных (RKN order № 179) for an erased client, with the extract of the event
    /// log (the audit rows of that client). 409 when the client has not been erased.
    /// </summary>
    public async Task<Result<string>> DestructionActAsync(string merchantId, string customerId, string actor, CancellationToken ct)
    {
        var c = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.MerchantId == merchantId && x.Id == customerId, ct);
        if (c is null) return Error.NotFound($"Customer '{customerId}'");
        if (c.ErasedAt is null) return Error.Conflict("not_erased", "The client's data has not been erased yet; erase it first.");
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == merchantId, ct);
        var log = (await AuditAsync(merchantId, customerId, 1000, ct)).OrderBy(x => x.Id, StringComparer.Ordinal).ToList();
        db.PersonalDataAudit.Add(PersonalDataAuditEntry.Create(merchantId, customerId, PersonalDataActions.DestructionAct, actor, null, clock));
        await db.SaveChangesAsync(ct);
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Акт об уничтожении персональных данных</title>")
          .Append("<style>body{font:14px/1.5 sans-serif;max-width:50rem;margin:2rem auto}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3rem;text-align:left}</style></head><body>")
          .Append("<h1>Акт об уничтожении персональных данных</h1>")
          .Append("<p>Оператор: ").Append(E(merchant.Name)).Append(" (идентификатор ").Append(E(merchant.Id)).Append(").</p>")
          .Append("<p>Субъект персональных данных: клиент ").Append(E(c.Id)).Append(" (идентифицирующие данные уничтожены).</p>")
          .Append("<p>Дата уничтожения: ").Append(T(c.ErasedAt.Value)).Append(".</p>")
          .Append("<p>Уничтоженные категории: фамилия, имя, отчество; номер телефона; адрес электронной почты; адреса в мессенджерах; тексты переписки; заметки и задачи CRM; IP-адреса и сведения о браузере из записей о согласии.</p>")
          .Append("<p>Способ уничтожения: обезличивание записей в базе данных Paylink без возможности восстановления. Сведения о платежах, чеках и счетах сохранены для бухгалтерского учёта (ст. 29 Федерального закона № 402-ФЗ) без данных, позволяющих определить субъекта.</p>")
          .Append("<h2>Выгрузка из журнала событий</h2><table><tr><th>Время</th><th>Действие</th><th>Кто</th><th>Подробности</th></tr>");
        foreach (var e in log)
            sb.Append("<tr><td>").Append(T(e.At)).Append("</td><td>").Append(E(e.Action)).Append("</td><td>").Append(E(e.Actor)).Append("</td><td>").Append(E(e.Detail)).Append("</td></tr>");
        sb.Append("</table><p>Акт сформирован ").Append(T(clock.GetUtcNow())).Append(".</p><p>Ответственный за обработку ПДн: ____________________ (подпись, ФИО)</p></body></html>");
        return sb.ToString();
    }

    /// <summary>The export as a page a person can read (the answer to a subject request).</summary>
    public static string ToHtml(Export x, string lang)
    {
        var en = lang == "en";
        var T = Texts.For(lang);
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"").Append(en ? "en" : "ru").Append("\"><head><meta charset=\"utf-8\"><title>")
          .Append(T["Ваши персональные данные"]).Append("</title></head><body><h1>")
          .Append(T["Ваши персональные данные"]).Append("</h1><ul>")
          .Append("<li>").Append(T["Имя"]).Append(": ").Append(E(x.Name)).Append("</li>")
          .Append("<li>").Append(T["Телефон"]).Append(": ").Append(E(x.Phone)).Append("</li>")
          .Append("<li>E-mail: ").Append(E(x.Email)).Append("</li></ul>");
        sb.Append("<h2>").Append(T["Согласия"]).Append("</h2><ul>");
        foreach (var c in x.Consents) sb.Append("<li>").Append(At(c.At)).Append(", ").Append(E(c.Channel)).Append(T[", версия "]).Append(c.DocumentVersion).Append("</li>");
        sb.Append("</ul><h2>").Append(T["Счета"]).Append("</h2><ul>");
        foreach (var l in x.Links) sb.Append("<li>").Append(At(l.CreatedAt)).Append(", ").Append(E(l.Description)).Append(", ").Append(E(MoneyFormat.Format(new Money(l.Amount, l.Currency)))).Append("</li>");
        sb.Append("</ul><h2>").Append(T["Записи"]).Append("</h2><ul>");
        foreach (var b in x.Bookings) sb.Append("<li>").Append(At(b.Start)).Append(", ").Append(E(b.ServiceName)).Append("</li>");
        sb.Append("</ul><h2>").Append(T["Переписка"]).Append("</h2>");
        foreach (var c in x.Conversations)
        {
            sb.Append("<h3>").Append(E(c.Channel)).Append("</h3><ul>");
            foreach (var m in c.Messages) sb.Append("<li>").Append(At(m.At)).Append(' ').Append(m.Direction == Messaging.MessageDirections.Inbound ? "→ " : "← ").Append(E(m.Text)).Append("</li>");
            sb.Append("</ul>");
        }
        sb.Append("<h2>").Append(T["Заметки"]).Append("</h2><ul>");
        foreach (var n in x.Notes) sb.Append("<li>").Append(At(n.At)).Append(", ").Append(E(n.Text)).Append("</li>");
        sb.Append("</ul><p>").Append(T["Сформировано "]).Append(At(x.GeneratedAt)).Append("</p></body></html>");
        return sb.ToString();
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
