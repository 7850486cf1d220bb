using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Payments;

/// <summary>
/// Starts (or resumes) a checkout for a link at its gateway and returns the URL to send the customer
/// to. A pending attempt younger than <see cref="ReuseWindow"/> is reused, so a double click or a
/// back-and-forth does not open a second payment at the gateway.
/// </summary>
public sealed class StartCheckout(AppDbContext db, GatewayAccounts accounts, PublicUrls urls, TimeProvider clock)
{
    public static readonly TimeSpan ReuseWindow = TimeSpan.FromMinutes(15);

    public async Task<Result<string>> HandleAsync(string code, CancellationToken ct)
    {
        if (!Ids.IsCode(code)) return Error.NotFound("Link");
        var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Code == code, ct);
        if (link is null) return Error.NotFound("Link");
        var now = clock.GetUtcNow();
        if (!link.CanStartCheckout(now))
            return Error.Conflict("link_not_open", $"The link is {link.StatusAt(now).ToWire()}; it cannot be paid.");

        // Paying implies the customer saw the page (a form posted from elsewhere, a page opened before we counted).
        await OpenPayPage.RecordFirstOpenAsync(db, link, now, ct);

        var since = now - ReuseWindow;
        var pending = await db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.LinkId == link.Id && a.Status == AttemptStatus.Pending && a.CreatedAt > since && a.CheckoutUrl != null)
            .OrderByDescending(a => a.CreatedAt).FirstOrDefaultAsync(ct);
        if (pending is not null) return pending.CheckoutUrl!;

        var account = await db.GatewayAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == link.GatewayAccountId, ct);
        if (account is null) return Error.Unavailable("The link's gateway account no longer exists.");
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        var (gateway, context) = opened.Value;

        // The attempt is stored before calling the gateway: a fast notification must find it.
        var attempt = PaymentAttempt.Start(link.MerchantId, link.Id, account.Id, account.Provider, link.Amount, clock);
        db.PaymentAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);

        var customer = link.CustomerId is null ? null
            : await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.CustomerId, ct);
        var request = new CheckoutRequest(attempt.Id, link.Id, link.Amount, link.Description, urls.PayPage(link.Code),
            link.ExpiresAt, customer?.Email, customer?.Phone);
        var session = await gateway.CreateCheckoutAsync(context, request, ct);
        now = clock.GetUtcNow();
        if (!session.IsSuccess)
        {
            attempt.Fail(session.Error!.Message, now);
            db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.CheckoutFailed, now,
                JsonSerializer.Serialize(new { gateway = account.Provider, account = account.Id, error = session.Error.Code })));
            await db.SaveChangesAsync(ct);
            return session.Error;
        }
        attempt.CheckoutCreated(session.Value.ExternalId, session.Value.RedirectUrl);
        db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.CheckoutStarted, now,
            JsonSerializer.Serialize(new { gateway = account.Provider, account = account.Id, attempt = attempt.Id })));
        await db.SaveChangesAsync(ct);
        return session.Value.RedirectUrl;
    }
}
