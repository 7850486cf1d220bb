using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Paylink.Core.Webhooks;

/// <summary>
/// SSRF guard for merchant-supplied URLs: only public unicast addresses are called unless the install
/// allows private networks. Applied at registration (best effort: the name may not resolve yet) and at
/// delivery time inside the connection itself, on the very address connected to, so a DNS answer that
/// changes between check and use (rebinding) cannot slip through.
/// </summary>
public static class NetworkGuard
{
    public static bool IsPublic(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast)) return false;
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224                    // this network, private, loopback, multicast/reserved
                     || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)                             // carrier-grade NAT
                     || (b[0] == 169 && b[1] == 254)                                           // link-local (cloud metadata)
                     || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)                                // IETF protocol assignments
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));                          // benchmarking
        }
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = ip.GetAddressBytes();
            return !(ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC   // unique local fc00::/7
                     || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8));               // documentation
        }
        return false;
    }

    /// <summary>Why a host may not be called (registration-time check), or null. Names that do not resolve
    /// are let through: the delivery-time check decides then.</summary>
    public static async Task<string?> CheckHostAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
            return IsPublic(literal) ? null : $"'{host}' is not a public address.";
        var lower = host.ToLowerInvariant();
        if (lower == "localhost" || lower.EndsWith(".localhost", StringComparison.Ordinal) || lower.EndsWith(".local", StringComparison.Ordinal)
            || lower.EndsWith(".internal", StringComparison.Ordinal))
            return $"'{host}' is a local name.";
        IPAddress[] addresses;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(3));
        try { addresses = await Dns.GetHostAddressesAsync(host, cts.Token); }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested) { return null; }
        var bad = addresses.FirstOrDefault(a => !IsPublic(a));
        return bad is null ? null : $"'{host}' resolves to a non-public address ({bad}).";
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves, refuses non-public
    /// addresses (unless <paramref name="allowPrivate"/>) and connects to the address it checked.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            if (!allowPrivate && addresses.FirstOrDefault(a => !IsPublic(a)) is { } bad)
                throw new HttpRequestException($"Refused to connect: {host} resolves to a non-public address ({bad}).");
            Exception? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    last = ex;
                }
            }
            throw new HttpRequestException($"Cannot connect to {host}:{context.DnsEndPoint.Port}.", last);
        };
}
