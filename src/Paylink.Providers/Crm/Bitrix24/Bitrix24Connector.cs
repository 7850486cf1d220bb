using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Crm;
using Paylink.Core.Providers;

namespace Paylink.Providers.Crm.Bitrix24;

/// <summary>
/// Bitrix24 through an incoming webhook (../shared/protocols/bitrix24.md): contacts found with
/// crm.duplicate.findbycomm before crm.contact.add, deals or leads created with ORIGINATOR_ID "paylink" +
/// ORIGIN_ID = our deal id (so a lost answer is found again, never duplicated), stage moves and timeline
/// comments in one <c>batch</c> that also reads the deal back to prove the stage id was accepted, inbound
/// ONCRMDEALUPDATE events checked by application token in constant time.
/// </summary>
public sealed class Bitrix24Connector(Bitrix24Client client) : ICrmConnector
{
    public const string Originator = "paylink";

    public string Id => "bitrix24";

    public Result<JsonObject> ValidateSettings(JsonObject settings) => Bitrix24Settings.Validate(settings);

    public JsonObject MaskSettings(JsonObject settings) => Bitrix24Settings.Mask(settings);

    public async Task<CrmOutcome<string>> TestAsync(CrmContext context, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        // Stage lists per funnel: DEAL_STAGE for the default one, DEAL_STAGE_N for "CN:" ids; STATUS for leads.
        var lists = s.Entity == "lead" ? ["STATUS"]
            : s.Stages.Values.Select(v => v.StartsWith('C') && v.Contains(':') ? "DEAL_STAGE_" + v[1..v.IndexOf(':')] : "DEAL_STAGE")
                .Append("DEAL_STAGE").Distinct().ToList();
        var cmds = lists.ToDictionary(l => l, l => Bitrix24Json.Query("crm.status.list", [("filter[ENTITY_ID]", l)]));
        var batch = await client.BatchAsync(s, cmds, halt: false, ct);
        if (!batch.IsSuccess) return batch.Failure!;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in lists)
        {
            if (batch.Value.FailureOf(l, "crm.status.list") is { } f) return f;
            if (batch.Value.Results.TryGetValue(l, out var rows) && rows.ValueKind == JsonValueKind.Array)
                foreach (var row in rows.EnumerateArray())
                    if (Bitrix24Json.Text(row, "STATUS_ID") is { } id) known.Add(id);
        }
        var wrong = s.Stages.Where(kv => !known.Contains(kv.Value)).Select(kv => $"settings.stages.{kv.Key}={kv.Value}").ToList();
        if (wrong.Count > 0)
            return new CrmFailure(false, "wrong_stage", $"Stage id(s) not found on the portal: {string.Join(", ", wrong)}. Known: {string.Join(", ", known.Order())}.");
        return $"Connected to {s.Portal}: {known.Count} stage(s) read, every configured stage exists.";
    }

    public async Task<CrmOutcome<string>> EnsureContactAsync(CrmContext context, CrmContactData contact, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        var cmds = new Dictionary<string, string>();
        if (contact.Phone is { } phone)
            cmds["phone"] = Bitrix24Json.Query("crm.duplicate.findbycomm",
                new[] { ("entity_type", "CONTACT"), ("type", "PHONE") }.Concat(PhoneVariants(phone).Select(v => ("values[]", v))));
        if (contact.Email is { } email)
            cmds["email"] = Bitrix24Json.Query("crm.duplicate.findbycomm", [("entity_type", "CONTACT"), ("type", "EMAIL"), ("values[]", email)]);
        if (cmds.Count > 0)
        {
            var found = await client.BatchAsync(s, cmds, halt: false, ct);
            if (!found.IsSuccess) return found.Failure!;
            foreach (var key in new[] { "phone", "email" })
            {
                if (found.Value.FailureOf(key, "crm.duplicate.findbycomm") is { } f) return f;
                // {"CONTACT":[275,2297]} when found; [] or {} when not (both seen). Several matches (one contact
                // with several phones, or true duplicates at the portal): take the oldest, never add another.
                if (found.Value.Results.TryGetValue(key, out var r) && r.ValueKind == JsonValueKind.Object
                    && r.TryGetProperty("CONTACT", out var ids) && ids.ValueKind == JsonValueKind.Array && ids.GetArrayLength() > 0)
                    return ids.EnumerateArray().Select(i => long.Parse(i.ToString(), CultureInfo.InvariantCulture)).Min().ToString(CultureInfo.InvariantCulture);
            }
        }
        var fields = new JsonObject
        {
            ["NAME"] = contact.Name ?? "Клиент Paylink", ["OPENED"] = "Y", ["SOURCE_ID"] = "OTHER", ["SOURCE_DESCRIPTION"] = "Paylink",
        };
        if (contact.Phone is not null) fields["PHONE"] = new JsonArray(new JsonObject { ["VALUE"] = contact.Phone, ["VALUE_TYPE"] = "MOBILE" });
        if (contact.Email is not null) fields["EMAIL"] = new JsonArray(new JsonObject { ["VALUE"] = contact.Email, ["VALUE_TYPE"] = "WORK" });
        if (s.ResponsibleId is { } rid) fields["ASSIGNED_BY_ID"] = rid;
        var added = await client.CallAsync(s, "crm.contact.add", new JsonObject { ["fields"] = fields, ["params"] = new JsonObject { ["REGISTER_SONET_EVENT"] = "Y" } }, ct);
        return added.IsSuccess ? added.Value.ToString() : added.Failure!;
    }

    public async Task<CrmOutcome<string?>> FindDealAsync(CrmContext context, string localDealId, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        var r = await client.CallAsync(s, $"crm.{s.Entity}.list", new JsonObject
        {
            ["filter"] = new JsonObject { ["ORIGINATOR_ID"] = Originator, ["ORIGIN_ID"] = localDealId },
            ["select"] = new JsonArray("ID"),
        }, ct);
        if (!r.IsSuccess) return r.Failure!;
        return r.Value.ValueKind == JsonValueKind.Array && r.Value.GetArrayLength() > 0 ? Bitrix24Json.Text(r.Value[0], "ID") : null;
    }

    public async Task<CrmOutcome<string>> CreateDealAsync(CrmContext context, CrmDealData deal, string remoteContactId, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        var fields = new JsonObject
        {
            ["TITLE"] = deal.Title, ["CURRENCY_ID"] = deal.Amount.Currency, ["OPPORTUNITY"] = Currencies.ToMajor(deal.Amount.Minor, deal.Amount.Currency),
            ["CONTACT_ID"] = long.Parse(remoteContactId, CultureInfo.InvariantCulture), ["OPENED"] = "Y",
            ["SOURCE_ID"] = "OTHER", ["SOURCE_DESCRIPTION"] = "Paylink", ["ORIGINATOR_ID"] = Originator, ["ORIGIN_ID"] = deal.LocalId,
            ["COMMENTS"] = deal.ServiceName is null ? "Paylink" : $"Услуга: {deal.ServiceName}",
        };
        if (s.ResponsibleId is { } rid) fields["ASSIGNED_BY_ID"] = rid;
        var r = await client.CallAsync(s, $"crm.{s.Entity}.add", new JsonObject { ["fields"] = fields, ["params"] = new JsonObject { ["REGISTER_SONET_EVENT"] = "Y" } }, ct);
        return r.IsSuccess ? r.Value.ToString() : r.Failure!;
    }

    public async Task<CrmOutcome<IReadOnlyList<string>>> UpdateDealAsync(CrmContext context, string remoteDealId, DealStage? stage,
        IReadOnlyList<string> comments, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        var target = stage is { } st ? s.StageFor(st) : null;
        var stageField = s.Entity == "lead" ? "STATUS_ID" : "STAGE_ID";
        var cmds = new Dictionary<string, string>();
        if (target is not null)
        {
            cmds["move"] = Bitrix24Json.Query($"crm.{s.Entity}.update", [("id", remoteDealId), ($"fields[{stageField}]", target), ("params[REGISTER_SONET_EVENT]", "Y")]);
            cmds["check"] = Bitrix24Json.Query($"crm.{s.Entity}.get", [("id", remoteDealId)]);
        }
        for (var i = 0; i < comments.Count; i++)
            cmds[$"c{i}"] = Bitrix24Json.Query("crm.timeline.comment.add",
                [("fields[ENTITY_ID]", remoteDealId), ("fields[ENTITY_TYPE]", s.Entity), ("fields[COMMENT]", comments[i])]);
        if (cmds.Count == 0) return Array.Empty<string>();
        var batch = await client.BatchAsync(s, cmds, halt: true, ct);
        if (!batch.IsSuccess) return batch.Failure!;
        if (target is not null)
        {
            if (batch.Value.FailureOf("move", $"crm.{s.Entity}.update") is { } f)
                return f.Code == "not_found" ? new CrmFailure(false, "not_found", $"{s.Entity} {remoteDealId} was not found at the portal (deleted?).") : f;
            if (batch.Value.FailureOf("check", $"crm.{s.Entity}.get") is { } g) return g;
            var now = batch.Value.Results.TryGetValue("check", out var got) ? Bitrix24Json.Text(got, stageField) : null;
            if (now != target)
                return new CrmFailure(false, "wrong_stage",
                    $"The portal did not accept stage id '{target}' (settings.stages.{Bitrix24Settings.StageKeys[stage!.Value]}); {s.Entity} {remoteDealId} stays in '{now}'. Check the stage ids with POST /api/v1/crm-accounts/{{id}}/test.");
        }
        var ids = new List<string>();
        for (var i = 0; i < comments.Count; i++)
        {
            if (batch.Value.FailureOf($"c{i}", "crm.timeline.comment.add") is { } f)
                return f.Code == "not_found" ? new CrmFailure(false, "not_found", $"{s.Entity} {remoteDealId} was not found at the portal (deleted?).") : f;
            ids.Add(batch.Value.Results.TryGetValue($"c{i}", out var id) ? id.ToString() : "");
        }
        return ids;
    }

    public async Task<CrmOutcome<string>> AddTaskAsync(CrmContext context, string remoteDealId, string title, string text, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        var r = await client.CallAsync(s, "tasks.task.add", new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["TITLE"] = title, ["DESCRIPTION"] = text, ["RESPONSIBLE_ID"] = s.ResponsibleId ?? s.WebhookUserId,
                ["UF_CRM_TASK"] = new JsonArray((s.Entity == "lead" ? "L_" : "D_") + remoteDealId),
            },
        }, ct);
        if (!r.IsSuccess) return r.Failure!;
        return r.Value.ValueKind == JsonValueKind.Object && r.Value.TryGetProperty("task", out var t) ? Bitrix24Json.Text(t, "id") ?? "" : r.Value.ToString();
    }

    public async Task<CrmOutcome<CrmRemoteDeal>> GetDealAsync(CrmContext context, string remoteDealId, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        var cmds = new Dictionary<string, string>
        {
            ["deal"] = Bitrix24Json.Query($"crm.{s.Entity}.get", [("id", remoteDealId)]),
            ["rows"] = Bitrix24Json.Query($"crm.{s.Entity}.productrows.get", [("id", remoteDealId)]),
        };
        if (s.Entity == "deal") cmds["contact"] = Bitrix24Json.Query("crm.contact.get", [("id", "$result[deal][CONTACT_ID]")]);
        var batch = await client.BatchAsync(s, cmds, halt: false, ct);
        if (!batch.IsSuccess) return batch.Failure!;
        if (batch.Value.FailureOf("deal", $"crm.{s.Entity}.get") is { } f)
            return f.Code == "not_found" ? new CrmFailure(false, "not_found", $"{s.Entity} {remoteDealId} was not found at the portal (deleted?).") : f;
        var deal = batch.Value.Results["deal"];
        var currency = Bitrix24Json.Text(deal, "CURRENCY_ID") is { Length: 3 } c ? c : "RUB";
        var rows = new List<CrmProductRow>();
        if (batch.Value.Results.TryGetValue("rows", out var pr) && pr.ValueKind == JsonValueKind.Array)
            foreach (var row in pr.EnumerateArray())
            {
                var price = Bitrix24Json.Number(row, "PRICE") ?? 0;
                var qty = Bitrix24Json.Number(row, "QUANTITY") ?? 1;
                var name = Bitrix24Json.Text(row, "PRODUCT_NAME") ?? "Товар";
                // Fractional quantities (kilograms, hours) become one line with the row's total.
                if (qty == decimal.Truncate(qty) && qty >= 1) rows.Add(new CrmProductRow(name, Currencies.ToMinor(price, currency), (int)qty));
                else rows.Add(new CrmProductRow($"{name} × {qty.ToString(CultureInfo.InvariantCulture)}", Currencies.ToMinor(price * qty, currency), 1));
            }
        var amount = rows.Count > 0 ? rows.Sum(r => r.PriceMinor * r.Quantity) : Currencies.ToMinor(Bitrix24Json.Number(deal, "OPPORTUNITY") ?? 0, currency);
        var person = s.Entity == "lead" ? deal : batch.Value.Results.TryGetValue("contact", out var ce) ? ce : default;
        var name2 = string.Join(' ', new[] { Bitrix24Json.Text(person, "NAME"), Bitrix24Json.Text(person, "LAST_NAME") }.Where(x => !string.IsNullOrWhiteSpace(x)));
        return new CrmRemoteDeal(remoteDealId, Bitrix24Json.Text(deal, "TITLE") ?? "", Bitrix24Json.Text(deal, s.Entity == "lead" ? "STATUS_ID" : "STAGE_ID"),
            new Money(amount, currency), rows, s.Entity == "lead" ? null : Bitrix24Json.Text(deal, "CONTACT_ID"),
            name2.Length == 0 ? null : name2, Bitrix24Json.Multi(person, "PHONE"), Bitrix24Json.Multi(person, "EMAIL"));
    }

    public async Task<CrmOutcome<IReadOnlyList<string>>> ListDealsToInvoiceAsync(CrmContext context, DateTimeOffset since, CancellationToken ct)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        if (s.IssueInvoiceStage is not { } stage) return Array.Empty<string>();
        var ids = new List<string>();
        var start = 0;
        for (var page = 0; page < 20; page++)
        {
            var r = await client.CallAsync(s, $"crm.{s.Entity}.list", new JsonObject
            {
                ["filter"] = new JsonObject
                {
                    [">DATE_MODIFY"] = since.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    [s.Entity == "lead" ? "STATUS_ID" : "STAGE_ID"] = stage,
                },
                ["select"] = new JsonArray("ID"), ["order"] = new JsonObject { ["ID"] = "ASC" }, ["start"] = start,
            }, ct);
            if (!r.IsSuccess) return r.Failure!;
            if (r.Value.ValueKind == JsonValueKind.Array)
                ids.AddRange(r.Value.EnumerateArray().Select(x => Bitrix24Json.Text(x, "ID")).Where(x => x is not null).Select(x => x!));
            // "next" sits beside "result" in the envelope; a page shorter than 50 is the last one.
            if (r.Value.ValueKind != JsonValueKind.Array || r.Value.GetArrayLength() < 50) break;
            start += 50;
        }
        return ids;
    }

    public Result<CrmInboundEvent> VerifyEvent(CrmContext context, IReadOnlyDictionary<string, string> form)
    {
        var s = Bitrix24Settings.Parse(context.Settings);
        if (s.ApplicationToken is null)
            return new Error(ErrorKind.Unauthorized, "no_application_token", "This CRM account has no settings.applicationToken; inbound events are refused.");
        var given = form.GetValueOrDefault("auth[application_token]") ?? "";
        // Equal-length digests, so the comparison time says nothing about the token.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(s.ApplicationToken))))
            return new Error(ErrorKind.Unauthorized, "invalid_token", "auth[application_token] does not match the account's application token.");
        var type = form.GetValueOrDefault("event")?.ToUpperInvariant();
        if (string.IsNullOrEmpty(type)) return Error.Validation("event", "event is required.");
        var id = form.GetValueOrDefault("data[FIELDS][ID]");
        if (id is null || id.Length is 0 or > 18 || !id.All(char.IsAsciiDigit)) return Error.Validation("data[FIELDS][ID]", "data[FIELDS][ID] must be the numeric id of the changed object.");
        var ts = form.GetValueOrDefault("ts") ?? "";
        return new CrmInboundEvent(type, id, $"{type}:{id}:{ts}");
    }

    /// <summary>+79161234567 is stored at portals as typed: look for the usual Russian spellings in one call.</summary>
    public static IEnumerable<string> PhoneVariants(string e164)
    {
        yield return e164;
        yield return e164.TrimStart('+');
        if (e164.StartsWith("+7", StringComparison.Ordinal) && e164.Length == 12) yield return "8" + e164[2..];
    }
}
