using System.Globalization;
using System.Net;
using System.Text.Json;
using Paylink.Core.Common;

namespace Paylink.Cli.Simulation;

/// <summary>How a scripted client behaves about money.</summary>
public enum ClientKind { PaysAtOnce, PaysAfterReminder, NeverPays, Cancels, Reschedules, AsksPriceFirst }

/// <summary>One scripted client: who they are, what they book, how they write and behave.</summary>
public sealed record Scenario(int Index, ClientKind Kind, string ServiceId, string ServiceWords, int DaysAhead, int Hour,
    bool Declined, bool RetriesAfterDecline, int SlowMinutes, double NoShowDraw, int Phrasing);

/// <summary>The rules a simulated merchant runs on.</summary>
public sealed record SimPolicy(string Name, bool Reminders, int PrepaymentPercent);

/// <summary>What happened to one client under one policy.</summary>
public sealed record ScenarioOutcome(int Index, string Kind, bool Booked, bool Paid, double? MinutesToPay, int Checkouts, int CheckoutsSucceeded,
    bool Cancelled, bool Refunded, bool NoShow, bool VisitDone);

/// <summary>
/// Runs scripted clients through the whole loop of the real server: they write in the web chat, the assistant
/// books and invoices, they pay in the sandbox at once, after a reminder or never, cancel, reschedule, or do not
/// show up, and the sandbox sometimes declines or is slow. The same <see cref="Scenario"/> list runs under each
/// policy, so the comparison is like for like. Everything random comes from the seed.
/// </summary>
public sealed class Simulator(SimulationHost host)
{
    public static readonly SimPolicy Paylink = new("paylink", Reminders: true, PrepaymentPercent: 30);
    public static readonly SimPolicy Baseline = new("baseline", Reminders: false, PrepaymentPercent: 0);

    private static readonly (ClientKind Kind, int Weight)[] Mix =
    [
        (ClientKind.PaysAtOnce, 35), (ClientKind.PaysAfterReminder, 25), (ClientKind.NeverPays, 12),
        (ClientKind.Cancels, 10), (ClientKind.Reschedules, 10), (ClientKind.AsksPriceFirst, 8),
    ];

    private static readonly (string Id, string[] Words)[] Services =
    [
        ("manicure", ["маникюр", "маникюр с покрытием", "маникюрчик", "ногти"]),
        ("pedicure", ["педикюр", "педикюрчик"]),
        ("haircut-women", ["стрижку", "подстричься", "стрижку женскую"]),
        ("haircut-men", ["мужскую стрижку", "барбер"]),
        ("brows", ["брови", "бровки"]),
    ];

    private static readonly string[] BookTemplates =
    [
        "хочу записаться на {s} {d} в {t}",
        "Здравствуйте! Можно {s} {d} в {t}?",
        "запишите меня на {s} {d} к {t} пожалуйста",
        "добрый день, есть окошко на {s} {d} в {t}?",
        "{s} {d} в {t} можно?",
    ];

    private static readonly string[] Yes = ["да", "да, подходит", "ок", "давайте", "да, записывайте"];

    public static IReadOnlyList<Scenario> Generate(int count, int seed)
    {
        var rnd = new Random(seed);
        var total = Mix.Sum(m => m.Weight);
        var list = new List<Scenario>();
        for (var i = 0; i < count; i++)
        {
            var pick = rnd.Next(total);
            var kind = Mix.First(m => (pick -= m.Weight) < 0).Kind;
            var (id, words) = Services[rnd.Next(Services.Length)];
            list.Add(new Scenario(i, kind, id, words[rnd.Next(words.Length)], DaysAhead: 2 + rnd.Next(3), Hour: 10 + 3 * rnd.Next(3),
                Declined: rnd.NextDouble() < 0.12, RetriesAfterDecline: rnd.NextDouble() < 0.7, SlowMinutes: rnd.NextDouble() < 0.15 ? 5 + rnd.Next(15) : 0,
                NoShowDraw: rnd.NextDouble(), Phrasing: rnd.Next(BookTemplates.Length)));
        }
        return list;
    }

    /// <summary>Runs every scenario under the policy on its own merchant; one simulated day per client.</summary>
    public async Task<(string MerchantId, HttpClient Api, List<ScenarioOutcome> Outcomes)> RunAsync(SimPolicy policy, IReadOnlyList<Scenario> scenarios,
        Action<int> tick, CancellationToken ct)
    {
        var (merchantId, api) = await host.MerchantAsync("Салон «Симуляция» · " + policy.Name, ct);
        var slug = $"sim-{policy.Name}-{Guid.NewGuid():N}"[..24];
        await SimulationHost.SendJsonAsync(api, HttpMethod.Post, "/api/v1/channel-accounts", new { provider = "webchat", name = "Чат", settings = new { slug } }, ct);
        await SimulationHost.SendJsonAsync(api, HttpMethod.Put, "/api/v1/assistant/settings", new
        {
            hours = "mon-sun 09:00-21:00",
            prepayment = policy.PrepaymentPercent > 0 ? new { kind = "percent", value = (long)policy.PrepaymentPercent } : new { kind = "none", value = 0L },
            cancellation = new { fullRefundHoursBefore = 24, keepDepositWhenLate = true },
        }, ct);
        var reminders = await SimulationHost.SendJsonAsync(api, HttpMethod.Get, "/api/v1/reminder-policy", null, ct);
        var rp = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(reminders.GetRawText())!;
        rp["linkRemindersEnabled"] = JsonSerializer.SerializeToElement(policy.Reminders);
        rp["visitRemindersEnabled"] = JsonSerializer.SerializeToElement(policy.Reminders);
        await SimulationHost.SendJsonAsync(api, HttpMethod.Put, "/api/v1/reminder-policy", rp, ct);

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var outcomes = new List<ScenarioOutcome>();
        foreach (var s in scenarios)
        {
            // Each client writes at 09:00 local of the day after the previous client's story ended.
            var local = TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), zone);
            host.Clock.MoveTo(DateFormat.LocalToUtc(DateOnly.FromDateTime(local.DateTime).AddDays(1), new TimeOnly(9, 0), zone));
            var client = new SimClient(host, api, slug, s, zone);
            outcomes.Add(await client.RunAsync(ct));
            tick(s.Index + 1);
        }
        return (merchantId, api, outcomes);
    }

    /// <summary>One client's story, written in the web chat as a person would.</summary>
    private sealed class SimClient(SimulationHost host, HttpClient api, string slug, Scenario s, TimeZoneInfo zone)
    {
        private readonly string _visitor = "wv_sim" + s.Index.ToString("D4", CultureInfo.InvariantCulture) + "x" + Guid.NewGuid().ToString("N")[..20];
        private int _checkouts, _succeeded;
        private DateTimeOffset? _linkCreated;
        private double? _minutesToPay;

        public async Task<ScenarioOutcome> RunAsync(CancellationToken ct)
        {
            var visitDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), zone).DateTime).AddDays(s.DaysAhead);
            var booked = await BookAsync(visitDay, ct);
            if (booked is null) return Outcome(false, false, false, false, false);
            var (bookingId, _) = booked.Value;

            if (s.Kind == ClientKind.Reschedules)
            {
                visitDay = visitDay.AddDays(1);
                await SayAsync($"можно перенести запись на {visitDay.Day} {MonthRu(visitDay.Month)} в {s.Hour}:00?", ct);
                if (await LastActionAsync(ct) == "propose: reschedule") await SayAsync("да", ct);
            }

            var paid = false;
            if (s.Kind is ClientKind.PaysAtOnce or ClientKind.Cancels or ClientKind.Reschedules or ClientKind.AsksPriceFirst)
            {
                if (await InvoiceUrlAsync(ct) is null) await SayAsync("как оплатить?", ct);   // no prepayment asked: the client asks to pay
                paid = await PayAsync(ct);
            }
            else if (s.Kind == ClientKind.PaysAfterReminder)
            {
                // Forgets the invoice; comes back only when a reminder arrives (30 min later, or the next morning).
                foreach (var wait in new[] { TimeSpan.FromMinutes(31), TimeSpan.FromHours(26) })
                {
                    var before = await RepliesAsync(ct);
                    host.Clock.Advance(wait);
                    await host.DrainAsync();
                    if ((await RepliesAsync(ct)).Count > before.Count && await InvoiceUrlAsync(ct) is not null) { paid = await PayAsync(ct); break; }
                }
            }

            var visit = DateFormat.LocalToUtc(visitDay, new TimeOnly(s.Hour, 0), zone);
            var cancelled = false;
            if (s.Kind == ClientKind.Cancels)
            {
                host.Clock.MoveTo(visit.AddHours(-40));
                await host.DrainAsync();
                await SayAsync("хочу отменить запись", ct);
                if ((await LastActionAsync(ct))?.StartsWith("propose: cancel", StringComparison.Ordinal) == true)
                {
                    await SayAsync("да", ct);
                    cancelled = true;
                }
            }
            host.Clock.MoveTo(visit.AddHours(2));
            await host.DrainAsync();
            var booking = await SimulationHost.SendJsonAsync(api, HttpMethod.Get, "/api/v1/bookings/" + bookingId, null, ct);
            var status = booking.GetProperty("status").GetString();
            bool noShow = false, done = false;
            if (status is "pending" or "confirmed")
            {
                // Clients who paid ahead come far more often: 5 % no-shows against 25 % without a prepayment.
                noShow = s.NoShowDraw < (status == "confirmed" && paid ? 0.05 : 0.25);
                await SimulationHost.SendJsonAsync(api, HttpMethod.Post, $"/api/v1/bookings/{bookingId}/{(noShow ? "no-show" : "complete")}", null, ct);
                done = !noShow;
            }
            await host.DrainAsync();
            var refunded = cancelled && paid;
            return Outcome(true, paid, cancelled, refunded, noShow, done);
        }

        private ScenarioOutcome Outcome(bool booked, bool paid, bool cancelled, bool refunded, bool noShow, bool done = false) =>
            new(s.Index, s.Kind.ToString(), booked, paid, _minutesToPay, _checkouts, _succeeded, cancelled, refunded, noShow, done);

        private async Task<(string BookingId, bool Invoice)?> BookAsync(DateOnly day, CancellationToken ct)
        {
            if (s.Kind == ClientKind.AsksPriceFirst) await SayAsync($"сколько стоит {s.ServiceWords}?", ct);
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), zone).DateTime);
            var when = (day.DayNumber - today.DayNumber) == 2 ? "послезавтра" : $"{day.Day} {MonthRu(day.Month)}";
            var text = BookTemplates[s.Phrasing].Replace("{s}", s.ServiceWords, StringComparison.Ordinal).Replace("{d}", when, StringComparison.Ordinal)
                .Replace("{t}", $"{s.Hour}:00", StringComparison.Ordinal);
            await SayAsync(text, ct);
            for (var i = 0; i < 3; i++)
            {
                var d = await LastDecisionAsync(ct);
                var action = d?.GetProperty("action").GetString();
                if (action == "propose: booking") { await SayAsync(Yes[(s.Index + i) % Yes.Length], ct); continue; }
                if (action == "book") return (d!.Value.GetProperty("bookingId").GetString()!, true);
                if (action is "ask: service") await SayAsync(s.ServiceWords, ct);
                else if (action is "ask: date") await SayAsync(when, ct);
                else if (action is not null && (action.StartsWith("ask: time", StringComparison.Ordinal) || action.StartsWith("offer", StringComparison.Ordinal)))
                    await SayAsync($"в {s.Hour + 1}:00", ct);
                else return null;
            }
            return null;
        }

        private async Task<bool> PayAsync(CancellationToken ct)
        {
            var url = await InvoiceUrlAsync(ct);
            if (url is null) return false;
            var link = await SimulationHost.SendJsonAsync(api, HttpMethod.Get, "/api/v1/links?limit=1", null, ct);
            _linkCreated ??= link.GetProperty("items")[0].GetProperty("createdAt").GetDateTimeOffset();
            host.Clock.Advance(TimeSpan.FromMinutes(2 + s.SlowMinutes));   // opening the page, typing the card; a slow bank adds minutes
            var decline = s.Declined && _checkouts == 0;
            if (!await CheckoutAsync(url, decline ? "decline" : "success", ct)) return false;
            if (decline)
            {
                if (!s.RetriesAfterDecline) return false;
                host.Clock.Advance(TimeSpan.FromMinutes(3));
                if (!await CheckoutAsync(url, "success", ct)) return false;
            }
            var paid = await LinkPaidAsync(ct);
            if (paid) _minutesToPay = Math.Round((host.Clock.GetUtcNow() - _linkCreated!.Value).TotalMinutes, 1);
            return paid;
        }

        private async Task<bool> LinkPaidAsync(CancellationToken ct)
        {
            var links = await SimulationHost.SendJsonAsync(api, HttpMethod.Get, "/api/v1/links?limit=1", null, ct);
            return links.GetProperty("items")[0].GetProperty("status").GetString() == "paid";
        }

        private async Task<bool> CheckoutAsync(string payUrl, string outcome, CancellationToken ct)
        {
            _checkouts++;
            using var start = await host.Http.PostAsync(new Uri(payUrl).PathAndQuery + "/pay", new FormUrlEncodedContent([]), ct);
            if (!SimulationHost.IsRedirect(start.StatusCode) || start.Headers.Location is null) return false;
            using var done = await host.Http.PostAsync(start.Headers.Location.PathAndQuery, new FormUrlEncodedContent([new("outcome", outcome)]), ct);
            await host.DrainAsync();
            if (outcome == "success" && (int)done.StatusCode < 400) _succeeded++;
            return (int)done.StatusCode < 400;
        }

        private async Task SayAsync(string text, CancellationToken ct)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(40));
            using var req = new HttpRequestMessage(HttpMethod.Post, $"/chat/{slug}/messages") { Content = JsonContent(new { text }) };
            req.Headers.Add("X-Chat-Visitor", _visitor);
            using var res = await host.Http.SendAsync(req, ct);
            if (res.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"The web chat refused a message: {(int)res.StatusCode}");
            await host.DrainAsync();
        }

        private async Task<List<JsonElement>> RepliesAsync(CancellationToken ct)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, $"/chat/{slug}/messages");
            req.Headers.Add("X-Chat-Visitor", _visitor);
            using var res = await host.Http.SendAsync(req, ct);
            var json = JsonDocument.Parse(await res.Content.ReadAsStringAsync(ct)).RootElement.Clone();
            return json.GetProperty("items").EnumerateArray().Where(i => !i.GetProperty("mine").GetBoolean()).ToList();
        }

        /// <summary>The pay button of the newest invoice card in the chat.</summary>
        private async Task<string?> InvoiceUrlAsync(CancellationToken ct) =>
            (await RepliesAsync(ct)).Select(r => r.TryGetProperty("buttons", out var b) && b.ValueKind == JsonValueKind.Array && b.GetArrayLength() > 0
                ? b[0].GetProperty("url").GetString() : null).LastOrDefault(u => u is not null);

        private async Task<JsonElement?> LastDecisionAsync(CancellationToken ct)
        {
            var items = (await SimulationHost.SendJsonAsync(api, HttpMethod.Get, "/api/v1/assistant/decisions?limit=1", null, ct)).GetProperty("items");
            return items.GetArrayLength() == 0 ? null : items[0];
        }

        private async Task<string?> LastActionAsync(CancellationToken ct) => (await LastDecisionAsync(ct))?.GetProperty("action").GetString();

        private static StringContent JsonContent(object o) => new(JsonSerializer.Serialize(o), System.Text.Encoding.UTF8, "application/json");
    }

    private static string MonthRu(int m) =>
        new[] { "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря" }[m - 1];
}
