using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Paylink.Providers.Channels.Max;
using Paylink.Providers.Channels.Vk;

namespace Paylink.Tests.Messaging;

/// <summary>The MAX trust store adds a configured root to the chain check and never switches checks off; VK's random_id is stable.</summary>
public sealed class MaxTrustTests
{
    private static X509Certificate2 Root(string name)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(5));
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=platform-api2.max.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("platform-api2.max.test");
        req.CertificateExtensions.Add(san.Build());
        return req.Create(issuer, TimeProvider.System.GetUtcNow().AddHours(-1), TimeProvider.System.GetUtcNow().AddYears(1), [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    [Fact]
    public void Validate_ChainEndingAtConfiguredRoot_Trusted_OtherRootOrNameMismatch_Refused()
    {
        using var russian = Root("Russian Trusted Root CA (test)");
        using var stranger = Root("Someone else");
        using var leaf = Leaf(russian);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.False(chain.Build(leaf));   // the system store does not know the root

        Assert.True(MaxTrust.Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors, [russian]));
        Assert.False(MaxTrust.Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors, [stranger]));
        Assert.False(MaxTrust.Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, [russian]));
        Assert.False(MaxTrust.Validate(null, chain, SslPolicyErrors.RemoteCertificateNotAvailable, [russian]));
        Assert.True(MaxTrust.Validate(leaf, chain, SslPolicyErrors.None, [stranger]));   // system-trusted chains pass as before
    }

    [Fact]
    public void LoadRoots_ReadsEveryCertificateOfThePem()
    {
        using var a = Root("A");
        using var b = Root("B");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, a.ExportCertificatePem() + "\n" + b.ExportCertificatePem());
            Assert.Equal(2, MaxTrust.LoadRoots(path).Count);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void RandomId_SameForOneMessage_PositiveInt32_DiffersBetweenMessages()
    {
        var id = VkChannel.RandomId("msg_01JDZ8Y3Q4W5E6R7T8Y9U0I1O2");
        Assert.Equal(id, VkChannel.RandomId("msg_01JDZ8Y3Q4W5E6R7T8Y9U0I1O2"));
        Assert.InRange(id, 1, int.MaxValue);
        Assert.NotEqual(id, VkChannel.RandomId("msg_01JDZ8Y3Q4W5E6R7T8Y9U0I1O3"));
    }
}
