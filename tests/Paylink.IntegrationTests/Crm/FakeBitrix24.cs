using Paylink.IntegrationTests.Infrastructure;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paylink.IntegrationTests.Crm;

/// <summary>
/// An in-process Bitrix24 portal on 127.0.0.1 speaking the REST protocol of ../shared/protocols/bitrix24.md:
/// POST /rest/{user}/{code}/{method}.json with JSON bodies, the {"result","time"} envelope, {"error",
/// "error_description"} failures (NO_AUTH_FOUND for a wrong code, expired_token for an expired webhook,
/// QUERY_LIMIT_EXCEEDED 503 above its request budget, "Not found" for deleted deals), batch with
/// $result[...] chaining and halt, and stage ids it silently ignores when unknown (as unknown field
/// values are), so only a read-back proves a stage move.
/// </summary>
public sealed class FakeBitrix24 : IAsyncDisposable
{
    public const string Code = "s3cr3tw3bh00kc0de";
    public const string UserId = "1";
    public static readonly string[] DealStages = ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE", "APOLOGY"];

    private readonly WebApplication _app;
    private long _nextId = 100;
    private readonly object _lock = new();

    public ConcurrentQueue<string> Calls { get; } = new();
    public int HttpRequests;
    public Dictionary<long, JsonObject> Contacts { get; } = [];
    public Dictionary<long, JsonObject> Deals { get; } = [];
    public Dictionary<long, JsonArray> ProductRows { get; } = [];
    public List<(string EntityType, long EntityId, string Comment)> Comments { get; } = [];
    public List<JsonObject> Tasks { get; } = [];
    public bool Expired { get; set; }
    /// <summary>Requests left before the portal answers 503 QUERY_LIMIT_EXCEEDED (null = no limit).</summary>
    public int? Budget { get; set; }
    public ConcurrentQueue<(int Status, string Error, string Description)> FailNext { get; } = new();

    public string WebhookUrl => _app.Urls.First() + $"/rest/{UserId}/{Code}/";
    public int Count(string method) => Calls.Count(c => c == method);

    private FakeBitrix24(WebApplication app) => _app = app;

    public static async Task<FakeBitrix24> StartAsync()
    {
        FakeBitrix24? fake = null;
        var app = await LoopbackApp.StartAsync(a => a.MapPost("/rest/{user}/{code}/{method}", async (string user, string code, string method, HttpRequest req) =>
        {
            var body = await JsonNode.ParseAsync(req.Body) as JsonObject ?? [];
            return fake!.Handle(user, code, method.EndsWith(".json", StringComparison.Ordinal) ? method[..^5] : method, body);
        }));
        return fake = new FakeBitrix24(app);
    }

    public long AddContact(string name, params string[] phones)
    {
        lock (_lock)
        {
            var id = ++_nextId;
            Contacts[id] = new JsonObject
            {
                ["ID"] = id.ToString(CultureInfo.InvariantCulture), ["NAME"] = name,
                ["PHONE"] = new JsonArray(phones.Select(p => (JsonNode)new JsonObject { ["VALUE"] = p, ["VALUE_TYPE"] = "WORK", ["TYPE_ID"] = "PHONE" }).ToArray()),
            };
            return id;
        }
    }

    public long AddDeal(string title, string stage, decimal opportunity, long? contactId, DateTimeOffset modified)
    {
        lock (_lock)
        {
            var id = ++_nextId;
            Deals[id] = new JsonObject
            {
                ["ID"] = id.ToString(CultureInfo.InvariantCulture), ["TITLE"] = title, ["STAGE_ID"] = stage, ["CURRENCY_ID"] = "RUB",
                ["OPPORTUNITY"] = opportunity.ToString("0.00", CultureInfo.InvariantCulture), ["CONTACT_ID"] = contactId?.ToString(CultureInfo.InvariantCulture) ?? "",
                ["DATE_MODIFY"] = modified.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            };
            return id;
        }
    }

    private IResult Handle(string user, string code, string method, JsonObject body)
    {
        Interlocked.Increment(ref HttpRequests);
        if (user != UserId || code != Code) return Error(401, "NO_AUTH_FOUND", "Wrong authorization data");
        if (Expired) return Error(401, "expired_token", "The access token provided has expired.");
        if (FailNext.TryDequeue(out var fail)) return Error(fail.Status, fail.Error, fail.Description);
        if (Budget is { } left)
        {
            if (left <= 0) return Error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
            Budget = left - 1;
        }
        lock (_lock)
        {
            if (method == "batch") return Envelope(Batch(body));
            var (status, result, error, description) = Run(method, body);
            return status == 200 ? Envelope(result) : Error(status, error!, description!);
        }
    }

    private JsonObject Batch(JsonObject body)
    {
        var halt = body["halt"]?.ToString() is "1" or "true";
        var results = new JsonObject();
        var errors = new JsonObject();
        foreach (var (name, cmd) in body["cmd"]!.AsObject())
        {
            var text = cmd!.GetValue<string>();
            var q = text.IndexOf('?', StringComparison.Ordinal);
            var method = q < 0 ? text : text[..q];
            var args = ParseQuery(q < 0 ? "" : text[(q + 1)..], results);
            var (status, result, error, description) = Run(method, args);
            if (status == 200) results[name] = result?.DeepClone();
            else
            {
                errors[name] = new JsonObject { ["error"] = error, ["error_description"] = description };
                if (halt) break;
            }
        }
        return new JsonObject
        {
            ["result"] = results, ["result_error"] = errors.Count == 0 ? new JsonArray() : errors, ["result_total"] = new JsonArray(),
            ["result_next"] = new JsonArray(), ["result_time"] = new JsonArray(),
        };
    }

    private (int, JsonNode?, string?, string?) Run(string method, JsonObject a)
    {
        Calls.Enqueue(method);
        JsonObject? Fields() => a["fields"] as JsonObject;
        long Id() => long.TryParse(a["id"]?.ToString(), out var v) ? v : -1;
        (int, JsonNode?, string?, string?) NotFound() => (400, null, "", "Not found");
        switch (method)
        {
            case "crm.duplicate.findbycomm":
            {
                var values = (a["values"] as JsonArray ?? []).Select(v => Digits(v!.ToString())).ToList();
                if (a["type"]?.ToString() is not ("PHONE" or "EMAIL")) return (400, null, "", "Communication type is not defined");
                var field = a["type"]!.ToString();
                var ids = Contacts.Where(c => (c.Value[field] as JsonArray ?? []).Any(p => values.Contains(field == "PHONE" ? Digits(p!["VALUE"]!.ToString()) : p!["VALUE"]!.ToString())))
                    .Select(c => (JsonNode)c.Key).ToArray();
                return (200, ids.Length == 0 ? new JsonArray() : new JsonObject { ["CONTACT"] = new JsonArray(ids) }, null, null);
            }
            case "crm.contact.add":
            {
                if (Fields() is not { } f) return (400, null, "", "Parameter 'fields' must be array.");
                var id = ++_nextId;
                f["ID"] = id.ToString(CultureInfo.InvariantCulture);
                Contacts[id] = (JsonObject)f.DeepClone();
                return (200, id, null, null);
            }
            case "crm.contact.get":
                return Contacts.TryGetValue(Id(), out var contact) ? (200, contact.DeepClone(), null, null) : NotFound();
            case "crm.deal.add":
            {
                if (Fields() is not { } f) return (400, null, "", "Parameter 'fields' must be array.");
                var id = ++_nextId;
                var deal = new JsonObject();
                foreach (var (k, v) in f) deal[k] = v is JsonValue ? v.ToString() : v?.DeepClone();
                deal["ID"] = id.ToString(CultureInfo.InvariantCulture);
                deal["STAGE_ID"] ??= "NEW";
                Deals[id] = deal;
                return (200, id, null, null);
            }
            case "crm.deal.update":
            {
                if (!Deals.TryGetValue(Id(), out var deal)) return NotFound();
                foreach (var (k, v) in Fields() ?? [])
                    if (k != "STAGE_ID" || DealStages.Contains(v?.ToString())) deal[k] = v?.ToString();
                return (200, true, null, null);
            }
            case "crm.deal.get":
                return Deals.TryGetValue(Id(), out var d) ? (200, d.DeepClone(), null, null) : NotFound();
            case "crm.deal.productrows.get":
                return Deals.ContainsKey(Id()) ? (200, ProductRows.TryGetValue(Id(), out var rows) ? rows.DeepClone() : new JsonArray(), null, null) : NotFound();
            case "crm.deal.list":
            {
                var filter = a["filter"] as JsonObject ?? [];
                IEnumerable<JsonObject> q = Deals.Values;
                foreach (var (k, v) in filter)
                {
                    var value = v!.ToString();
                    q = k.StartsWith('>') ? q.Where(x => DateTimeOffset.Parse(x[k[1..]]!.ToString(), CultureInfo.InvariantCulture) > DateTimeOffset.Parse(value, CultureInfo.InvariantCulture))
                        : q.Where(x => x[k]?.ToString() == value);
                }
                var start = int.TryParse(a["start"]?.ToString(), out var s) ? s : 0;
                return (200, new JsonArray(q.Skip(start).Take(50).Select(x => (JsonNode)new JsonObject { ["ID"] = x["ID"]!.ToString() }).ToArray()), null, null);
            }
            case "crm.timeline.comment.add":
            {
                if (a["fields"] is not JsonObject f) return (400, null, "", "Parameter 'fields' must be array.");
                var entityId = long.Parse(f["ENTITY_ID"]!.ToString(), CultureInfo.InvariantCulture);
                if (!Deals.ContainsKey(entityId)) return NotFound();
                Comments.Add((f["ENTITY_TYPE"]!.ToString(), entityId, f["COMMENT"]!.ToString()));
                return (200, ++_nextId, null, null);
            }
            case "crm.status.list":
            {
                var entity = a["filter"]?["ENTITY_ID"]?.ToString();
                var list = entity == "DEAL_STAGE" ? DealStages : [];
                return (200, new JsonArray(list.Select(x => (JsonNode)new JsonObject { ["ENTITY_ID"] = entity, ["STATUS_ID"] = x, ["NAME"] = x }).ToArray()), null, null);
            }
            case "tasks.task.add":
            {
                var id = ++_nextId;
                Tasks.Add((JsonObject)Fields()!.DeepClone());
                return (200, new JsonObject { ["task"] = new JsonObject { ["id"] = id.ToString(CultureInfo.InvariantCulture) } }, null, null);
            }
            default:
                return (404, null, "ERROR_METHOD_NOT_FOUND", "Method not found!");
        }
    }

    /// <summary>PHP-style query string → JSON ("fields[A]=1&amp;values[]=x"), with $result[cmd][FIELD] taken from earlier results.</summary>
    private static JsonObject ParseQuery(string query, JsonObject results)
    {
        var o = new JsonObject();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            if (value.StartsWith("$result[", StringComparison.Ordinal))
            {
                var parts = value[8..].TrimEnd(']').Split("][");
                value = results[parts[0]] is JsonObject r && parts.Length > 1 ? r[parts[1]]?.ToString() ?? "" : results[parts[0]]?.ToString() ?? "";
            }
            else value = Uri.UnescapeDataString(value.Replace('+', ' '));
            var path = key.Split('[').Select(p => p.TrimEnd(']')).ToList();
            JsonNode node = o;
            for (var i = 0; i < path.Count; i++)
            {
                var last = i == path.Count - 1;
                if (path[i].Length == 0 && node is JsonArray arr) { arr.Add(value); break; }
                var obj = (JsonObject)node;
                if (last) { obj[path[i]] = value; break; }
                obj[path[i]] ??= path[i + 1].Length == 0 ? new JsonArray() : new JsonObject();
                node = obj[path[i]]!;
            }
        }
        return o;
    }

    private static string Digits(string s) => new(s.Where(char.IsAsciiDigit).ToArray());

    private static IResult Envelope(JsonNode? result) => Results.Json(new JsonObject
    {
        ["result"] = result,
        ["time"] = new JsonObject { ["start"] = 1724140800.1, ["finish"] = 1724140800.2, ["duration"] = 0.1, ["processing"] = 0.05,
            ["date_start"] = "2026-11-18T10:00:00+03:00", ["date_finish"] = "2026-11-18T10:00:00+03:00", ["operating_reset_at"] = 1724141400, ["operating"] = 0.1 },
    });

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
