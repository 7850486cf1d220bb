using System.Text;
using System.Text.Encodings.Web;

namespace Paylink.Server.Dashboard;

/// <summary>
/// Writes dashboard HTML by hand, as the pay page does: every value from data goes through
/// <see cref="HtmlEncoder"/> (<see cref="Text"/>); <see cref="Raw"/> is for markup written here only.
/// The form helpers always give an input an id and a &lt;label for&gt; (accessibility test), and every
/// form carries the antiforgery token.
/// </summary>
public sealed class Html(HtmlEncoder enc, string antiforgeryField, string antiforgeryToken)
{
    private readonly StringBuilder _sb = new(16 * 1024);

    public Html Raw(string s) { _sb.Append(s); return this; }
    public Html Text(string? s) { if (s is not null) _sb.Append(enc.Encode(s)); return this; }
    public Html Attr(string name, string? value) => value is null ? this : Raw(" ").Raw(name).Raw("=\"").Text(value).Raw("\"");

    /// <summary>&lt;tag attrs&gt;text&lt;/tag&gt; with the text encoded.</summary>
    public Html El(string tag, string? text, string? cls = null, string? id = null) =>
        Raw("<").Raw(tag).Attr("class", cls).Attr("id", id).Raw(">").Text(text).Raw("</").Raw(tag).Raw(">\n");

    /// <summary>Opens a region that scrolls sideways on a narrow screen (a wide table on a phone): focusable, so it can
    /// be scrolled from the keyboard, and named for screen readers. Close with <c>&lt;/div&gt;</c>.</summary>
    public Html Scroll(string label) => Raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\"").Attr("aria-label", label).Raw(">");

    public Html Link(string href, string text, string? cls = null, string? id = null) =>
        Raw("<a").Attr("href", href).Attr("class", cls).Attr("id", id).Raw(">").Text(text).Raw("</a>");

    /// <summary>Opens a form with the antiforgery token; close with <see cref="EndForm"/>.</summary>
    public Html Form(string action, string method = "post", string? id = null, string? cls = null, string? enctype = null)
    {
        Raw("<form").Attr("method", method).Attr("action", action).Attr("id", id).Attr("class", cls).Attr("enctype", enctype).Raw(">\n");
        if (method == "post") Raw("<input type=\"hidden\"").Attr("name", antiforgeryField).Attr("value", antiforgeryToken).Raw(" />\n");
        return this;
    }

    public Html EndForm() => Raw("</form>\n");

    public Html Hidden(string name, string value) => Raw("<input type=\"hidden\"").Attr("name", name).Attr("value", value).Raw(" />\n");

    public Html Field(string label, string name, string? value = null, string type = "text", bool required = false, string? hint = null,
        string? error = null, string? extra = null, string? idPrefix = null)
    {
        var id = Id(name, idPrefix);
        Raw("<div class=\"field\"><label").Attr("for", id).Raw(">").Text(label).Raw("</label>");
        Raw("<input").Attr("id", id).Attr("name", name).Attr("type", type).Attr("value", value);
        if (required) Raw(" required");
        if (error is not null) Raw(" aria-invalid=\"true\"").Attr("aria-describedby", id + "-err");
        if (extra is not null) Raw(" ").Raw(extra);
        Raw(" />");
        Hint(id, hint, error);
        return Raw("</div>\n");
    }

    public Html TextArea(string label, string name, string? value, int rows = 4, bool required = false, string? hint = null, string? error = null,
        string? idPrefix = null)
    {
        var id = Id(name, idPrefix);
        Raw("<div class=\"field\"><label").Attr("for", id).Raw(">").Text(label).Raw("</label>");
        Raw("<textarea").Attr("id", id).Attr("name", name).Attr("rows", rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (required) Raw(" required");
        if (error is not null) Raw(" aria-invalid=\"true\"").Attr("aria-describedby", id + "-err");
        Raw(">").Text(value).Raw("</textarea>");
        Hint(id, hint, error);
        return Raw("</div>\n");
    }

    public Html Select(string label, string name, IEnumerable<(string Value, string Text)> options, string? selected, string? idPrefix = null,
        string? error = null)
    {
        var id = Id(name, idPrefix);
        Raw("<div class=\"field\"><label").Attr("for", id).Raw(">").Text(label).Raw("</label><select").Attr("id", id).Attr("name", name);
        if (error is not null) Raw(" aria-invalid=\"true\"").Attr("aria-describedby", id + "-err");
        Raw(">");
        foreach (var (v, t) in options)
        {
            Raw("<option").Attr("value", v);
            if (v == selected) Raw(" selected");
            Raw(">").Text(t).Raw("</option>");
        }
        Raw("</select>");
        Hint(id, null, error);
        return Raw("</div>\n");
    }

    public Html Checkbox(string label, string name, bool isChecked, string? idPrefix = null)
    {
        var id = Id(name, idPrefix);
        Raw("<div class=\"field check\"><input type=\"checkbox\" value=\"on\"").Attr("id", id).Attr("name", name);
        if (isChecked) Raw(" checked");
        return Raw(" /><label").Attr("for", id).Raw(">").Text(label).Raw("</label></div>\n");
    }

    public Html Button(string text, string? id = null, string cls = "btn", string? name = null, string? value = null) =>
        Raw("<button type=\"submit\"").Attr("class", cls).Attr("id", id).Attr("name", name).Attr("value", value).Raw(">").Text(text).Raw("</button>\n");

    /// <summary>A one-button form (cancel, revoke, mark done): POST with the token.</summary>
    public Html ActionButton(string action, string text, string? id = null, string cls = "btn secondary", params (string Name, string Value)[] fields)
    {
        Form(action, cls: "inline");
        foreach (var (n, v) in fields) Hidden(n, v);
        return Button(text, id, cls).EndForm();
    }

    public Html Error(string? message) => message is null ? this : Raw("<p class=\"alert err\" role=\"alert\" id=\"error\">").Text(message).Raw("</p>\n");
    public Html Notice(string? message) => message is null ? this : Raw("<p class=\"alert ok\" role=\"status\" id=\"notice\">").Text(message).Raw("</p>\n");

    private Html Hint(string id, string? hint, string? error)
    {
        if (hint is not null) Raw("<small class=\"hint\">").Text(hint).Raw("</small>");
        if (error is not null) Raw("<small class=\"field-err\"").Attr("id", id + "-err").Raw(">").Text(error).Raw("</small>");
        return this;
    }

    private static string Id(string name, string? prefix) => "f-" + (prefix is null ? "" : prefix + "-") + name.Replace('.', '-');

    public override string ToString() => _sb.ToString();
}
