using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Paylink.Core.Common;

/// <summary>Section <c>Outbound</c>: calls to destinations a merchant sets (gateway, channel and CRM base URLs,
/// SMTP hosts, webhook endpoints).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Allow loopback, private, link-local and other non-public destinations. Off in production (SSRF: a
    /// merchant must not make Paylink call into its own network or the cloud metadata service); local fakes and tests
    /// turn it on.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>Raised instead of connecting to a destination the guard refuses. Its message names the host only.</summary>
public sealed class OutboundRefusedException(string message) : IOException(message);

/// <summary>
/// The one SSRF guard for every merchant-set destination: only public unicast addresses are called unless the
/// install allows private networks. Checked when settings are saved (best effort: a name may not resolve yet) and
/// again inside each connection, on the very address connected to, so a DNS answer that changes between check and
/// use (rebinding) cannot slip through. Every IPv4-in-IPv6 form is refused outright rather than unwrapped: none is
/// needed to reach a real provider, and each is a way to smuggle 127.0.0.1 past a naive check.
/// </summary>
public static class OutboundGuard
{
    /// <summary>True for an address a merchant-set destination may resolve to.</summary>
    public static bool IsPublic(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224                    // this network, private, loopback, multicast, reserved, broadcast
                     || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)                             // carrier-grade NAT
                     || (b[0] == 169 && b[1] == 254)                                           // link-local (cloud metadata)
                     || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2))                 // IETF protocol assignments, TEST-NET-1
                     || (b[0] == 192 && b[1] == 88 && b[2] == 99)                              // 6to4 relay anycast
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19))                            // benchmarking
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)                             // TEST-NET-2
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113));                            // TEST-NET-3
        }
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = ip.GetAddressBytes();
            // Only global unicast 2000::/3 is ever public; that excludes ::, ::1, ::a.b.c.d, ::ffff:a.b.c.d,
            // 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64), 100::/64, fc00::/7, fe80::/10, fec0::/10 and ff00::/8.
            if ((b[0] & 0xE0) != 0x20) return false;
            return !((b[0] == 0x20 && b[1] == 0x01 && b[2] <= 0x01)              // 2001::/23 IETF assignments, Teredo 2001::/32
                     || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)           // documentation 2001:db8::/32
                     || (b[0] == 0x20 && b[1] == 0x02)                                           // 6to4 2002::/16 (embeds an IPv4 address)
                     || (b[0] == 0x3F && b[1] == 0xFE)                                           // old 6bone 3ffe::/16
                     || (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0));                   // documentation 3fff::/20
        }
        return false;
    }

    /// <summary>A host name that always means this machine or its local network, whatever DNS says
    /// (case and a trailing dot ignored: <c>LOCALHOST.</c> is <c>localhost</c>).</summary>
    public static bool IsLocalName(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        return h.Length == 0 || h == "localhost" || h == "localhost.localdomain"
            || h.EndsWith(".localhost", StringComparison.Ordinal) || h.EndsWith(".local", StringComparison.Ordinal)
            || h.EndsWith(".internal", StringComparison.Ordinal) || h.EndsWith(".localdomain", StringComparison.Ordinal)
            || h.EndsWith(".home.arpa", StringComparison.Ordinal) || h == "home.arpa";
    }

    /// <summary>Why a host may not be called (save-time check), or null. Names that do not resolve now are let
    /// through: the connect-time check decides when they are called. The text names the host, never an answer.</summary>
    public static async Task<string?> CheckHostAsync(string host, bool allowPrivate, CancellationToken ct)
    {
        if (allowPrivate) return null;
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var literal))
            return IsPublic(literal) ? null : $"'{host}' is not a public address.";
        if (IsLocalName(bare)) return $"'{host}' is a local name.";
        IPAddress[] addresses;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(3));
        try { addresses = await Dns.GetHostAddressesAsync(bare, cts.Token); }
        catch (Exception ex) when (ex is SocketException or ArgumentException or OperationCanceledException && !ct.IsCancellationRequested) { return null; }
        var bad = addresses.FirstOrDefault(a => !IsPublic(a));
        return bad is null ? null : $"'{host}' resolves to a non-public address.";
    }

    /// <summary>Save-time check of a URL setting; null when fine.</summary>
    public static Task<string?> CheckUrlAsync(string url, bool allowPrivate, CancellationToken ct) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? CheckHostAsync(uri.IdnHost, allowPrivate, ct) : Task.FromResult<string?>(null);

    /// <summary>Resolves <paramref name="host"/>, refuses it when any address is not public (unless allowed), and
    /// returns a socket connected to one of the addresses it checked. Refusal happens before any packet is sent,
    /// so callers can tell the merchant "refused" without revealing whether anything listens there.</summary>
    public static async Task<Socket> ConnectAsync(string host, int port, bool allowPrivate, CancellationToken ct)
    {
        var bare = host.Trim('[', ']');
        if (!allowPrivate && IsLocalName(bare)) throw new OutboundRefusedException($"Refused to connect: {host} is a local name.");
        IPAddress[] addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, ct);
        if (!allowPrivate && (addresses.Length == 0 || addresses.Any(a => !IsPublic(a))))
            throw new OutboundRefusedException($"Refused to connect: {host} resolves to a non-public address.");
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only through <see cref="ConnectAsync"/>.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        async (context, ct) => new NetworkStream(await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, allowPrivate, ct), ownsSocket: true);

    /// <summary>The primary handler of every client that calls a merchant-set destination: guarded connections,
    /// no redirects (a 30x to 127.0.0.1 is just an answer), no cookies, no proxy (a proxy would make the guard check
    /// the proxy's address instead of the destination's).</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectCallback(allowPrivate),
    };
}

/// <summary>Save-time guard of provider settings (gateway, channel, CRM accounts): every destination-bearing key a
/// provider accepts (<c>baseUrl</c>, <c>webhookUrl</c>, <c>host</c>) must name a public host. The providers' HTTP
/// clients and the SMTP channel check again at connect time.</summary>
public sealed class OutboundSettings(Microsoft.Extensions.Options.IOptions<OutboundOptions> options)
{
    private static readonly string[] UrlKeys = ["baseUrl", "webhookUrl"];

    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks;

    /// <summary>Null when every destination in <paramref name="settings"/> (already validated by its provider) may
    /// be called; otherwise a validation error naming the setting.</summary>
    public async Task<Error?> CheckAsync(System.Text.Json.Nodes.JsonObject settings, CancellationToken ct)
    {
        if (options.Value.AllowPrivateNetworks) return null;
        var errors = new ValidationErrors();
        foreach (var key in UrlKeys)
            if (settings[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var url)
                && await OutboundGuard.CheckUrlAsync(url, false, ct) is { } problem)
                errors.Add($"settings.{key}", $"{key} must point to a public internet address: {problem}");
        if (settings["host"] is System.Text.Json.Nodes.JsonValue h && h.TryGetValue<string>(out var host)
            && await OutboundGuard.CheckHostAsync(host, false, ct) is { } hostProblem)
            errors.Add("settings.host", $"host must be a public internet address: {hostProblem}");
        return errors.Any ? errors.ToError() : null;
    }
}
