using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Payments;

/// <summary>
/// A merchant's payment-method settings (a <see cref="MerchantSetting"/> of kind <see cref="Kind"/>): the method the pay
/// page puts first (<c>card</c> or <c>sbp</c>), and the acquiring fee rates used to show what SBP saved. Rates are basis
/// points (250 = 2.50 %) so no fractional money is stored; the card rate is what the merchant really pays, VAT on the fee
/// included (card fees carry VAT from 2026, SBP fees do not). <see cref="SbpFeeCapMinor"/> is the per-payment cap of the
/// SBP fee (null: none).
/// </summary>
public sealed record PaymentMethodSettings(string DefaultMethod = "card", int CardFeeBasisPoints = 250, int SbpFeeBasisPoints = 70,
    long? SbpFeeCapMinor = 150_000)
{
    public const string Kind = "payment-methods";
    public const int MaxBasisPoints = 2_000;   // 20 %: anything above is a typo, not a tariff
    public static readonly PaymentMethodSettings Default = new();

    public Result<PaymentMethodSettings> Validate()
    {
        var e = new ValidationErrors();
        if (DefaultMethod is not ("card" or "sbp")) e.Add("defaultMethod", "defaultMethod must be card or sbp.");
        if (CardFeeBasisPoints is < 0 or > MaxBasisPoints) e.Add("cardFeeBasisPoints", $"cardFeeBasisPoints must be 0…{MaxBasisPoints} (250 = 2.50 %).");
        if (SbpFeeBasisPoints is < 0 or > MaxBasisPoints) e.Add("sbpFeeBasisPoints", $"sbpFeeBasisPoints must be 0…{MaxBasisPoints} (70 = 0.70 %).");
        if (SbpFeeCapMinor is < 0 or > 100_000_000) e.Add("sbpFeeCapMinor", "sbpFeeCapMinor must be 0…100000000 minor units, or null for no cap.");
        return e.Any ? e.ToError() : this;
    }

    /// <summary>What paying <paramref name="capturedMinor"/> by SBP instead of a card saved in fees (minor units, rounded
    /// half away from zero per fee; negative when SBP is dearer under these rates).</summary>
    public long SbpSaving(long capturedMinor)
    {
        var card = Fee(capturedMinor, CardFeeBasisPoints);
        var sbp = Fee(capturedMinor, SbpFeeBasisPoints);
        if (SbpFeeCapMinor is { } cap && sbp > cap) sbp = cap;
        return card - sbp;
    }

    private static long Fee(long amount, int basisPoints) => (long)Math.Round(amount * (decimal)basisPoints / 10_000m, MidpointRounding.AwayFromZero);
}

/// <summary>Reads and saves <see cref="PaymentMethodSettings"/> (cached a minute per merchant: the pay page reads them).</summary>
public sealed class PaymentMethodSettingsStore(AppDbContext db, IMemoryCache cache, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PaymentMethodSettings> GetAsync(string merchantId, CancellationToken ct)
    {
        var key = "pay-methods:" + merchantId;
        if (cache.TryGetValue(key, out PaymentMethodSettings? cached) && cached is not null) return cached;
        var row = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Kind == PaymentMethodSettings.Kind, ct);
        var settings = row is null ? PaymentMethodSettings.Default
            : JsonSerializer.Deserialize<PaymentMethodSettings>(row.Json, Json) ?? PaymentMethodSettings.Default;
        cache.Set(key, settings, TimeSpan.FromMinutes(1));
        return settings;
    }

    public async Task<Result<PaymentMethodSettings>> SaveAsync(string merchantId, PaymentMethodSettings settings, CancellationToken ct)
    {
        var valid = settings.Validate();
        if (!valid.IsSuccess) return valid;
        var json = JsonSerializer.Serialize(settings, Json);
        await db.UpsertAsync(c => MerchantSetting.PutAsync(db, merchantId, PaymentMethodSettings.Kind, json, clock.GetUtcNow(), c), ct);
        cache.Remove("pay-methods:" + merchantId);
        return settings;
    }
}
