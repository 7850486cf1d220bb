using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Paylink.Core.Common;
using Paylink.Core.Webhooks;

namespace Paylink.Tests.Common;

public sealed class OutboundGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.255.255.254")] [InlineData("0.0.0.0")] [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")] [InlineData("172.16.0.1")] [InlineData("172.31.255.255")] [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] [InlineData("100.64.0.1")] [InlineData("100.127.255.255")] [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")] [InlineData("198.18.0.1")] [InlineData("198.51.100.7")] [InlineData("203.0.113.9")]
    [InlineData("192.88.99.1")] [InlineData("224.0.0.1")] [InlineData("239.255.255.250")] [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")] [InlineData("::1")] [InlineData("::127.0.0.1")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:8.8.8.8")]
    [InlineData("::ffff:0:127.0.0.1")] [InlineData("64:ff9b::7f00:1")] [InlineData("64:ff9b::808:808")] [InlineData("64:ff9b:1::a00:1")]
    [InlineData("2002:7f00:1::1")] [InlineData("2002:808:808::1")] [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] [InlineData("2001::1")]
    [InlineData("2001:10::1")] [InlineData("2001:db8::1")] [InlineData("100::1")] [InlineData("fc00::1")] [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")] [InlineData("fec0::1")] [InlineData("ff02::1")] [InlineData("3ffe::1")] [InlineData("3fff::1")]
    public void IsPublic_NonPublicOrIpv4InIpv6_Refused(string address) =>
        Assert.False(OutboundGuard.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")] [InlineData("1.1.1.1")] [InlineData("77.75.153.1")] [InlineData("185.71.76.1")] [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")] [InlineData("192.169.0.1")] [InlineData("223.255.255.254")]
    [InlineData("2a02:6b8::2:242")] [InlineData("2606:4700:4700::1111")] [InlineData("2001:4860:4860::8888")] [InlineData("2a02:5180:0:1509::1")]
    public void IsPublic_GlobalUnicast_Allowed(string address) =>
        Assert.True(OutboundGuard.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("localhost")] [InlineData("LOCALHOST")] [InlineData("LOCALHOST.")] [InlineData("localhost..")] [InlineData("api.localhost")]
    [InlineData("printer.local")] [InlineData("metadata.google.internal")] [InlineData("box.localdomain")] [InlineData("nas.home.arpa")]
    public async Task CheckHost_LocalNames_Refused(string host)
    {
        Assert.True(OutboundGuard.IsLocalName(host));
        Assert.NotNull(await OutboundGuard.CheckHostAsync(host, allowPrivate: false, CancellationToken.None));
        Assert.Null(await OutboundGuard.CheckHostAsync(host, allowPrivate: true, CancellationToken.None));
    }

    [Theory]
    [InlineData("https://127.0.0.1/h")] [InlineData("https://LOCALHOST./h")] [InlineData("https://[::127.0.0.1]/h")]
    [InlineData("https://[::ffff:127.0.0.1]/h")] [InlineData("https://[64:ff9b::7f00:1]/h")] [InlineData("https://[2002:7f00:1::]/h")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/h")] [InlineData("https://2130706433/h")] [InlineData("https://0x7f.1/h")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    public async Task WebhookUrl_LoopbackInAnyDisguise_Refused(string url)
    {
        var errors = new ValidationErrors();
        Assert.Null(await WebhookUrls.ValidateAsync(url, new WebhooksOptions(), errors, CancellationToken.None));
        Assert.True(errors.Any);
    }

    [Fact]
    public async Task Connect_Refused_BeforeAnyPacket_SameAnswerForOpenAndClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        var closed = open == 65535 ? open - 1 : open + 1;
        string Answer(Exception e) => e.GetType().Name + ":" + e.Message;
        var a = await Assert.ThrowsAsync<OutboundRefusedException>(() => OutboundGuard.ConnectAsync("127.0.0.1", open, false, CancellationToken.None));
        var b = await Assert.ThrowsAsync<OutboundRefusedException>(() => OutboundGuard.ConnectAsync("127.0.0.1", closed, false, CancellationToken.None));
        Assert.Equal(Answer(a), Answer(b));
        Assert.False(listener.Pending());   // nothing reached the open port
        await Assert.ThrowsAsync<OutboundRefusedException>(() => OutboundGuard.ConnectAsync("LOCALHOST.", open, false, CancellationToken.None));

        using var allowed = await OutboundGuard.ConnectAsync("127.0.0.1", open, true, CancellationToken.None);
        Assert.True(allowed.Connected);
    }

    [Fact]
    public async Task Handler_ChecksAtConnectTime_AndNeverFollowsRedirects()
    {
        using var handler = OutboundGuard.CreateHandler(allowPrivate: false);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseProxy);
        using var http = new HttpClient(handler);
        // A name resolved only when connecting (what DNS rebinding relies on) is checked on the address it resolved to.
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://localhost:9/"));
        Assert.IsType<OutboundRefusedException>(ex.InnerException);
        ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://[::ffff:127.0.0.1]:9/"));
        Assert.IsType<OutboundRefusedException>(ex.InnerException);
    }
}
