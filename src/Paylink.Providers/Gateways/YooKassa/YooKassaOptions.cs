using System.Net;

namespace Paylink.Providers.Gateways.YooKassa;

/// <summary>Section <c>Gateways:YooKassa</c>.</summary>
public sealed class YooKassaOptions
{
    public const string Section = "Gateways:YooKassa";

    /// <summary>Networks YooKassa notifications may come from (its notifications are not signed). Default: the
    /// list published in YooKassa's official SDKs. Behind a reverse proxy, configure ForwardedHeaders so the
    /// client address is the real one (see docs/configuration.md).</summary>
    public List<string> AllowedNetworks { get; set; } =
    [
        "185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.156.11/32", "77.75.156.35/32", "77.75.154.128/25",
        "2a02:5180:0:1509::/64", "2a02:5180:0:2655::/64", "2a02:5180:0:1533::/64", "2a02:5180:0:2669::/64",
    ];

    public bool IsAllowed(string? remoteIp)
    {
        if (remoteIp is null || !IPAddress.TryParse(remoteIp, out var ip)) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        foreach (var n in AllowedNetworks)
            if (IPNetwork.TryParse(n, out var net) && net.Contains(ip)) return true;
        return false;
    }
}
