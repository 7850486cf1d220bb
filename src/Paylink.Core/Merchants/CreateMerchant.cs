using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Core.Merchants;

public sealed record CreateMerchantRequest(string Name, string? TimeZone = null, string? Currency = null,
    string? LegalName = null, string? Inn = null);

public sealed record CreatedMerchant(Merchant Merchant, string ApiKey, GatewayAccount SandboxAccount);

/// <summary>
/// Creates a merchant with its first API key and a sandbox gateway account, so a new merchant can
/// create and pay a test link at once. All in one transaction.
/// </summary>
public sealed class CreateMerchant(AppDbContext db, GatewayAccounts accounts, TimeProvider clock)
{
    public async Task<Result<CreatedMerchant>> HandleAsync(CreateMerchantRequest request, CancellationToken ct)
    {
        var created = Merchant.Create(Ids.New("mer", clock), request.Name, clock.GetUtcNow(), request.TimeZone,
            request.Currency, request.LegalName, request.Inn);
        if (!created.IsSuccess) return created.Error!;
        var merchant = created.Value;
        db.Merchants.Add(merchant);
        var (key, clear) = ApiKey.Create(merchant.Id, "default", clock);
        db.ApiKeys.Add(key);
        var sandbox = await accounts.CreateAsync(merchant.Id, "sandbox", "Sandbox", [], ct);
        if (!sandbox.IsSuccess) return sandbox.Error!;
        await db.SaveChangesAsync(ct);
        return new CreatedMerchant(merchant, clear, sandbox.Value);
    }
}
