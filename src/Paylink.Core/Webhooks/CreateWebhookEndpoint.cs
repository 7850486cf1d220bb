using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Webhooks;

public sealed record CreateWebhookEndpointRequest(string? Url, IReadOnlyList<string?>? Events);

/// <summary>Registers a merchant's webhook endpoint and returns it with its new signing secret (shown once).</summary>
public sealed class CreateWebhookEndpoint(AppDbContext db, SecretProtector protector, IOptions<WebhooksOptions> options, TimeProvider clock)
{
    public async Task<Result<(WebhookEndpoint Endpoint, string Secret)>> HandleAsync(string merchantId, CreateWebhookEndpointRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var url = await WebhookUrls.ValidateAsync(r.Url, options.Value, errors, ct);
        var events = ValidateEvents(r.Events, errors);
        if (errors.Any) return errors.ToError();

        var count = await db.WebhookEndpoints.IgnoreQueryFilters().CountAsync(e => e.MerchantId == merchantId, ct);
        if (count >= options.Value.MaxEndpointsPerMerchant)
            return Error.Conflict("too_many_endpoints", $"A merchant may have at most {options.Value.MaxEndpointsPerMerchant} webhook endpoints; delete one first.");
        var secret = WebhookSignature.NewSecret();
        var endpoint = WebhookEndpoint.Create(merchantId, url!, events, protector.Protect(secret), clock);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        return (endpoint, secret);
    }

    private static List<string> ValidateEvents(IReadOnlyList<string?>? events, ValidationErrors errors)
    {
        var known = string.Join(", ", WebhookEventTypes.All);
        if (events is null || events.Count == 0)
        {
            errors.Add("events", $"events is required: a non-empty array of event names ({known}).");
            return [];
        }
        var result = new List<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e is null || !WebhookEventTypes.All.Contains(e, StringComparer.Ordinal))
                errors.Add($"events[{i}]", $"Unknown event '{(e is { Length: > 40 } ? e[..40] + "…" : e)}'. Known: {known}.");
            else if (!result.Contains(e, StringComparer.Ordinal)) result.Add(e);
        }
        return result;
    }
}

/// <summary>URL rules for webhook endpoints.</summary>
public static class WebhookUrls
{
    public static async Task<string?> ValidateAsync(string? raw, WebhooksOptions options, ValidationErrors errors, CancellationToken ct)
    {
        var url = raw?.Trim();
        if (string.IsNullOrEmpty(url)) { errors.Add("url", "url is required."); return null; }
        if (url.Length > WebhookEndpoint.MaxUrlLength) { errors.Add("url", $"url must be at most {WebhookEndpoint.MaxUrlLength} characters."); return null; }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("url", "url must be an absolute https URL.");
            return null;
        }
        if (uri.Scheme == Uri.UriSchemeHttp && !options.AllowHttp) { errors.Add("url", "url must use https."); return null; }
        if (!string.IsNullOrEmpty(uri.UserInfo)) { errors.Add("url", "url must not contain a user name or password."); return null; }
        if (!string.IsNullOrEmpty(uri.Fragment)) { errors.Add("url", "url must not contain a fragment (#…)."); return null; }
        if (await OutboundGuard.CheckHostAsync(uri.IdnHost, options.AllowPrivateNetworks, ct) is { } problem)
        {
            errors.Add("url", $"url must point to a public internet address: {problem}");
            return null;
        }
        return uri.AbsoluteUri;
    }
}
