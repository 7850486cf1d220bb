using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paylink.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP listener on 127.0.0.1:&lt;free port&gt; for tests (no TLS): EHLO/HELO, AUTH PLAIN (inline or
/// continued) and LOGIN, MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT. It can require a login, reject
/// recipients with 550, or greet with 421. Accepted mails are kept with their envelope and raw bytes.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    public sealed record Received(string? User, string MailFrom, IReadOnlyList<string> RcptTo, byte[] Data)
    {
        public string Text => Encoding.UTF8.GetString(Data);
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    /// <summary>When set, AUTH must give this user/password and MAIL needs a login.</summary>
    public (string User, string Password)? Login { get; set; }
    /// <summary>Recipients answered "550 5.1.1 mailbox unavailable" (case-insensitive).</summary>
    public ConcurrentDictionary<string, bool> RejectRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Recipients answered "450 4.2.1 try again later".</summary>
    public ConcurrentDictionary<string, bool> DeferRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Greet the next connections with "421 service not available" and close.</summary>
    public int Refuse421Next;
    /// <summary>Mechanisms announced in EHLO ("PLAIN LOGIN", or "LOGIN" to make clients use LOGIN).</summary>
    public string AuthMechanisms { get; set; } = "PLAIN LOGIN";
    public ConcurrentQueue<Received> Messages { get; } = new();
    /// <summary>Every command line received, AUTH payloads included (tests assert what went on the wire).</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    public SmtpTestServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new LineReader(stream);
        async Task Say(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        try
        {
            if (Volatile.Read(ref Refuse421Next) > 0 && Interlocked.Decrement(ref Refuse421Next) >= 0) { await Say("421 4.3.2 test server not available"); return; }
            await Say("220 localhost ESMTP test");
            string? user = null, from = null;
            var rcpt = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var arg = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO":
                        await Say("250-localhost greets you");
                        await Say("250-8BITMIME");
                        await Say("250-SIZE 10485760");
                        await Say("250 AUTH " + AuthMechanisms);
                        break;
                    case "HELO": await Say("250 localhost"); break;
                    case "AUTH":
                        var parts = arg.Split(' ');
                        string? u = null, p = null;
                        if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
                        {
                            var payload = parts.Length > 1 ? parts[1] : null;
                            if (payload is null) { await Say("334 "); payload = await reader.ReadLineAsync(); Commands.Enqueue(payload ?? ""); }
                            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(payload ?? "")).Split('\0');
                            if (fields.Length == 3) (u, p) = (fields[1], fields[2]);
                        }
                        else if (parts[0].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
                        {
                            var first = parts.Length > 1 ? parts[1] : null;
                            if (first is null) { await Say("334 VXNlcm5hbWU6"); first = await reader.ReadLineAsync(); Commands.Enqueue(first ?? ""); }
                            await Say("334 UGFzc3dvcmQ6");
                            var second = await reader.ReadLineAsync();
                            Commands.Enqueue(second ?? "");
                            u = Encoding.UTF8.GetString(Convert.FromBase64String(first ?? ""));
                            p = Encoding.UTF8.GetString(Convert.FromBase64String(second ?? ""));
                        }
                        else { await Say("504 5.5.4 mechanism not supported"); break; }
                        if (Login is { } l && u == l.User && p == l.Password) { user = u; await Say("235 2.7.0 authenticated"); }
                        else await Say("535 5.7.8 authentication credentials invalid");
                        break;
                    case "MAIL":
                        if (Login is not null && user is null) { await Say("530 5.7.0 authentication required"); break; }
                        from = Angle(arg); rcpt.Clear();
                        await Say("250 2.1.0 ok");
                        break;
                    case "RCPT":
                        var to = Angle(arg);
                        if (from is null) await Say("503 5.5.1 need MAIL first");
                        else if (RejectRecipients.ContainsKey(to)) await Say("550 5.1.1 mailbox unavailable");
                        else if (DeferRecipients.ContainsKey(to)) await Say("450 4.2.1 mailbox busy, try again later");
                        else { rcpt.Add(to); await Say("250 2.1.5 ok"); }
                        break;
                    case "DATA":
                        if (rcpt.Count == 0) { await Say("554 5.5.1 no valid recipients"); break; }
                        await Say("354 end data with <CR><LF>.<CR><LF>");
                        var data = new MemoryStream();
                        while (await reader.ReadLineBytesAsync() is { } raw)
                        {
                            if (raw.Length == 1 && raw[0] == (byte)'.') break;
                            var start = raw.Length > 0 && raw[0] == (byte)'.' ? 1 : 0;
                            data.Write(raw, start, raw.Length - start);
                            data.Write("\r\n"u8);
                        }
                        Messages.Enqueue(new Received(user, from!, rcpt.ToArray(), data.ToArray()));
                        from = null; rcpt.Clear();
                        await Say("250 2.0.0 queued");
                        break;
                    case "RSET": from = null; rcpt.Clear(); await Say("250 2.0.0 ok"); break;
                    case "NOOP": await Say("250 2.0.0 ok"); break;
                    case "QUIT": await Say("221 2.0.0 bye"); return;
                    default: await Say("502 5.5.2 command not recognized"); break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || !client.Connected) { }
        catch (IOException) { }
    }

    private static string Angle(string arg)
    {
        var lt = arg.IndexOf('<');
        var gt = arg.IndexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? arg[(lt + 1)..gt] : arg;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    /// <summary>Reads CRLF-terminated lines as bytes (DATA is 8-bit) from a network stream.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start, _end;

        public async Task<string?> ReadLineAsync() => await ReadLineBytesAsync() is { } b ? Encoding.UTF8.GetString(b) : null;

        public async Task<byte[]?> ReadLineBytesAsync()
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer);
                    if (_end == 0) return line.Length > 0 ? line.ToArray() : null;
                }
                var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (nl < 0) { line.Write(_buffer, _start, _end - _start); _start = _end; continue; }
                line.Write(_buffer, _start, nl - _start);
                _start = nl + 1;
                var bytes = line.ToArray();
                return bytes.Length > 0 && bytes[^1] == '\r' ? bytes[..^1] : bytes;
            }
        }
    }
}
