using Microsoft.AspNetCore.Http;

namespace Paylink.Providers.Channels;

/// <summary>Reads an inbound webhook body up to a size limit (null when larger), for channel webhooks.</summary>
public static class InboundBody
{
    public const int MaxBytes = 256 * 1024;

    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, CancellationToken ct, int maxBytes = MaxBytes)
    {
        if (request.ContentLength > maxBytes) return null;
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + n > maxBytes) return null;
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }
}
