using Microsoft.AspNetCore.Components;

namespace Paylink.Server.Dashboard.Components;

/// <summary>
/// The base of every dashboard component (set in the folder's _Imports.razor): the request's <see cref="DashContext"/>
/// (language, merchant, role) from the HttpContext that static server rendering cascades to every component.
/// Components render on the server only (no interactivity, no script): a page is one HTML answer, as before.
/// </summary>
public abstract class DashComponent : ComponentBase
{
    [CascadingParameter] public HttpContext Http { get; set; } = default!;

    protected DashContext C => DashContext.For(Http);

    /// <summary>The text in the page's language (see <see cref="DashContext.L"/>).</summary>
    protected string L(string ru, string en) => C.L(ru, en);

    /// <summary>The page's texts: <c>@T[…]</c> with the Russian text.</summary>
    protected Paylink.Core.Localization.Texts T => C.T;

    /// <summary>Element ids of form fields: "f-" + optional prefix + name with dots as dashes (the tests and labels rely on it).</summary>
    public static string FieldId(string name, string? prefix) => "f-" + (prefix is null ? "" : prefix + "-") + name.Replace('.', '-');
}
