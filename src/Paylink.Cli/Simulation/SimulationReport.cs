using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.Metrics;

namespace Paylink.Cli.Simulation;

/// <summary>The figures of one policy's run. Rates are 0..1; times in minutes.</summary>
public sealed record PolicyResult(
    string Policy, int Clients, int Booked, int Paid, double? Conversion, double? TimeToPaymentP50Minutes, double? TimeToPaymentP90Minutes,
    double? SuccessfulTransactionShare, double? RemindersPerPayment, int RemindersSent, double? NoShowRate, double? RefundShare,
    double? PrepaymentShare, long PaidMinor, IReadOnlyList<ScenarioOutcome> Outcomes, long RefundedMinor = 0)
{
    /// <summary>What the merchant keeps of the period's payments: paid minus refunded (before gateway fees).</summary>
    public long NetMinor => PaidMinor - RefundedMinor;
}

/// <summary>A whole run: both policies on the same clients, and the differences (paylink minus baseline).</summary>
public sealed record SimulationReport(int Seed, int Scenarios, DateTimeOffset SimulatedFrom, DateTimeOffset SimulatedTo,
    IReadOnlyList<PolicyResult> Policies, IReadOnlyDictionary<string, double?> Difference)
{
    /// <summary>
    /// Conversion, no-show rate, refund share, prepayment share and time to payment come from the product's own
    /// metrics (<see cref="ComputeMetrics"/>, docs/metrics.md) over the simulated period; checkouts and reminders
    /// are counted from what the clients did and the reminders the server sent.
    /// </summary>
    public static async Task<PolicyResult> MeasureAsync(SimulationHost host, SimPolicy policy, string merchantId, DateTimeOffset from,
        IReadOnlyList<ScenarioOutcome> outcomes, CancellationToken ct)
    {
        await using var scope = host.Service<IServiceScopeFactory>().CreateAsyncScope();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var day = (DateTimeOffset t) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, zone).DateTime);
        var m = await scope.ServiceProvider.GetRequiredService<ComputeMetrics>().HandleAsync(merchantId, day(from), day(host.Clock.GetUtcNow()), ct);
        if (!m.IsSuccess) throw new InvalidOperationException(m.Error!.Message);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var reminders = await db.Reminders.IgnoreQueryFilters().CountAsync(r => r.MerchantId == merchantId && r.Kind == ReminderKinds.Link && r.Status == ReminderStatuses.Sent, ct);
        var total = m.Value.Total;
        var checkouts = outcomes.Sum(o => o.Checkouts);
        var paid = outcomes.Count(o => o.Paid);
        return new PolicyResult(policy.Name, outcomes.Count, outcomes.Count(o => o.Booked), paid,
            outcomes.Count == 0 ? null : Math.Round((double)paid / outcomes.Count, 4),
            Minutes(total.TimeToPaymentP50Seconds), Minutes(total.TimeToPaymentP90Seconds),
            checkouts == 0 ? null : Math.Round((double)outcomes.Sum(o => o.CheckoutsSucceeded) / checkouts, 4),
            paid == 0 ? null : Math.Round((double)reminders / paid, 3), reminders,
            m.Value.Bookings.NoShowRate, total.RefundShare, m.Value.Bookings.PrepaymentShare, total.PaidMinor, outcomes,
            total.RefundedMinor);
    }

    private static double? Minutes(double? seconds) => seconds is null ? null : Math.Round(seconds.Value / 60, 1);

    public static IReadOnlyDictionary<string, double?> Compare(PolicyResult a, PolicyResult b) => new Dictionary<string, double?>
    {
        ["conversion"] = Diff(a.Conversion, b.Conversion),
        ["timeToPaymentP50Minutes"] = Diff(a.TimeToPaymentP50Minutes, b.TimeToPaymentP50Minutes),
        ["noShowRate"] = Diff(a.NoShowRate, b.NoShowRate),
        ["refundShare"] = Diff(a.RefundShare, b.RefundShare),
        ["paidMinor"] = a.PaidMinor - b.PaidMinor,
        ["netMinor"] = a.NetMinor - b.NetMinor,
    };

    private static double? Diff(double? a, double? b) => a is null || b is null ? null : Math.Round(a.Value - b.Value, 4);

    /// <summary>The line under the table that says what its money rows mean.</summary>
    public const string MoneyNote =
        "Money: «paid» is what the simulated clients paid through their links in the simulated period (prepayments and full payments, "
        + "before refunds); «refunded» is what went back to them (cancelled visits); «net» = paid − refunded, what the merchant keeps "
        + "before gateway fees. Sandbox gateway: no real money moves.";

    public string ToTable()
    {
        var sb = new StringBuilder();
        string P(double? v) => v is null ? "—" : v.Value.ToString("P1", CultureInfo.InvariantCulture);
        string N(double? v) => v is null ? "—" : v.Value.ToString("0.#", CultureInfo.InvariantCulture);
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"",-30}{string.Join("", Policies.Select(p => p.Policy.PadLeft(14)))}");
        void Row(string name, Func<PolicyResult, string> f) => sb.AppendLine(CultureInfo.InvariantCulture, $"{name,-30}{string.Join("", Policies.Select(p => f(p).PadLeft(14)))}");
        Row("clients / booked / paid", p => $"{p.Clients}/{p.Booked}/{p.Paid}");
        Row("conversion request→payment", p => P(p.Conversion));
        Row("time to payment p50, min", p => N(p.TimeToPaymentP50Minutes));
        Row("time to payment p90, min", p => N(p.TimeToPaymentP90Minutes));
        Row("successful transactions", p => P(p.SuccessfulTransactionShare));
        Row("payment reminders per payment", p => N(p.RemindersPerPayment));
        Row("no-show rate", p => P(p.NoShowRate));
        Row("refund share", p => P(p.RefundShare));
        Row("prepayment share", p => P(p.PrepaymentShare));
        string Rub(long minor) => (minor / 100m).ToString("N0", CultureInfo.GetCultureInfo("ru-RU"));
        Row("paid, ₽", p => Rub(p.PaidMinor));
        Row("refunded, ₽", p => Rub(p.RefundedMinor));
        Row("net (paid − refunded), ₽", p => Rub(p.NetMinor));
        return sb.ToString();
    }

    /// <summary>A grouped bar chart of the rates, one colour per policy, as a standalone SVG image.</summary>
    public string ToSvg()
    {
        (string Label, Func<PolicyResult, double?> Value)[] bars =
        [
            ("Конверсия в оплату", p => p.Conversion), ("Успешные транзакции", p => p.SuccessfulTransactionShare),
            ("Неявки", p => p.NoShowRate), ("Доля возвратов", p => p.RefundShare), ("Доля предоплат", p => p.PrepaymentShare),
        ];
        string[] colours = ["#2563eb", "#9ca3af"];
        const int w = 720, h = 360, left = 50, bottom = 300, top = 40, group = 128;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">""");
        sb.Append(CultureInfo.InvariantCulture, $"""<title>Paylink simulation, seed {Seed}, {Scenarios} clients</title><rect width="{w}" height="{h}" fill="#fff"/>""");
        sb.Append(CultureInfo.InvariantCulture, $"""<text x="{left}" y="22" font-size="15" font-weight="bold">Симуляция: {Scenarios} клиентов, seed {Seed}</text>""");
        for (var t = 0; t <= 4; t++)
        {
            var y = bottom - (bottom - top) * t / 4.0;
            sb.Append(CultureInfo.InvariantCulture, $"""<line x1="{left}" x2="{w - 20}" y1="{y:0.#}" y2="{y:0.#}" stroke="#e5e7eb"/><text x="{left - 6}" y="{y + 4:0.#}" text-anchor="end" fill="#374151">{t * 25}%</text>""");
        }
        for (var i = 0; i < bars.Length; i++)
        {
            var x0 = left + 10 + i * group;
            for (var p = 0; p < Policies.Count; p++)
            {
                var v = bars[i].Value(Policies[p]) ?? 0;
                var barH = (bottom - top) * Math.Clamp(v, 0, 1);
                var x = x0 + p * 42;
                sb.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{bottom - barH:0.#}" width="38" height="{barH:0.#}" fill="{colours[p % colours.Length]}"><title>{WebUtility.HtmlEncode(Policies[p].Policy)}: {v:P1}</title></rect>""");
                sb.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 19}" y="{bottom - barH - 4:0.#}" text-anchor="middle" font-size="10">{v * 100:0}%</text>""");
            }
            sb.Append(CultureInfo.InvariantCulture, $"""<text x="{x0 + 40}" y="{bottom + 18}" text-anchor="middle" fill="#111827">{WebUtility.HtmlEncode(bars[i].Label)}</text>""");
        }
        for (var p = 0; p < Policies.Count; p++)
        {
            var r = Policies[p];
            sb.Append(CultureInfo.InvariantCulture, $"""<rect x="{left + p * 300}" y="{h - 34}" width="12" height="12" fill="{colours[p % colours.Length]}"/>""");
            sb.Append(CultureInfo.InvariantCulture, $"""<text x="{left + 18 + p * 300}" y="{h - 24}">{WebUtility.HtmlEncode(r.Policy)}: оплата за p50 {r.TimeToPaymentP50Minutes?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—"} мин, p90 {r.TimeToPaymentP90Minutes?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—"} мин</text>""");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
