using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Paylink.Providers.Channels.Max;

/// <summary>
/// Trust for MAX's TLS chain, which may end at the Russian Ministry of Digital Development root («Минцифры»)
/// that system stores often lack. The roots in <see cref="MaxOptions.TrustedRootsPemPath"/> are added to the
/// chain check: a chain the system already trusts passes as before; a chain that fails only for an
/// untrusted root is built again with the system roots' verdict replaced by our custom trust store. Name
/// mismatches and missing certificates always fail: certificate checks are never switched off.
/// </summary>
public static class MaxTrust
{
    /// <summary>Loads every certificate of a PEM file (throws when the file is missing or holds none).</summary>
    public static X509Certificate2Collection LoadRoots(string pemPath)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemPath);
        if (roots.Count == 0) throw new InvalidOperationException($"No certificate in {pemPath}.");
        return roots;
    }

    /// <summary>Sets the certificate check of <paramref name="handler"/> to system trust plus <paramref name="roots"/>.</summary>
    public static void Apply(HttpMessageHandler handler, X509Certificate2Collection roots)
    {
        if (handler is not SocketsHttpHandler sockets)
            throw new InvalidOperationException($"The MAX client's primary handler is {handler.GetType().Name}; a custom trust store needs SocketsHttpHandler.");
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, cert, chain, errors) => Validate(cert, chain, errors, roots);
    }

    public static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None) return true;
        // Only a chain error may be rescued by our roots; a wrong host name or no certificate never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
