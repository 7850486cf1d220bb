using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Paylink.Core.Common;
using Paylink.Core.Crm;

namespace Paylink.Providers.Crm.Bitrix24;

/// <summary>
/// A merchant's Bitrix24 connection: the incoming-webhook URL (its code is a secret), the outgoing
/// webhook's application token (checks inbound events), lead or deal, the stage mapping and the
/// responsible user. Parsed, validated per field and masked here.
/// </summary>
public sealed partial record Bitrix24Settings(Uri WebhookUrl, string? ApplicationToken, string Entity,
    IReadOnlyDictionary<string, string> Stages, int? ResponsibleId, bool CreateTasks)
{
    /// <summary>Our pipeline stage → settings key naming the Bitrix24 stage id it maps to.</summary>
    public static readonly IReadOnlyDictionary<DealStage, string> StageKeys = new Dictionary<DealStage, string>
    {
        [DealStage.InvoiceSent] = "invoiceSent", [DealStage.Paid] = "paid", [DealStage.Refunded] = "refunded",
        [DealStage.NoShow] = "noShow", [DealStage.VisitDone] = "visitDone", [DealStage.Cancelled] = "cancelled",
    };
    public const string IssueInvoiceKey = "issueInvoice";
    private static readonly string[] Keys = ["webhookUrl", "applicationToken", "entity", "stages", "responsibleId", "createTasks"];

    /// <summary>Portal host and port: the rate limit is per portal.</summary>
    public string Portal => WebhookUrl.Authority;
    /// <summary>The employee whose webhook this is (default responsible person).</summary>
    public int WebhookUserId => int.Parse(WebhookUrl.Segments[^2].TrimEnd('/'), System.Globalization.CultureInfo.InvariantCulture);
    public string? StageFor(DealStage stage) => StageKeys.TryGetValue(stage, out var key) && Stages.TryGetValue(key, out var id) ? id : null;
    public string? IssueInvoiceStage => Stages.GetValueOrDefault(IssueInvoiceKey);

    public static Result<JsonObject> Validate(JsonObject s)
    {
        var e = new ValidationErrors();
        foreach (var (k, _) in s)
            if (!Keys.Contains(k)) e.Add($"settings.{k}", $"Unknown setting '{k}'. Known: {string.Join(", ", Keys)}.");
        var result = new JsonObject();
        var url = Str(s, "webhookUrl");
        if (url is null) e.Add("settings.webhookUrl", "settings.webhookUrl is required: the incoming webhook URL, https://<portal>/rest/<user>/<code>/.");
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || !string.IsNullOrEmpty(u.Query) || !string.IsNullOrEmpty(u.Fragment)
                 || !WebhookPath().IsMatch(u.AbsolutePath))
            e.Add("settings.webhookUrl", "settings.webhookUrl must look like https://<portal>/rest/<user id>/<webhook code>/ (no query).");
        else if (u.Scheme != Uri.UriSchemeHttps && !(u.Scheme == Uri.UriSchemeHttp && IsLoopback(u)))
            e.Add("settings.webhookUrl", "settings.webhookUrl must use https (Bitrix24 refuses plain http).");
        else result["webhookUrl"] = u.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";

        if (s["applicationToken"] is not null)
        {
            var token = Str(s, "applicationToken");
            if (token is null || token.Length is < 8 or > 200 || token.Any(char.IsWhiteSpace))
                e.Add("settings.applicationToken", "settings.applicationToken must be the outgoing webhook's token: 8–200 characters, no spaces.");
            else result["applicationToken"] = token;
        }
        var entity = s["entity"] is null ? "deal" : Str(s, "entity");
        if (entity is not ("deal" or "lead")) e.Add("settings.entity", "settings.entity must be deal or lead.");
        else result["entity"] = entity;

        var stages = new JsonObject();
        if (s["stages"] is JsonObject st)
        {
            var allowed = StageKeys.Values.Append(IssueInvoiceKey).ToArray();
            foreach (var (k, v) in st)
            {
                if (!allowed.Contains(k)) { e.Add($"settings.stages.{k}", $"Unknown stage key '{k}'. Known: {string.Join(", ", allowed)}."); continue; }
                var id = v is JsonValue jv && jv.TryGetValue<string>(out var str) ? str.Trim() : null;
                if (id is null || !StageId().IsMatch(id))
                    e.Add($"settings.stages.{k}", $"settings.stages.{k} must be a Bitrix24 stage id such as WON, PREPAYMENT_INVOICE or C1:WON.");
                else stages[k] = id;
            }
        }
        else if (s["stages"] is not null) e.Add("settings.stages", "settings.stages must be an object {invoiceSent, paid, refunded, noShow, issueInvoice, ...}.");
        result["stages"] = stages;

        if (s["responsibleId"] is not null)
        {
            if (s["responsibleId"] is JsonValue rv && rv.TryGetValue<int>(out var rid) && rid > 0) result["responsibleId"] = rid;
            else e.Add("settings.responsibleId", "settings.responsibleId must be a positive integer (a Bitrix24 user id).");
        }
        if (s["createTasks"] is not null)
        {
            if (s["createTasks"] is JsonValue tv && tv.TryGetValue<bool>(out var ct)) result["createTasks"] = ct;
            else e.Add("settings.createTasks", "settings.createTasks must be true or false.");
        }
        return e.Any ? e.ToError() : result;
    }

    public static Bitrix24Settings Parse(JsonObject s) => new(
        new Uri(s["webhookUrl"]!.GetValue<string>()), s["applicationToken"]?.GetValue<string>(), s["entity"]?.GetValue<string>() ?? "deal",
        (s["stages"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()),
        s["responsibleId"]?.GetValue<int>(), s["createTasks"]?.GetValue<bool>() ?? false);

    /// <summary>The webhook code (a secret) and the application token are masked.</summary>
    public static JsonObject Mask(JsonObject s)
    {
        var m = (JsonObject)s.DeepClone();
        if (s["webhookUrl"]?.GetValue<string>() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Segments.Length >= 4)
            m["webhookUrl"] = $"{u.Scheme}://{u.Authority}{string.Concat(u.Segments[..^1])}{Masking.Secret(u.Segments[^1].TrimEnd('/'))}/";
        if (s["applicationToken"]?.GetValue<string>() is { } t) m["applicationToken"] = Masking.Secret(t);
        return m;
    }

    private static string? Str(JsonObject s, string key) =>
        s[key] is JsonValue v && v.TryGetValue<string>(out var str) && !string.IsNullOrWhiteSpace(str) ? str.Trim() : null;

    private static bool IsLoopback(Uri u) => u.IsLoopback || (IPAddress.TryParse(u.Host, out var ip) && IPAddress.IsLoopback(ip));

    [GeneratedRegex(@"^/rest/\d+/[A-Za-z0-9_\-]+/?$")]
    private static partial Regex WebhookPath();

    [GeneratedRegex(@"^[A-Za-z0-9_:\-]{1,50}$")]
    private static partial Regex StageId();
}
