using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Providers;
using Paylink.Providers.Gateways;

namespace Paylink.Providers.Channels.Email;

/// <summary>Section <c>Channels:Email</c>: SMTP timing shared by every merchant's mail account.</summary>
public sealed class EmailOptions
{
    public const string Section = "Channels:Email";

    /// <summary>Timeout of each SMTP command (connect, login, send), seconds.</summary>
    [Range(1, 300)] public double TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// E-mail over SMTP with MailKit (its types stay in this folder). Settings: <c>host</c>, <c>port</c>,
/// <c>security</c> (none|starttls|ssl), <c>user</c>/<c>password</c> (optional together), <c>from</c>, optional
/// <c>replyTo</c>. Each message is multipart/alternative (plain text + HTML) when HTML is given, carries the
/// caller's headers (Auto-Submitted, List-Unsubscribe…), the caller's attachments (multipart/mixed) and a Message-ID derived from our message id, so a
/// repeated send after an unknown outcome is recognisably the same mail. SMTP 4xx and connection failures
/// are transient, 5xx refusals (rejected mailbox, rejected login) permanent.
/// </summary>
public sealed class EmailChannel(IOptions<EmailOptions> options, IOptions<OutboundOptions> outbound, TimeProvider clock, ILogger<EmailChannel> log)
    : IMessageChannel, IChannelCredentialsCheck
{
    private static readonly string[] Securities = ["none", "starttls", "ssl"];

    /// <summary>Headers the adapter writes itself; callers cannot override them through <see cref="OutgoingChannelMessage.Headers"/>.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Reply-To", "Subject", "Message-ID", "Date", "MIME-Version",
        "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Return-Path", "Received",
    };

    public string Id => "email";
    public ChannelTraits Traits { get; } = new(SupportsButtons: false, SupportsHtml: true, IsSms: false, ReachesBy: ContactKind.Email, SupportsAttachments: true);

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "E-mail", "host", "port", "security", "user", "password", "from", "replyTo");
        var host = GatewayHttp.Required(settings, "host", e, 253, "the SMTP server, e.g. smtp.yandex.ru");
        if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown) e.Add("settings.host", "host must be a host name or an IP address.");

        var security = "starttls";
        if (settings["security"] is { } sec)
        {
            var s = sec.GetValueKind() == JsonValueKind.String ? sec.GetValue<string>().Trim().ToLowerInvariant() : null;
            if (s is null || !Securities.Contains(s)) e.Add("settings.security", "security must be one of: none, starttls, ssl.");
            else security = s;
        }
        var port = security switch { "ssl" => 465, "none" => 25, _ => 587 };
        if (settings["port"] is { } p)
        {
            if (p.GetValueKind() == JsonValueKind.Number && p.AsValue().TryGetValue<int>(out var n) && n is >= 1 and <= 65535) port = n;
            else e.Add("settings.port", "port must be a number from 1 to 65535 (587 for starttls, 465 for ssl).");
        }

        var user = Optional(settings, "user", e, 320);
        var password = Optional(settings, "password", e, 1000);
        if (user is not null && password is null) e.Add("settings.password", "password is required when user is set.");
        if (password is not null && user is null) e.Add("settings.user", "user is required when password is set.");
        if (user is not null && security == "none" && host is not null && !IsLoopback(host))
            e.Add("settings.security", "security none would send the password unencrypted; use starttls or ssl.");

        var from = Address(settings, "from", e, required: true);
        var replyTo = Address(settings, "replyTo", e, required: false);
        if (e.Any) return e.ToError();

        var o = new JsonObject { ["host"] = host, ["port"] = port, ["security"] = security, ["from"] = from };
        if (user is not null) { o["user"] = user; o["password"] = password; }
        if (replyTo is not null) o["replyTo"] = replyTo;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject
        {
            ["host"] = GatewayHttp.Setting(s, "host"), ["port"] = s["port"]?.GetValue<int>(), ["security"] = GatewayHttp.Setting(s, "security"),
            ["from"] = GatewayHttp.Setting(s, "from"),
        };
        if (s["user"] is not null) { o["user"] = GatewayHttp.Setting(s, "user"); o["password"] = Masking.Secret(GatewayHttp.Setting(s, "password")); }
        if (s["replyTo"] is not null) o["replyTo"] = GatewayHttp.Setting(s, "replyTo");
        return o;
    }

    public Result<string> NormalizeRecipient(string to)
    {
        var t = to?.Trim() ?? "";
        var at = t.LastIndexOf('@');
        if (at > 0) t = t[..at] + t[at..].ToLowerInvariant();
        return ContactFormats.IsValidEmail(t) ? t : Error.Validation("to", "to must be an e-mail address such as name@example.ru.");
    }

    /// <summary>The MIME message as it is sent (public for previews and tests).</summary>
    public MimeMessage Build(JsonObject settings, OutgoingChannelMessage m)
    {
        var from = MailboxAddress.Parse(GatewayHttp.Setting(settings, "from"));
        var msg = new MimeMessage { Subject = m.Subject ?? "", Date = clock.GetUtcNow() };
        msg.From.Add(from);
        msg.To.Add(MailboxAddress.Parse(m.To));
        if (settings["replyTo"] is not null) msg.ReplyTo.Add(MailboxAddress.Parse(GatewayHttp.Setting(settings, "replyTo")));
        msg.MessageId = MessageIdFor(m.MessageId, from.Domain);
        foreach (var (name, value) in m.Headers ?? new Dictionary<string, string>())
        {
            if (Reserved.Contains(name) || value.AsSpan().IndexOfAny('\r', '\n') >= 0 || !IsHeaderName(name)) continue;
            msg.Headers.Replace(name, value);
        }
        // Transactional by default (RFC 3834): no auto-replies or out-of-office answers back to us.
        if (!msg.Headers.Contains("Auto-Submitted")) msg.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new BodyBuilder { TextBody = m.Text, HtmlBody = m.Html };
        foreach (var a in m.Attachments ?? []) body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        msg.Body = body.ToMessageBody();
        return msg;
    }

    /// <summary>The same message id always gives the same Message-ID (on the sender's domain).</summary>
    public static string MessageIdFor(string messageId, string domain) =>
        $"{string.Concat(messageId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))}.paylink@{domain}";

    public async Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct)
    {
        if (NormalizeRecipient(message.To) is not { IsSuccess: true } to) return ChannelSendResult.Permanent("The recipient is not an e-mail address.");
        var mime = Build(context.Settings, message with { To = to.Value });
        var masked = Masking.Email(to.Value);
        try
        {
            using var smtp = await ConnectAsync(context.Settings, ct);
            await smtp.SendAsync(mime, ct);
            await smtp.DisconnectAsync(quit: true, ct);
            log.LogInformation("SMTP accepted message {MessageId} to {To}", message.MessageId, masked);
            return ChannelSendResult.Sent(mime.MessageId);
        }
        catch (Exception ex) when (Classify(ex, ct) is { } result)
        {
            log.LogWarning("SMTP did not take message {MessageId} to {To}: {Status} {Reason}", message.MessageId, masked, result.Status, result.Error);
            return result;
        }
    }

    /// <summary>Connects and logs in (when a user is set), then quits: proves host, port, TLS and password.</summary>
    public async Task<Result<string>> CheckCredentialsAsync(ChannelContext context, CancellationToken ct)
    {
        try
        {
            using var smtp = await ConnectAsync(context.Settings, ct);
            await smtp.NoOpAsync(ct);
            await smtp.DisconnectAsync(quit: true, ct);
            var who = context.Settings["user"] is null ? "without login" : $"as {GatewayHttp.Setting(context.Settings, "user")}";
            return $"Connected to {GatewayHttp.Setting(context.Settings, "host")}:{context.Settings["port"]} {who}.";
        }
        catch (AuthenticationException ex)
        {
            log.LogInformation("SMTP login rejected: {Reason}", GatewayHttp.Truncate(ex.Message, 200));
            return Error.Validation("settings.password", "The SMTP server rejected the login (check user and password).");
        }
        catch (Exception ex) when (Classify(ex, ct) is { } result)
        {
            return result.Status == ChannelSendStatus.Transient ? Error.Unavailable(result.Error!) : Error.Declined(result.Error!);
        }
    }

    private async Task<SmtpClient> ConnectAsync(JsonObject s, CancellationToken ct)
    {
        var smtp = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(options.Value.TimeoutSeconds).TotalMilliseconds };
        try
        {
            var security = GatewayHttp.Setting(s, "security") switch
            {
                "ssl" => SecureSocketOptions.SslOnConnect,
                "none" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            var host = GatewayHttp.Setting(s, "host");
            var port = s["port"]!.GetValue<int>();
            // Resolve and check the address ourselves, then hand MailKit the connected socket: MailKit's own
            // connect would resolve again and could reach a private address (SSRF, DNS rebinding).
            Socket socket;
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
                socket = await OutboundGuard.ConnectAsync(host, port, outbound.Value.AllowPrivateNetworks, connectTimeout.Token);
            }
            try { await smtp.ConnectAsync(socket, host, port, security, ct); }
            catch
            {
                socket.Dispose();
                throw;
            }
            if (s["user"] is not null)
            {
                smtp.AuthenticationMechanisms.Remove("XOAUTH2");
                await smtp.AuthenticateAsync(GatewayHttp.Setting(s, "user"), GatewayHttp.Setting(s, "password"), ct);
            }
            return smtp;
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
    }

    /// <summary>What an SMTP failure means for the message; null for our own cancellation (let it propagate).</summary>
    private static ChannelSendResult? Classify(Exception ex, CancellationToken ct) => ex switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        // Only the reply code and our own wording: the server's text is the remote's, never shown to the merchant.
        SmtpCommandException c when (int)c.StatusCode >= 500 => ChannelSendResult.Permanent($"SMTP {(int)c.StatusCode} {Describe(c.ErrorCode)}."),
        SmtpCommandException c => ChannelSendResult.Transient($"SMTP {(int)c.StatusCode} {Describe(c.ErrorCode)} (temporary)."),
        AuthenticationException => ChannelSendResult.Permanent("SMTP login rejected (check the account's user and password)."),
        OutboundRefusedException => ChannelSendResult.Permanent("The SMTP host is not a public internet address; Paylink does not connect to it."),
        SslHandshakeException => ChannelSendResult.Transient("TLS handshake with the SMTP server failed (check security and port)."),
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException or OperationCanceledException
            => ChannelSendResult.Transient($"SMTP server unreachable: {ex.GetType().Name}."),
        _ => null,
    };

    private static string Describe(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.RecipientNotAccepted => "recipient rejected",
        SmtpErrorCode.SenderNotAccepted => "sender rejected",
        SmtpErrorCode.MessageNotAccepted => "message rejected",
        _ => "refused",
    };

    private static string? Optional(JsonObject settings, string key, ValidationErrors e, int max)
    {
        if (settings[key] is not { } node) return null;
        var s = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (s is null) { e.Add($"settings.{key}", $"{key} must be a string."); return null; }
        if (s.Length > max) { e.Add($"settings.{key}", $"{key} must be at most {max} characters."); return null; }
        return s.Length == 0 ? null : s;
    }

    private static string? Address(JsonObject settings, string key, ValidationErrors e, bool required)
    {
        var s = required ? GatewayHttp.Required(settings, key, e, 320, "e.g. \"Салон Ромашка <noreply@romashka.ru>\"") : Optional(settings, key, e, 320)?.Trim();
        if (s is null) return null;
        if (MailboxAddress.TryParse(s, out var a) && ContactFormats.IsValidEmail(a.Address)) return a.ToString();
        e.Add($"settings.{key}", $"{key} must be an address like name@example.ru or \"Name <name@example.ru>\".");
        return null;
    }

    private static bool IsHeaderName(string name) => name.Length is > 0 and <= 76 && name.All(c => c is > ' ' and < (char)127 and not ':');

    private static bool IsLoopback(string host) => host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
