using System.Text;
using Paylink.Providers.Gateways.Sandbox;

namespace Paylink.Tests.Gateways;

public sealed class SandboxSignatureTests
{
    private const string Secret = "whsec_test_secret_0123456789";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1"}""");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1763449200);

    [Fact]
    public void Sign_MatchesIndependentlyComputedVector() =>
        // python3: hmac.new(secret, b'1763449200.{"id":"evt_1"}', sha256).hexdigest()
        Assert.Equal("t=1763449200,v1=85c995a5b92e2c30632c272f0a0363495dabeb945ac0b7882a65e9cfabcd1bf5",
            SandboxSignature.Sign(Secret, 1763449200, Body));

    [Fact]
    public void Verify_Valid_Null() =>
        Assert.Null(SandboxSignature.Verify(Secret, SandboxSignature.Sign(Secret, 1763449200, Body), Body, At.AddMinutes(4)));

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("v1=abc", "malformed")]
    [InlineData("t=abc,v1=abc", "malformed")]
    [InlineData("t=1763449200,v1=0000000000000000000000000000000000000000000000000000000000000000", "does not match")]
    public void Verify_BadHeader_SaysWhy(string? header, string reason) =>
        Assert.Contains(reason, SandboxSignature.Verify(Secret, header, Body, At));

    [Fact]
    public void Verify_TamperedBody_Rejected() =>
        Assert.NotNull(SandboxSignature.Verify(Secret, SandboxSignature.Sign(Secret, 1763449200, Body), Encoding.UTF8.GetBytes("""{"id":"evt_2"}"""), At));

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public void Verify_OutsideTolerance_Rejected(int minutes) =>
        Assert.Contains("tolerance", SandboxSignature.Verify(Secret, SandboxSignature.Sign(Secret, 1763449200, Body), Body, At.AddMinutes(minutes)));
}
