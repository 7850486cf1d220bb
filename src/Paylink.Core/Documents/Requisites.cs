using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Documents;

/// <summary>
/// The merchant's details as printed on a счёт, an акт and the payment QR (GET/PUT /api/v1/requisites, the dashboard's
/// requisites form). Stored as one JSON document (<see cref="MerchantSetting"/> kind "requisites"). An organisation has a
/// 10-digit ИНН, a КПП and a 13-digit ОГРН; an ИП a 12-digit ИНН, no КПП and a 15-digit ОГРНИП.
/// </summary>
public sealed record Requisites(
    string? Name = null,
    string? Inn = null,
    string? Kpp = null,
    string? Ogrn = null,
    string? Address = null,
    string? BankName = null,
    string? Bic = null,
    string? CorrespondentAccount = null,
    string? Account = null,
    string? SignerName = null,
    string? SignerPosition = null,
    string? Vat = null,
    int? DueDays = null)
{
    public const string Kind = "requisites";
    public const int DefaultDueDays = 5;

    /// <summary>VAT rates a 2026 document may carry (425-FZ): none = «Без НДС» (УСН without VAT, НПД).</summary>
    public static readonly string[] VatRates = ["none", "vat0", "vat5", "vat7", "vat10", "vat22"];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public bool IsOrganisation => Inn?.Length == 10;

    /// <summary>VAT rate used for lines that name none.</summary>
    public string DefaultVat => Vat ?? "none";

    /// <summary>Trimmed, every field checked, errors name it (inn, account…).</summary>
    public Result<Requisites> Validate()
    {
        var e = new ValidationErrors();
        static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var r = this with
        {
            Name = T(Name), Inn = T(Inn), Kpp = T(Kpp)?.ToUpperInvariant(), Ogrn = T(Ogrn), Address = T(Address), BankName = T(BankName), Bic = T(Bic),
            CorrespondentAccount = T(CorrespondentAccount), Account = T(Account), SignerName = T(SignerName), SignerPosition = T(SignerPosition),
            Vat = T(Vat) ?? "none", DueDays = DueDays ?? DefaultDueDays,
        };
        void Text(string field, string? v, int max, bool required = true)
        {
            if (v is null) { if (required) e.Add(field, $"{field} is required."); }
            else if (v.Length > max) e.Add(field, $"{field} must be at most {max} characters.");
            else if (v.Contains('|', StringComparison.Ordinal)) e.Add(field, $"{field} must not contain '|' (it separates the fields of the payment QR).");
        }
        Text("name", r.Name, 300);
        Text("address", r.Address, 500);
        Text("bankName", r.BankName, 200);
        Text("signerName", r.SignerName, 100);
        Text("signerPosition", r.SignerPosition, 100, required: false);

        if (r.Inn is null) e.Add("inn", "inn is required (10 digits for an organisation, 12 for an ИП).");
        else if (!RequisiteChecks.IsValidInn(r.Inn)) e.Add("inn", "inn must be 10 or 12 digits with valid check digits.");
        if (r.IsOrganisation)
        {
            if (r.Kpp is null) e.Add("kpp", "kpp is required for an organisation (10-digit inn).");
            else if (!RequisiteChecks.IsValidKpp(r.Kpp)) e.Add("kpp", "kpp must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits.");
        }
        else if (r.Kpp is not null && r.Inn?.Length == 12) e.Add("kpp", "An ИП (12-digit inn) has no kpp; leave it empty.");
        if (r.Ogrn is not null)
        {
            if (!RequisiteChecks.IsValidOgrn(r.Ogrn)) e.Add("ogrn", "ogrn must be 13 digits (ОГРН) or 15 digits (ОГРНИП) with a valid check digit.");
            else if (r.Inn is { Length: 10 or 12 } && (r.Ogrn.Length == 13) != (r.Inn.Length == 10))
                e.Add("ogrn", r.Inn.Length == 10 ? "An organisation has a 13-digit ОГРН." : "An ИП has a 15-digit ОГРНИП.");
        }

        if (r.Bic is null) e.Add("bic", "bic is required (9 digits, starts with 04).");
        else if (!RequisiteChecks.IsValidBic(r.Bic)) e.Add("bic", "bic must be 9 digits starting with 04.");
        var bicOk = RequisiteChecks.IsValidBic(r.Bic);
        if (r.CorrespondentAccount is null) e.Add("correspondentAccount", "correspondentAccount is required (20 digits, starts with 30101).");
        else if (!RequisiteChecks.AllDigits(r.CorrespondentAccount, 20)) e.Add("correspondentAccount", "correspondentAccount must be 20 digits.");
        else if (bicOk && !RequisiteChecks.IsValidCorrespondentAccount(r.CorrespondentAccount, r.Bic))
            e.Add("correspondentAccount", "correspondentAccount does not match the bic (the control key is wrong): check both.");
        if (r.Account is null) e.Add("account", "account is required (the 20-digit расчётный счёт).");
        else if (!RequisiteChecks.AllDigits(r.Account, 20)) e.Add("account", "account must be 20 digits.");
        else if (bicOk && !RequisiteChecks.IsValidSettlementAccount(r.Account, r.Bic))
            e.Add("account", "account does not match the bic (the control key is wrong): check both.");
        else if (r.Account.StartsWith("30101", StringComparison.Ordinal))
            e.Add("account", "account is the bank's correspondent account; give your own расчётный счёт (40702… or 40802…).");

        if (!VatRates.Contains(r.Vat)) e.Add("vat", $"vat must be one of: {string.Join(", ", VatRates)}.");
        if (r.DueDays is < 1 or > 365) e.Add("dueDays", "dueDays must be 1–365.");
        if (e.Any) return e.ToError();
        return r;
    }
}

/// <summary>Reads and saves a merchant's <see cref="Requisites"/>.</summary>
public sealed class RequisitesStore(AppDbContext db, TimeProvider clock)
{
    /// <summary>The saved requisites, or null when the merchant has not filled them in.</summary>
    public async Task<Requisites?> GetAsync(string merchantId, CancellationToken ct)
    {
        var row = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Kind == Requisites.Kind, ct);
        return row is null ? null : JsonSerializer.Deserialize<Requisites>(row.Json, Requisites.Json);
    }

    public async Task<Result<Requisites>> SaveAsync(string merchantId, Requisites requisites, CancellationToken ct)
    {
        var valid = requisites.Validate();
        if (!valid.IsSuccess) return valid;
        var json = JsonSerializer.Serialize(valid.Value, Requisites.Json);
        await db.UpsertAsync(c => MerchantSetting.PutAsync(db, merchantId, Requisites.Kind, json, clock.GetUtcNow(), c), ct);
        return valid;
    }
}
