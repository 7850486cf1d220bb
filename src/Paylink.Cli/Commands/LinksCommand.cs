using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.PaymentLinks;

namespace Paylink.Cli.Commands;

public static class LinksCommand
{
    public static Command Create()
    {
        var cmd = new Command("links", "Create, show and list payment links.");
        var merchant = new Option<string>("--merchant") { Description = "Merchant id", Required = true };

        var amount = new Option<long?>("--amount") { Description = "Amount in minor units (kopecks): 250000 = 2 500,00 ₽" };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 currency", DefaultValueFactory = _ => "RUB" };
        var description = new Option<string>("--description") { Description = "What the client pays for", Required = true };
        var orderId = new Option<string?>("--order-id") { Description = "Your order number" };
        var phone = new Option<string?>("--phone") { Description = "Client phone" };
        var email = new Option<string?>("--email") { Description = "Client e-mail" };
        var clientName = new Option<string?>("--client-name") { Description = "Client name" };
        var expires = new Option<DateTimeOffset?>("--expires-at") { Description = "ISO-8601 expiry (default: merchant's link lifetime)" };
        var create = new Command("create", "Create a payment link and print it as JSON.")
            { merchant, amount, currency, description, orderId, phone, email, clientName, expires };
        create.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var customer = pr.GetValue(phone) is null && pr.GetValue(email) is null && pr.GetValue(clientName) is null
                ? null : new CustomerInput(pr.GetValue(clientName), pr.GetValue(phone), pr.GetValue(email));
            var r = await sp.GetRequiredService<CreatePaymentLink>().HandleAsync(pr.GetValue(merchant)!, new CreatePaymentLinkRequest(
                pr.GetValue(amount), pr.GetValue(currency), pr.GetValue(description), customer, null, pr.GetValue(expires), pr.GetValue(orderId)), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await CliRun.WriteJsonAsync(LinkView.From(r.Value, sp.GetRequiredService<PublicUrls>(), sp.GetRequiredService<TimeProvider>().GetUtcNow()));
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(create);

        var id = new Argument<string>("id") { Description = "Link id (lnk_…)" };
        var show = new Command("show", "Show a link with its payments as JSON.") { id };
        show.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<GetPaymentLink>().HandleAsync(pr.GetValue(id)!, ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await CliRun.WriteJsonAsync(r.Value);
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(show);

        var status = new Option<string?>("--status") { Description = "open, paid, expired, cancelled, refunded, partially_refunded" };
        var limit = new Option<int?>("--limit") { Description = "Page size, 1–100 (default 20)" };
        var cursor = new Option<string?>("--cursor") { Description = "nextCursor of the previous page" };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (as the API's link view, with payments and refunds) instead of a table" };
        var list = new Command("list", "List a merchant's links, newest first, with what was paid and refunded.") { merchant, status, limit, cursor, json };
        list.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            sp.GetRequiredService<MerchantScope>().MerchantId = pr.GetValue(merchant);
            var r = await sp.GetRequiredService<ListPaymentLinks>().HandleAsync(
                new ListPaymentLinksRequest(pr.GetValue(status), pr.GetValue(limit), pr.GetValue(cursor)), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            var urls = sp.GetRequiredService<PublicUrls>();
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            var db = sp.GetRequiredService<AppDbContext>();
            var ids = r.Value.Items.Select(l => l.Id).ToList();
            var payments = (await db.Payments.AsNoTracking().Where(p => ids.Contains(p.LinkId)).ToListAsync(ct)).ToLookup(p => p.LinkId);
            var refunds = (await db.Refunds.AsNoTracking().Where(x => ids.Contains(x.LinkId)).ToListAsync(ct)).ToLookup(x => x.LinkId);
            var views = r.Value.Items.Select(l => LinkView.From(l, urls, now, payments[l.Id].ToList(), refunds[l.Id].ToList())).ToList();
            if (pr.GetValue(json))
                foreach (var v in views) await CliRun.WriteJsonAsync(v);
            else if (views.Count == 0) await CliApp.Out.WriteLineAsync("No links.");
            else
            {
                string Money(long minor, string currency) => MoneyFormat.Format(new Money(minor, currency), "en");
                await CliRun.WriteTableAsync(["CREATED (UTC)", "ID", "STATUS", "AMOUNT", "PAID", "REFUNDED", "DESCRIPTION"],
                    views.Select(v => (IReadOnlyList<string>)[v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                        v.Id, v.Status, Money(v.Amount, v.Currency), Money(v.Payments.Sum(p => p.Captured), v.Currency),
                        Money(v.Refunds.Where(x => x.Status == "succeeded").Sum(x => x.Amount), v.Currency), v.Description]));
            }
            if (r.Value.NextCursor is not null) await CliApp.Err.WriteLineAsync($"more: --cursor {r.Value.NextCursor}");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(list);
        return cmd;
    }
}
