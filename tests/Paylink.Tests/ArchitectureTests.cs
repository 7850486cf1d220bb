using System.Reflection;

namespace Paylink.Tests;

/// <summary>Guards the dependency rule: Core references neither Providers, Assistant nor any host;
/// Providers and Assistant reference Core only; provider SDKs stay out of Core.</summary>
public sealed class ArchitectureTests
{
    private static string[] ReferencesOf(Assembly a) => a.GetReferencedAssemblies().Select(r => r.Name!).ToArray();

    private static readonly Assembly Core = typeof(Paylink.Core.PaylinkCore).Assembly;
    private static readonly Assembly Providers = typeof(Paylink.Providers.PaylinkProviders).Assembly;

    [Fact]
    public void Core_ReferencesNoOtherPaylinkProjectNorWebStack()
    {
        var refs = ReferencesOf(Core);
        Assert.DoesNotContain(refs, r => r.StartsWith("Paylink.", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, r => r is "Microsoft.AspNetCore.Http" or "Microsoft.AspNetCore.Routing" or "Microsoft.AspNetCore.Mvc.Core"
            or "Microsoft.AspNetCore.Http.Abstractions" or "Microsoft.AspNetCore.Components");
        Assert.DoesNotContain(refs, r => r.StartsWith("Stripe", StringComparison.Ordinal) || r.StartsWith("Telegram", StringComparison.Ordinal)
            || r.StartsWith("MailKit", StringComparison.Ordinal));
    }

    [Fact]
    public void Providers_ReferenceCoreButNoHost()
    {
        var refs = ReferencesOf(Providers);
        Assert.Contains("Paylink.Core", refs);
        Assert.DoesNotContain(refs, r => r is "Paylink.Server" or "paylink" or "Paylink.Assistant");
    }

    [Fact]
    public void Assistant_ReferencesOnlyCore()
    {
        var assistant = Assembly.Load("Paylink.Assistant");
        var refs = ReferencesOf(assistant).Where(r => r.StartsWith("Paylink", StringComparison.Ordinal) || r == "paylink");
        Assert.All(refs, r => Assert.Equal("Paylink.Core", r));
    }

    [Fact]
    public void ProviderSdkTypes_DoNotLeakIntoPublicSignaturesOfCore()
    {
        var leaking = Core.GetExportedTypes()
            .SelectMany(t => t.GetMethods().Select(m => m.ReturnType).Concat(t.GetProperties().Select(p => p.PropertyType)))
            .Where(t => t.Namespace is { } ns && (ns.StartsWith("Stripe", StringComparison.Ordinal) || ns.StartsWith("Telegram", StringComparison.Ordinal)))
            .ToList();
        Assert.Empty(leaking);
    }
}
