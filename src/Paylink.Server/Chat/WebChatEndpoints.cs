using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Server.Api;
using Paylink.Server.Pay;
using Paylink.Core.Localization;

namespace Paylink.Server.Chat;

/// <summary>
/// The merchant's web chat: GET /chat/{slug or merchant id} (a server-rendered page with a few lines of our
/// own script, no third-party code), GET/POST /chat/{key}/messages for the visitor (identified by the
/// <c>pl_wv</c> cookie or the X-Chat-Visitor header the page sends), and /chat/widget.js for embedding.
/// Invoices show as a card with the amount and a pay button to /p/{code}.
/// </summary>
public static class WebChatEndpoints
{
    public const string Cookie = "pl_wv";
    public const string Header = "X-Chat-Visitor";
    public const int MaxText = 2000;

    public sealed record PostBody(string? Text);

    public static void MapWebChat(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/chat").RequireRateLimiting(PayPagesEndpoints.RateLimitPolicy).ExcludeFromDescription();

        g.MapGet("/widget.js", () => Results.Text(WidgetJs, "text/javascript; charset=utf-8"));

        g.MapGet("/{key}", async (string key, HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            var account = await FindAsync(db, key, ct);
            var en = PayTexts.For(http.Request).Lang == "en";
            if (account is null) return Results.Content(Page(Texts.For(en ? "en" : "ru")["Чат не найден"], "", en, null), "text/html; charset=utf-8", null, 404);
            var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == account.MerchantId, ct);
            var visitor = Visitor(http, issue: true)!;
            return Results.Content(Page(merchant.Name, key, en, visitor), "text/html; charset=utf-8");
        });

        g.MapGet("/{key}/messages", async (string key, HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            var account = await FindAsync(db, key, ct);
            var visitor = Visitor(http, issue: false);
            if (account is null || visitor is null) return Results.Json(new { items = Array.Empty<object>() });
            var conv = await db.Conversations.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.AccountId == account.Id && c.Address == visitor, ct);
            if (conv is null) return Results.Json(new { items = Array.Empty<object>() });
            var rows = await db.ChannelMessages.IgnoreQueryFilters().AsNoTracking()
                .Where(m => m.ConversationId == conv.Id && (m.Direction == MessageDirections.Inbound || m.Status == MessageStatuses.Sent || m.Status == MessageStatuses.Delivered))
                .ToListAsync(ct);
            var items = rows.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal).TakeLast(200).Select(m => new
            {
                id = m.Id, mine = m.Direction == MessageDirections.Inbound, text = m.Text, at = m.CreatedAt,
                buttons = MessageOutbox.ReadButtons(m.ButtonsJson)?.Select(b => new { text = b.Text, url = b.Url }),
            });
            return Results.Json(new { items }, PaylinkJson.Output);
        });

        g.MapPost("/{key}/messages", async (string key, HttpContext http, AppDbContext db, ReceiveChannelMessage receive, TimeProvider clock, CancellationToken ct) =>
        {
            var account = await FindAsync(db, key, ct);
            if (account is null) return Problems.From(Error.NotFound("Chat"));
            var visitor = Visitor(http, issue: true)!;
            var (body, _, error) = await JsonBody.ReadAsync<PostBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            var text = body!.Text?.Trim();
            if (string.IsNullOrEmpty(text) || text.Length > MaxText) return Problems.From(Error.Validation("text", $"text is required, at most {MaxText} characters."));
            var lang = PayTexts.For(http.Request).Lang;
            await receive.HandleAsync(account, new InboundChannelMessage(visitor, text, null, lang, null, Ids.New("wce", clock)), ct);
            return Results.Json(new { ok = true }, statusCode: StatusCodes.Status202Accepted);
        }).DisableAntiforgery();
    }

    private static async Task<ChannelAccount?> FindAsync(AppDbContext db, string key, CancellationToken ct)
    {
        if (key.Length > 64) return null;
        var q = db.ChannelAccounts.IgnoreQueryFilters().Where(a => a.Provider == ChannelAccounts.WebChat && a.DeletedAt == null && a.Enabled);
        return await q.FirstOrDefaultAsync(a => a.Slug == key, ct)
            ?? (await q.Where(a => a.MerchantId == key).ToListAsync(ct)).OrderBy(a => a.CreatedAt).FirstOrDefault();
    }

    /// <summary>The visitor id from the cookie or header; a new one (set as a cookie) when asked to issue.</summary>
    private static string? Visitor(HttpContext http, bool issue)
    {
        var v = http.Request.Cookies[Cookie] ?? http.Request.Headers[Header].ToString();
        if (!string.IsNullOrEmpty(v) && v.StartsWith("wv_", StringComparison.Ordinal) && v.Length is >= 19 and <= 67 && v[3..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return v;
        if (!issue) return null;
        v = "wv_" + Ids.NewSecret(18);
        http.Response.Cookies.Append(Cookie, v, new CookieOptions
        {
            HttpOnly = true, IsEssential = true, MaxAge = TimeSpan.FromDays(180), Path = "/chat",
            Secure = http.Request.IsHttps, SameSite = http.Request.IsHttps ? SameSiteMode.None : SameSiteMode.Lax,
        });
        return v;
    }

    private static string Page(string merchant, string key, bool en, string? visitor)
    {
        var title = WebUtility.HtmlEncode(merchant);
        var T = Texts.For(en ? "en" : "ru");
        var placeholder = T["Напишите сообщение…"];
        var send = T["Отправить"];
        var hello = T["Напишите нам: ответим здесь же."];
        var config = JsonSerializer.Serialize(new { key, visitor, hello });
        return $$$"""
            <!doctype html><html lang="{{{(en ? "en" : "ru")}}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>{{{title}}}</title><style>
            body{font-family:system-ui,sans-serif;margin:0;background:#f4f2f8;display:flex;flex-direction:column;height:100vh}
            header{background:#6b4fa3;color:#fff;padding:12px 16px;font-weight:600}
            #log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}
            .m{max-width:80%;padding:8px 12px;border-radius:12px;background:#fff;white-space:pre-wrap;word-wrap:break-word}
            .mine{align-self:flex-end;background:#dcd0f5}.card{border:1px solid #c9b8ee}
            .pay{display:inline-block;margin-top:8px;padding:8px 14px;background:#2e7d32;color:#fff;border-radius:8px;text-decoration:none;font-weight:600}
            form{display:flex;gap:8px;padding:12px;background:#fff}input{flex:1;padding:10px;border:1px solid #ccc;border-radius:8px}
            button{padding:10px 16px;border:0;border-radius:8px;background:#6b4fa3;color:#fff}
            </style></head><body><header>{{{title}}}</header><div id="log" aria-live="polite"></div>
            <form id="f"><input id="t" maxlength="{{{MaxText}}}" placeholder="{{{placeholder}}}" autocomplete="off" aria-label="{{{placeholder}}}"><button>{{{send}}}</button></form>
            <script>
            const C={{{config}}};const log=document.getElementById('log');const seen=new Set();
            function hdr(){const h={'Content-Type':'application/json'};if(C.visitor)h['X-Chat-Visitor']=C.visitor;return h;}
            function add(m){if(seen.has(m.id))return;seen.add(m.id);const d=document.createElement('div');d.className='m'+(m.mine?' mine':'')+(m.buttons?' card':'');
            d.textContent=m.text;(m.buttons||[]).forEach(b=>{if(!/^https?:\/\//.test(b.url))return;const a=document.createElement('a');a.className='pay';a.href=b.url;a.target='_blank';a.rel='noopener';a.textContent=b.text;d.appendChild(document.createElement('br'));d.appendChild(a);});
            log.appendChild(d);log.scrollTop=log.scrollHeight;}
            async function poll(){try{const r=await fetch('/chat/'+encodeURIComponent(C.key)+'/messages',{headers:hdr(),credentials:'include'});const j=await r.json();j.items.forEach(add);}catch(e){}}
            document.getElementById('f').addEventListener('submit',async e=>{e.preventDefault();const t=document.getElementById('t');const text=t.value.trim();if(!text)return;t.value='';
            await fetch('/chat/'+encodeURIComponent(C.key)+'/messages',{method:'POST',headers:hdr(),credentials:'include',body:JSON.stringify({text})});poll();});
            if(C.key){add({id:'hello',text:C.hello});poll();setInterval(poll,3000);}
            </script></body></html>
            """;
    }

    private const string WidgetJs = """
        (function(){var s=document.currentScript;var key=s&&s.getAttribute('data-chat');if(!key)return;var base=s.src.replace(/\/chat\/widget\.js.*$/,'');
        var open=false;var b=document.createElement('button');b.textContent='💬';b.setAttribute('aria-label','Chat');
        b.style.cssText='position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:28px;border:0;background:#6b4fa3;color:#fff;font-size:24px;z-index:2147483647;cursor:pointer';
        var f=document.createElement('iframe');f.src=base+'/chat/'+encodeURIComponent(key);f.title='Chat';
        f.style.cssText='position:fixed;right:20px;bottom:88px;width:360px;height:520px;max-width:calc(100vw - 40px);border:0;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.2);display:none;z-index:2147483647';
        b.onclick=function(){open=!open;f.style.display=open?'block':'none';};document.body.appendChild(f);document.body.appendChild(b);})();
        """;
}
