using Microsoft.EntityFrameworkCore;
using Paylink.Core.Crm;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Messaging;

/// <summary>
/// Sends a link issued from the CRM (a Bitrix24 deal reaching the "issue invoice" stage) to the client by
/// their channel: the client's most recent conversation first (Telegram, web chat, SMS, e-mail: whichever
/// they last wrote from or were reached on), else an SMS to their phone or an e-mail to their address
/// through the merchant's first enabled account of that kind. When none of that works, the manager gets a
/// task with the link (<see cref="ManagerTaskLinkSender"/>), so the invoice is never silently dropped.
/// The message joins the caller's SaveChanges.
/// </summary>
public sealed class ChannelLinkSender(SendLinkMessage send, ManagerTaskLinkSender manager, ProviderRegistry<IMessageChannel> channels)
    : IIssuedLinkSender
{
    public async Task SendAsync(AppDbContext db, Deal deal, PaymentLink link, CancellationToken ct)
    {
        foreach (var (account, to) in await RoutesAsync(db, deal, ct))
        {
            var sent = await send.HandleAsync(deal.MerchantId, link.Id, new SendLinkRequest(account, to, TemplateEvents.Invoice), ct);
            if (sent.IsSuccess) return;
        }
        await manager.SendAsync(db, deal, link, ct);
    }

    private async Task<List<(string Account, string To)>> RoutesAsync(AppDbContext db, Deal deal, CancellationToken ct)
    {
        var routes = new List<(string, string)>();
        var enabled = await db.ChannelAccounts.IgnoreQueryFilters()
            .Where(a => a.MerchantId == deal.MerchantId && a.Enabled && a.DeletedAt == null).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        var conversations = await db.Conversations.IgnoreQueryFilters()
            .Where(c => c.MerchantId == deal.MerchantId && c.CustomerId == deal.ContactId && !c.OptedOut)
            .OrderByDescending(c => c.LastMessageAt).Take(5).ToListAsync(ct);
        foreach (var c in conversations)
            if (enabled.Any(a => a.Id == c.AccountId)) routes.Add((c.AccountId, c.Address));
        var contact = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == deal.ContactId, ct);
        if (contact?.Phone is { } phone && FirstReaching(enabled, ContactKind.Phone) is { } sms) routes.Add((sms.Id, phone));
        if (contact?.Email is { } email && FirstReaching(enabled, ContactKind.Email) is { } mail) routes.Add((mail.Id, email));
        return routes;
    }

    /// <summary>The merchant's first account on a channel that can write to a customer's phone (SMS) or e-mail unasked.</summary>
    private ChannelAccount? FirstReaching(IEnumerable<ChannelAccount> accounts, ContactKind kind) =>
        accounts.FirstOrDefault(a => channels.TryGet(a.Provider, out var c) && c.Traits.ReachesBy == kind);
}
