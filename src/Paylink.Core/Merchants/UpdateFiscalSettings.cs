using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Receipts;

namespace Paylink.Core.Merchants;

public sealed record FiscalSettingsInput(bool? ReceiptsEnabled, string? TaxSystem, string? DefaultVat, string? PaymentMethod,
    string? DefaultPaymentObject, string? DefaultMeasure, string? FfdVersion);

/// <summary>Replaces the merchant's 54-FZ settings (PUT semantics: omitted values take their defaults).</summary>
public sealed class UpdateFiscalSettings(AppDbContext db)
{
    public async Task<Result<FiscalSettings>> HandleAsync(string merchantId, FiscalSettingsInput r, CancellationToken ct)
    {
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.Id == merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var valid = FiscalSettings.Validate(r.ReceiptsEnabled ?? false, r.TaxSystem, r.DefaultVat, r.PaymentMethod, r.DefaultPaymentObject,
            r.DefaultMeasure, r.FfdVersion);
        if (!valid.IsSuccess) return valid.Error!;
        merchant.UpdateFiscal(valid.Value);
        await db.SaveChangesAsync(ct);
        return valid.Value;
    }

    public async Task<Result<FiscalSettings>> GetAsync(string merchantId, CancellationToken ct) =>
        await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.Id == merchantId, ct) is { } m ? m.Fiscal : Error.NotFound($"Merchant '{merchantId}'");
}
