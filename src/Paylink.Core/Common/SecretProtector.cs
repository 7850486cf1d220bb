using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Paylink.Core.Common;

/// <summary>Encrypts per-merchant provider settings at rest with ASP.NET Data Protection.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Paylink.ProviderSettings.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    /// <summary>Returns null when the ciphertext cannot be read (wrong or lost keys).</summary>
    public string? TryUnprotect(string ciphertext)
    {
        try { return _protector.Unprotect(ciphertext); }
        catch (CryptographicException) { return null; }
    }
}
