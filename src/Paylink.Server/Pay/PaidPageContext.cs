using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;

namespace Paylink.Server.Pay;

/// <summary>What the pay page's «Оплачено» view adds: the booking the link paid for, the web chat it came from and, for a
/// self-employed merchant, the buyer's «Мой налог» receipt.</summary>
/// <param name="ChatPath">/chat/{slug or merchant id} when the link was sent in a web-chat conversation.</param>
/// <param name="ReceiptUrl">The live registered «Мой налог» receipt (after a partial refund, the one for what was kept).</param>
public sealed record PaidPageContext(string? Service, DateTimeOffset? Start, string? ChatPath, string? ReceiptUrl = null)
{
    /// <summary>
    /// Read only for a paid link (the open page, the hot path, never pays for it): the booking whose prepayment
    /// or order the link is, and the web-chat account of a conversation the link was sent in.
    /// </summary>
    public static async Task<PaidPageContext?> LoadAsync(AppDbContext db, PayPageLink link, CancellationToken ct)
    {
        var order = (await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.Id == link.Id).Select(l => l.OrderRef).FirstOrDefaultAsync(ct));
        var balanceOf = order is not null && order.EndsWith(":balance", StringComparison.Ordinal) ? order[..^":balance".Length] : null;
        var booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.MerchantId == link.MerchantId && (b.LinkId == link.Id || b.Id == order || b.Id == balanceOf))
            .Select(b => new { b.ServiceName, b.StartAt }).FirstOrDefaultAsync(ct);
        var account = await db.ChannelMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.LinkId == link.Id && m.MerchantId == link.MerchantId)
            .Join(db.Conversations.IgnoreQueryFilters(), m => m.ConversationId, c => c.Id, (m, c) => c)
            .Where(c => c.Channel == ChannelAccounts.WebChat)
            .Join(db.ChannelAccounts.IgnoreQueryFilters(), c => c.AccountId, a => a.Id, (c, a) => new { a.Slug, a.MerchantId, a.DeletedAt, a.Enabled })
            .FirstOrDefaultAsync(a => a.DeletedAt == null && a.Enabled, ct);
        var receipt = await Paylink.Core.Receipts.SelfEmployedOverview.ReceiptUrlAsync(db, link.MerchantId, link.Id, ct);
        if (booking is null && account is null && receipt is null) return null;
        var chat = account is null ? null : "/chat/" + Uri.EscapeDataString(account.Slug ?? account.MerchantId);
        return new PaidPageContext(booking?.ServiceName, booking?.StartAt, chat, receipt);
    }
}
