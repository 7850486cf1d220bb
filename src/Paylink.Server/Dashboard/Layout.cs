namespace Paylink.Server.Dashboard;

/// <summary>The page frame: head, CSS (no external assets), navigation, language switch, sign-out.</summary>
public static class Layout
{
    // Colours: text #17181c on #fff / #f5f6f8 (contrast > 15:1), muted #4b5060 (> 7:1), accent #1a56c4 on white (> 6:1),
    // white on accent buttons (> 6:1). Focus: a 3px dark outline on everything focusable.
    public const string Css = """
        :root { --fg:#17181c; --muted:#4b5060; --accent:#1a56c4; --ok:#0f5f2a; --err:#9b1010; --bg:#f5f6f8; --line:#dfe2e8; }
        * { box-sizing:border-box; }
        body { margin:0; font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
        header { background:#fff; border-bottom:1px solid var(--line); }
        .bar { max-width:1100px; margin:0 auto; padding:.5rem 1rem; display:flex; flex-wrap:wrap; gap:.25rem 1rem; align-items:center; }
        .brand { font-weight:700; margin-right:auto; }
        nav ul { list-style:none; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:.25rem .75rem; }
        nav a { text-decoration:none; color:var(--fg); padding:.35rem .1rem; display:inline-block; }
        nav a[aria-current="page"] { font-weight:700; border-bottom:2px solid var(--accent); }
        main { max-width:1100px; margin:0 auto; padding:1rem; }
        h1 { font-size:1.35rem; margin:.25rem 0 1rem; } h2 { font-size:1.1rem; margin:1.5rem 0 .5rem; }
        .card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:1rem; margin:0 0 1rem; overflow-wrap:break-word; }
        .scroll { overflow-x:auto; }
        .grid { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:.75rem; margin:0 0 1rem; }
        .kpi { background:#fff; border:1px solid var(--line); border-radius:10px; padding:.75rem; }
        .kpi b { display:block; font-size:1.35rem; } .kpi span { color:var(--muted); font-size:.85rem; }
        table { width:100%; border-collapse:collapse; font-size:.93rem; }
        th, td { text-align:left; padding:.45rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
        th { color:var(--muted); font-weight:600; } td.num, th.num { text-align:right; white-space:nowrap; }
        .field { margin:0 0 .75rem; display:flex; flex-direction:column; gap:.2rem; max-width:520px; }
        .field.check { flex-direction:row; align-items:center; gap:.5rem; }
        label { font-weight:600; font-size:.92rem; }
        input, select, textarea { font:inherit; padding:.5rem .6rem; border:1px solid #8a90a0; border-radius:8px; background:#fff; color:var(--fg); }
        textarea { width:100%; }
        .hint { color:var(--muted); } .field-err { color:var(--err); font-weight:600; }
        .btn { font:inherit; font-weight:600; border:0; border-radius:8px; padding:.55rem 1rem; background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
        .btn.secondary { background:#fff; color:var(--accent); border:1px solid var(--accent); }
        .btn.danger { background:#fff; color:var(--err); border:1px solid var(--err); }
        form.inline { display:inline-block; margin:0 .25rem .25rem 0; }
        .row { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:flex-end; }
        .row .field { margin:0; }
        a { color:var(--accent); }
        fieldset { border:1px solid var(--line); border-radius:8px; margin:0 0 .75rem; max-width:520px; } legend { font-weight:600; }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible
          { outline:3px solid #0b2d6b; outline-offset:2px; }
        .alert { padding:.6rem .8rem; border-radius:8px; font-weight:600; }
        .alert.ok { background:#e3f2e7; color:var(--ok); } .alert.err { background:#fbe4e2; color:var(--err); }
        .muted { color:var(--muted); } .mono { font-family:ui-monospace,Menlo,Consolas,monospace; word-break:break-all; }
        .badge { display:inline-block; padding:.05rem .45rem; border-radius:6px; background:#e8ebf1; font-size:.85rem; }
        .badge.paid { background:#e3f2e7; color:var(--ok); } .badge.cancelled, .badge.expired, .badge.no_show { background:#fbe4e2; color:var(--err); }
        svg.chart { width:100%; height:auto; max-width:720px; } svg.chart text { font-size:16px; fill:#4b5060; }
        .bubble { max-width:40rem; padding:.5rem .75rem; border-radius:10px; margin:.35rem 0; background:#fff; border:1px solid var(--line); }
        .bubble.out { margin-left:auto; background:#e9f0fd; }
        #account-link { display:inline-block; max-width:14rem; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; vertical-align:middle; }
        .skip { position:absolute; left:-999px; } .skip:focus { left:1rem; top:.5rem; background:#fff; padding:.25rem .5rem; }
        @media (max-width:600px) { main { padding:.75rem; } th, td { padding:.35rem .3rem; } }
        """;

    public static void Write(DashContext c, Html h, string title, Action<Html> body)
    {
        h.Raw("<!DOCTYPE html>\n<html").Attr("lang", c.Lang).Raw(">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<meta name=\"robots\" content=\"noindex\" />\n<title>")
            .Text(title).Raw(" · Paylink</title>\n<style>\n").Raw(Css).Raw("</style>\n</head>\n<body>\n")
            .Raw("<a class=\"skip\" href=\"#main\">").Text(c.L("К содержимому", "Skip to content")).Raw("</a>\n<header><div class=\"bar\">")
            .Raw("<span class=\"brand\">").Text(c.Merchant?.Name ?? "Paylink").Raw("</span>");
        if (c.Merchant is not null)
        {
            h.Raw("<nav aria-label=\"").Text(c.L("Разделы", "Sections")).Raw("\"><ul>");
            foreach (var (href, text) in Sections(c))
                h.Raw("<li><a").Attr("href", href).Attr("aria-current", IsCurrent(c, href) ? "page" : null).Raw(">").Text(text).Raw("</a></li>");
            h.Raw("</ul></nav>");
        }
        var other = c.En ? "ru" : "en";
        h.Raw("<a").Attr("href", "?lang=" + other).Attr("hreflang", other).Attr("id", "lang-switch").Raw(">").Text(c.En ? "Русский" : "English").Raw("</a>");
        if (c.Merchant is not null)
        {
            h.Link("/dashboard/account", c.Email ?? c.L("Профиль", "Account"), id: "account-link");
            h.Form("/dashboard/signout", cls: "inline").Button(c.L("Выйти", "Sign out"), "signout", "btn secondary").EndForm();
        }
        h.Raw("</div></header>\n<main id=\"main\">\n");
        if (c.Messages.Once is { } once) h.Notice(once);
        if (c.Messages.Flash is { } flash)
        {
            if (flash.Error) h.Error(flash.Text);
            else h.Notice(flash.Text);
        }
        body(h);
        h.Raw("</main>\n</body>\n</html>\n");
    }

    /// <summary>The navigation: the sections this user may open (settings are the owner's).</summary>
    public static IEnumerable<(string Href, string Text)> Sections(DashContext c) =>
        new (string Href, string Text, bool OwnerOnly)[]
        {
            ("/dashboard", c.L("Обзор", "Overview"), false),
            ("/dashboard/links", c.L("Ссылки", "Links"), false),
            ("/dashboard/bookings", c.L("Записи", "Bookings"), false),
            ("/dashboard/invoices", c.L("Счета", "Invoices"), false),
            ("/dashboard/conversations", c.L("Диалоги", "Conversations"), false),
            ("/dashboard/catalog", c.L("Каталог", "Catalog"), false),
            ("/dashboard/templates", c.L("Шаблоны", "Templates"), false),
            ("/dashboard/settings", c.L("Настройки", "Settings"), true),
        }.Where(s => !s.OwnerOnly || c.IsOwner).Select(s => (s.Href, s.Text));

    /// <summary>Whether a navigation entry is the section of the current page (aria-current).</summary>
    public static bool IsCurrent(DashContext c, string href)
    {
        var path = c.Http.Request.Path.Value ?? "";
        return href == "/dashboard" ? path is "/dashboard" or "/dashboard/" : path.StartsWith(href, StringComparison.Ordinal);
    }
}
