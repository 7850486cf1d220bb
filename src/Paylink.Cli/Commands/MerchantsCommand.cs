using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Merchants;

namespace Paylink.Cli.Commands;

public static class MerchantsCommand
{
    public static Command Create()
    {
        var cmd = new Command("merchants", "Create and list merchants; manage their API keys.");

        var name = new Option<string>("--name") { Description = "Merchant name shown to clients", Required = true };
        var tz = new Option<string?>("--time-zone") { Description = "IANA time zone (default Europe/Moscow)" };
        var currency = new Option<string?>("--currency") { Description = "Default currency (default RUB)" };
        var json = new Option<bool>("--json") { Description = "Print {\"id\",\"apiKey\"} as JSON" };
        var create = new Command("create", "Create a merchant with an API key (shown once) and a sandbox gateway account.") { name, tz, currency, json };
        create.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<CreateMerchant>().HandleAsync(
                new CreateMerchantRequest(pr.GetValue(name)!, pr.GetValue(tz), pr.GetValue(currency)), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            if (pr.GetValue(json)) await CliRun.WriteJsonAsync(new { id = r.Value.Merchant.Id, apiKey = r.Value.ApiKey });
            else
            {
                await CliApp.Out.WriteLineAsync($"Merchant {r.Value.Merchant.Id} created.");
                await CliApp.Out.WriteLineAsync($"API key (shown once, keep it safe): {r.Value.ApiKey}");
            }
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(create);

        var list = new Command("list", "List merchants.") { json };
        list.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var all = await sp.GetRequiredService<AppDbContext>().Merchants.AsNoTracking().OrderBy(m => m.Id).ToListAsync(ct);
            if (pr.GetValue(json)) await CliRun.WriteJsonAsync(all.Select(m => new { m.Id, m.Name, m.TimeZone, m.DefaultCurrency }));
            else foreach (var m in all) await CliApp.Out.WriteLineAsync($"{m.Id}  {m.Name}  ({m.TimeZone}, {m.DefaultCurrency})");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(list);

        var merchant = new Option<string>("--merchant") { Description = "Merchant id", Required = true };
        var keyName = new Option<string?>("--name") { Description = "A label for the key" };
        var keyCreate = new Command("key-create", "Create another API key for a merchant (shown once).") { merchant, keyName, json };
        keyCreate.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<CreateApiKey>().HandleAsync(pr.GetValue(merchant)!, pr.GetValue(keyName), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            if (pr.GetValue(json)) await CliRun.WriteJsonAsync(new { id = r.Value.Key.Id, apiKey = r.Value.ClearText });
            else await CliApp.Out.WriteLineAsync($"Key {r.Value.Key.Id}: {r.Value.ClearText}");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(keyCreate);

        var keyId = new Argument<string>("key-id") { Description = "Id of the key to revoke (key_…)" };
        var keyRevoke = new Command("key-revoke", "Revoke an API key; requests with it are refused from then on.") { keyId };
        keyRevoke.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<RevokeApiKey>().HandleAsync(pr.GetValue(keyId)!, ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await CliApp.Out.WriteLineAsync($"Key {r.Value.Id} revoked.");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(keyRevoke);
        return cmd;
    }
}
