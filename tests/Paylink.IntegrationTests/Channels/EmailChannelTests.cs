using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.Providers.Channels.Email;

namespace Paylink.IntegrationTests.Channels;

/// <summary>The e-mail channel against a real SMTP conversation with <see cref="SmtpTestServer"/>.</summary>
public sealed class EmailChannelTests : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new() { Login = ("shop@romashka.ru", "s3cret-pass") };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.Zero));
    private EmailChannel _channel = null!;

    public Task InitializeAsync()
    {
        _channel = new EmailChannel(Options.Create(new EmailOptions { TimeoutSeconds = 10 }),
            Options.Create(new OutboundOptions { AllowPrivateNetworks = true }), _clock, NullLogger<EmailChannel>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private ChannelContext Context(string? password = null, int? port = null)
    {
        var settings = _channel.ValidateSettings(new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = port ?? _smtp.Port, ["security"] = "none",
            ["user"] = "shop@romashka.ru", ["password"] = password ?? "s3cret-pass",
            ["from"] = "Салон Ромашка <noreply@romashka.ru>", ["replyTo"] = "hello@romashka.ru",
        });
        Assert.True(settings.IsSuccess, settings.Error?.Message);
        return new ChannelContext("mer_1", "cha_1", settings.Value, null);
    }

    private static OutgoingChannelMessage Message(string to = "anna@example.ru", string id = "msg_01JABCDEF") => new(
        id, to, "Оплатите заказ: https://pay.example/p/AB12", "Заказ №42 — ссылка на оплату", "<p>Оплатите <a href=\"https://pay.example/p/AB12\">заказ</a></p>",
        Headers: new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "<https://pay.example/unsub?t=abc>, <mailto:unsub@romashka.ru>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            ["X-Injected"] = "a\r\nBcc: evil@example.com",
            ["From"] = "spoof@example.com",
        });

    [Fact]
    public async Task Send_MultipartAlternative_WithHeaders_AndStableMessageId()
    {
        var result = await _channel.SendAsync(Context(), Message(), CancellationToken.None);

        Assert.Equal(ChannelSendStatus.Sent, result.Status);
        var received = Assert.Single(_smtp.Messages);
        Assert.Equal("shop@romashka.ru", received.User);
        Assert.Equal("noreply@romashka.ru", received.MailFrom);
        Assert.Equal(["anna@example.ru"], received.RcptTo);

        var mime = MimeMessage.Load(new MemoryStream(received.Data));
        Assert.Equal("Заказ №42 — ссылка на оплату", mime.Subject);
        var from = Assert.Single(mime.From.Mailboxes);
        Assert.Equal(("Салон Ромашка", "noreply@romashka.ru"), (from.Name, from.Address));
        Assert.Equal("anna@example.ru", Assert.Single(mime.To.Mailboxes).Address);
        Assert.Equal("hello@romashka.ru", Assert.Single(mime.ReplyTo.Mailboxes).Address);
        Assert.Equal("msg_01JABCDEF.paylink@romashka.ru", mime.MessageId);
        Assert.Equal(result.ProviderMessageId, mime.MessageId);
        Assert.Equal(_clock.GetUtcNow(), mime.Date);
        Assert.Equal("auto-generated", mime.Headers["Auto-Submitted"]);
        Assert.Equal("<https://pay.example/unsub?t=abc>, <mailto:unsub@romashka.ru>", mime.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mime.Headers["List-Unsubscribe-Post"]);
        Assert.False(mime.Headers.Contains("X-Injected"));
        Assert.Empty(mime.Bcc);

        var alt = Assert.IsType<MultipartAlternative>(mime.Body);
        Assert.Equal(2, alt.Count);
        var plain = Assert.IsType<TextPart>(alt[0]);
        var html = Assert.IsType<TextPart>(alt[1]);
        Assert.True(plain.IsPlain);
        Assert.True(html.IsHtml);
        Assert.Equal("Оплатите заказ: https://pay.example/p/AB12", plain.Text.TrimEnd());
        Assert.Contains("<a href=\"https://pay.example/p/AB12\">заказ</a>", html.Text);

        // The job may send the same message again after an unknown outcome: same Message-ID, so it is recognisable.
        await _channel.SendAsync(Context(), Message(), CancellationToken.None);
        Assert.Equal(2, _smtp.Messages.Count);
        Assert.All(_smtp.Messages, m => Assert.Equal(mime.MessageId, MimeMessage.Load(new MemoryStream(m.Data)).MessageId));
    }

    [Fact]
    public async Task PlainTextOnly_IsASingleTextPart_AndCallerMayOverrideAutoSubmitted()
    {
        var m = new OutgoingChannelMessage("msg_2", "Anna@Example.RU", "Спасибо за оплату!", "Оплата получена",
            Headers: new Dictionary<string, string> { ["Auto-Submitted"] = "auto-replied" });
        var to = _channel.NormalizeRecipient(m.To);
        Assert.Equal("Anna@example.ru", to.Value);

        Assert.Equal(ChannelSendStatus.Sent, (await _channel.SendAsync(Context(), m with { To = to.Value }, CancellationToken.None)).Status);

        var mime = MimeMessage.Load(new MemoryStream(Assert.Single(_smtp.Messages).Data));
        var part = Assert.IsType<TextPart>(mime.Body);
        Assert.True(part.IsPlain);
        Assert.Equal("Спасибо за оплату!", part.Text.TrimEnd());
        Assert.Equal("auto-replied", mime.Headers["Auto-Submitted"]);
    }

    [Fact]
    public async Task AuthLogin_IsUsedWhenTheServerOffersOnlyIt()
    {
        _smtp.AuthMechanisms = "LOGIN";
        Assert.Equal(ChannelSendStatus.Sent, (await _channel.SendAsync(Context(), Message(), CancellationToken.None)).Status);
        Assert.Contains(_smtp.Commands, c => c.StartsWith("AUTH LOGIN", StringComparison.Ordinal));
        Assert.Equal("shop@romashka.ru", Assert.Single(_smtp.Messages).User);
    }

    [Fact]
    public async Task RejectedRecipient_IsPermanent()
    {
        _smtp.RejectRecipients["nobody@example.ru"] = true;
        var result = await _channel.SendAsync(Context(), Message("nobody@example.ru"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Permanent, result.Status);
        Assert.Contains("550", result.Error);
        Assert.Contains("recipient rejected", result.Error);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task DeferredRecipient_IsTransient()
    {
        _smtp.DeferRecipients["busy@example.ru"] = true;
        var result = await _channel.SendAsync(Context(), Message("busy@example.ru"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Transient, result.Status);
        Assert.Contains("450", result.Error);
    }

    [Fact]
    public async Task Greeting421_IsTransient_AndTheNextTrySucceeds()
    {
        _smtp.Refuse421Next = 1;
        var first = await _channel.SendAsync(Context(), Message(), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Transient, first.Status);
        Assert.Contains("421", first.Error);
        Assert.Equal(ChannelSendStatus.Sent, (await _channel.SendAsync(Context(), Message(), CancellationToken.None)).Status);
        Assert.Single(_smtp.Messages);
    }

    [Fact]
    public async Task NothingListening_IsTransient()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var result = await _channel.SendAsync(Context(port: port), Message(), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Transient, result.Status);
    }

    [Fact]
    public async Task WrongPassword_IsPermanent_AndTheCheckNamesThePassword()
    {
        var send = await _channel.SendAsync(Context(password: "wrong"), Message(), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Permanent, send.Status);
        Assert.Contains("login rejected", send.Error);
        Assert.Empty(_smtp.Messages);

        var bad = await _channel.CheckCredentialsAsync(Context(password: "wrong"), CancellationToken.None);
        Assert.Equal(ErrorKind.Validation, bad.Error!.Kind);
        Assert.Contains("settings.password", bad.Error.Fields!.Keys);

        var good = await _channel.CheckCredentialsAsync(Context(), CancellationToken.None);
        Assert.True(good.IsSuccess, good.Error?.Message);
        Assert.Contains("shop@romashka.ru", good.Value);
        Assert.Contains("NOOP", _smtp.Commands);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public void Settings_AreValidated_Normalised_AndMasked()
    {
        var bad = _channel.ValidateSettings(new JsonObject
        {
            ["host"] = "smtp.example.ru", ["port"] = 70000, ["security"] = "tls", ["user"] = "u", ["from"] = "not an address", ["colour"] = "red",
        });
        Assert.Equal(["settings.colour", "settings.from", "settings.password", "settings.port", "settings.security"], bad.Error!.Fields!.Keys.Order());

        var clearText = _channel.ValidateSettings(new JsonObject
        {
            ["host"] = "smtp.example.ru", ["security"] = "none", ["user"] = "u", ["password"] = "p", ["from"] = "a@example.ru",
        });
        Assert.Contains("settings.security", clearText.Error!.Fields!.Keys);

        var ok = _channel.ValidateSettings(new JsonObject
        {
            ["host"] = "smtp.yandex.ru", ["security"] = "ssl", ["user"] = "shop@yandex.ru", ["password"] = "app-password-123", ["from"] = "shop@yandex.ru",
        });
        Assert.True(ok.IsSuccess);
        Assert.Equal(465, ok.Value["port"]!.GetValue<int>());
        var masked = _channel.MaskSettings(ok.Value);
        Assert.Equal("****-123", masked["password"]!.GetValue<string>());
        Assert.DoesNotContain("app-password", masked.ToJsonString());

        Assert.Equal(587, _channel.ValidateSettings(new JsonObject { ["host"] = "smtp.mail.ru", ["from"] = "a@mail.ru" }).Value["port"]!.GetValue<int>());
        Assert.False(_channel.NormalizeRecipient("not-mail").IsSuccess);
        Assert.Equal("to", _channel.NormalizeRecipient("x@").Error!.Fields!.Keys.Single());
    }
}
