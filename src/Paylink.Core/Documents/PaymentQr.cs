using System.Globalization;
using QRCoder;

namespace Paylink.Core.Documents;

/// <summary>
/// The GOST R 56042-2014 payment string a bank app scans to fill a transfer: «ST00012» (format 0001, encoding 2 = UTF-8),
/// then «|»-separated Key=Value pairs: the five mandatory ones (Name, PersonalAcc, BankName, BIC, CorrespAcc), then
/// PayeeINN, KPP, Purpose, Sum (kopecks) and PayerINN. Values never contain «|»: requisites refuse it and the purpose is
/// ours. Lengths are cut to the standard's limits (Name 160, BankName 45, Purpose 210).
/// </summary>
public static class PaymentQr
{
    public const string Header = "ST00012";

    public static string Payload(Requisites seller, string purpose, long sumMinor, string? payerInn)
    {
        static string Cut(string? s, int max) => (s ?? "").Length <= max ? s ?? "" : s![..max];
        var pairs = new List<(string, string)>
        {
            ("Name", Cut(seller.Name, 160)), ("PersonalAcc", seller.Account!), ("BankName", Cut(seller.BankName, 45)),
            ("BIC", seller.Bic!), ("CorrespAcc", seller.CorrespondentAccount!), ("PayeeINN", seller.Inn!),
        };
        if (seller.Kpp is not null) pairs.Add(("KPP", seller.Kpp));
        pairs.Add(("Purpose", Cut(purpose, 210)));
        pairs.Add(("Sum", sumMinor.ToString(CultureInfo.InvariantCulture)));
        if (payerInn is not null) pairs.Add(("PayerINN", payerInn));
        return Header + "|" + string.Join("|", pairs.Select(p => p.Item1 + "=" + p.Item2.Replace('|', '/')));
    }

    /// <summary>The QR modules (true = dark), quiet zone included, for drawing as vector squares in a PDF.</summary>
    public static IReadOnlyList<bool[]> Modules(string payload)
    {
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M, forceUtf8: true);
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToList();
    }
}
