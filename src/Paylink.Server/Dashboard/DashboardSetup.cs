using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Dashboard;

namespace Paylink.Server.Dashboard;

/// <summary>
/// The owner dashboard: cookie sign-in with ASP.NET Core Identity (separate from the API's Bearer keys),
/// antiforgery on every POST, every page confined to the user's merchant through <see cref="MerchantScope"/>.
/// </summary>
public static class DashboardSetup
{
    public const string Policy = "dashboard";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public const string SignInRateLimit = "dashboard-signin";
    public const string CsrfField = "__csrf";

    public static IServiceCollection AddPaylinkDashboard(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<DashboardOptions>().Bind(config.GetSection(DashboardOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => o.AddPolicy(SignInRateLimit, http =>
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.SignInRateLimitPerMinute;
            if (limit == 0) return System.Threading.RateLimiting.RateLimitPartition.GetNoLimiter("off");
            return System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }));
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies(o => o.ApplicationCookie!.Configure(c =>
            {
                c.Cookie.Name = "paylink.auth";
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Lax;
                c.Cookie.Path = "/dashboard";
                c.LoginPath = "/dashboard/signin";
                c.LogoutPath = "/dashboard/signout";
                c.AccessDeniedPath = "/dashboard/signin";
                c.ExpireTimeSpan = SessionLifetime;
                c.SlidingExpiration = true;
                c.ReturnUrlParameter = "returnUrl";
            }));
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, c => c.Cookie.Path = "/dashboard");
        // Check the user's security stamp on every request (one lookup by key): a removed user, a reset password
        // (paylink users reset-password) or a changed second factor ends open sessions at once, not 30 minutes later.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        new IdentityBuilder(typeof(DashboardUser), services)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<DashboardClaimsFactory>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser().RequireClaim(DashContext.MerchantClaim));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "paylink.csrf";
            o.Cookie.Path = "/dashboard";
            o.FormFieldName = CsrfField;
        });
        return services;
    }

    public static void MapDashboard(this WebApplication app)
    {
        // Sign-in pages: anonymous, antiforgery-checked.
        var pub = app.MapGroup("/dashboard").ExcludeFromDescription().AddEndpointFilter(CheckAntiforgery);
        AuthPages.MapPublic(pub);

        // Everything else: a signed-in user, whose merchant becomes the request's scope.
        var g = app.MapGroup("/dashboard").ExcludeFromDescription().RequireAuthorization(Policy)
            .AddEndpointFilter(CheckAntiforgery).AddEndpointFilter(ScopeToMerchant);
        AuthPages.MapSignedIn(g);
        OverviewPage.Map(g);
        LinksPages.Map(g);
        BookingsPages.Map(g);
        ConversationsPages.Map(g);
        CatalogPages.Map(g);
        TemplatesPages.Map(g);
        var owner = g.MapGroup("/settings").AddEndpointFilter(OwnerOnly);
        SettingsPages.Map(owner);
        AssistantPage.Map(owner);
        PersonalDataPage.Map(owner);
        DocumentsPages.MapSettings(owner);
        DocumentsPages.MapInvoices(g);
        SelfEmployedPage.Map(owner);
    }

    /// <summary>Every POST must carry the form token; otherwise 400 and nothing is done.</summary>
    private static async ValueTask<object?> CheckAntiforgery(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        var http = ctx.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            var c = DashContext.For(http);
            return c.Message(c.L("Форма устарела", "Form expired"), heading: c.L("Форма устарела", "The form has expired"),
                error: c.L("Запрос отклонён: нет или неверный защитный токен формы. Обновите страницу и отправьте форму ещё раз.",
                    "Request refused: the form's security token is missing or wrong. Reload the page and submit again."),
                status: StatusCodes.Status400BadRequest);
        }
        return await next(ctx);
    }

    private static async ValueTask<object?> ScopeToMerchant(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        var http = ctx.HttpContext;
        var merchantId = http.User.FindFirstValue(DashContext.MerchantClaim)!;
        var scope = http.RequestServices.GetRequiredService<MerchantScope>();
        scope.MerchantId = merchantId;
        scope.Actor = "user:" + (http.User.FindFirstValue(ClaimTypes.Email) ?? http.User.Identity?.Name ?? "unknown");
        var c = await DashContext.ForMerchantAsync(http, merchantId, http.RequestAborted);
        if (c.Merchant is null) return Results.Forbid();
        return await next(ctx);
    }

    private static async ValueTask<object?> OwnerOnly(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        var c = DashContext.For(ctx.HttpContext);
        return c.IsOwner ? await next(ctx) : c.Forbidden();
    }
}

/// <summary>Adds the merchant and role claims to the signed-in user's principal.</summary>
public sealed class DashboardClaimsFactory(UserManager<DashboardUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<DashboardUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DashboardUser user)
    {
        var id = await base.GenerateClaimsAsync(user);
        id.AddClaim(new Claim(DashContext.MerchantClaim, user.MerchantId));
        id.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        return id;
    }
}
