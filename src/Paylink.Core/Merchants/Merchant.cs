using Paylink.Core.Common;

namespace Paylink.Core.Merchants;

public sealed class Merchant
{
    public const string DefaultTimeZone = "Europe/Moscow";

    private Merchant() { }

    public string Id { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Legal name printed on receipts ("ИП Иванова А. А.").</summary>
    public string? LegalName { get; private set; }
    /// <summary>Taxpayer number (ИНН), 10 or 12 digits.</summary>
    public string? Inn { get; private set; }
    public string TimeZone { get; private set; } = DefaultTimeZone;
    public string DefaultCurrency { get; private set; } = "RUB";
    public int DefaultLinkLifetimeMinutes { get; private set; } = 72 * 60;
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>54-FZ receipt settings (off until the merchant turns them on).</summary>
    public Receipts.FiscalSettings Fiscal { get; private set; } = new();

    public void UpdateFiscal(Receipts.FiscalSettings fiscal) => Fiscal = fiscal;

    public static Result<Merchant> Create(string id, string name, DateTimeOffset now, string? timeZone = null,
        string? currency = null, string? legalName = null, string? inn = null)
    {
        var errors = new ValidationErrors();
        name = name?.Trim() ?? "";
        if (name.Length == 0) errors.Add("name", "Name is required.");
        else if (name.Length > 200) errors.Add("name", "Name must be at most 200 characters.");
        timeZone ??= DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)) errors.Add("timeZone", $"Unknown IANA time zone '{timeZone}'.");
        currency ??= "RUB";
        if (!Currencies.IsSupported(currency)) errors.Add("currency", $"Unsupported currency '{currency}'.");
        if (inn is not null && (inn.Length is not (10 or 12) || !inn.All(char.IsAsciiDigit)))
            errors.Add("inn", "ИНН must be 10 or 12 digits.");
        if (errors.Any) return errors.ToError();
        return new Merchant
        {
            Id = id, Name = name, TimeZone = timeZone, DefaultCurrency = currency,
            LegalName = legalName?.Trim(), Inn = inn, CreatedAt = now,
        };
    }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
