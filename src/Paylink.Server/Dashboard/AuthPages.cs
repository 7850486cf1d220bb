using System.Text;
using Microsoft.AspNetCore.Identity;
using Paylink.Core.Dashboard;
using QRCoder;

namespace Paylink.Server.Dashboard;

/// <summary>Sign-in (password, then TOTP when enabled), sign-out, and the account page that turns TOTP on/off.</summary>
public static class AuthPages
{
    private static string? _dummyHash;

    /// <summary>A hash of a random password made by the configured hasher (same algorithm and work factor as real ones).</summary>
    private static string DummyHash(IPasswordHasher<DashboardUser> hasher) =>
        _dummyHash ??= hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    public static void MapPublic(RouteGroupBuilder g)
    {
        g.MapGet("/signin", (HttpContext http, string? returnUrl) => SignInForm(DashContext.For(http), returnUrl, null, null));

        g.MapPost("/signin", async (HttpContext http, SignInManager<DashboardUser> signIn, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var email = form["email"].ToString().Trim().ToLowerInvariant();
            var returnUrl = form["returnUrl"].ToString();
            if (email.Length == 0 || form["password"].ToString().Length == 0)
                return SignInForm(c, returnUrl, email, c.L("Введите e-mail и пароль.", "Enter your e-mail and password."), StatusCodes.Status422UnprocessableEntity);
            if (await signIn.UserManager.FindByNameAsync(email) is null)
            {
                // Unknown e-mail: hash the password anyway, so the answer takes as long as for a known one
                // (otherwise timing tells which e-mails have an account).
                signIn.UserManager.PasswordHasher.VerifyHashedPassword(null!, DummyHash(signIn.UserManager.PasswordHasher), form["password"].ToString());
                return SignInForm(c, returnUrl, email, c.L("Неверный e-mail или пароль.", "Wrong e-mail or password."), StatusCodes.Status401Unauthorized);
            }
            var r = await signIn.PasswordSignInAsync(email, form["password"].ToString(), isPersistent: false, lockoutOnFailure: true);
            if (r.Succeeded) return DashContext.Redirect(SafeReturn(returnUrl));
            if (r.RequiresTwoFactor) return DashContext.Redirect("/dashboard/signin/2fa?returnUrl=" + Uri.EscapeDataString(SafeReturn(returnUrl)));
            if (r.IsLockedOut)
                return SignInForm(c, returnUrl, email, c.L("Слишком много неудачных попыток: вход заблокирован на 15 минут.",
                    "Too many failed attempts: sign-in is locked for 15 minutes."), StatusCodes.Status423Locked);
            return SignInForm(c, returnUrl, email, c.L("Неверный e-mail или пароль.", "Wrong e-mail or password."), StatusCodes.Status401Unauthorized);
        }).RequireRateLimiting(DashboardSetup.SignInRateLimit);

        g.MapGet("/signin/2fa", (HttpContext http, string? returnUrl) => TwoFactorForm(DashContext.For(http), returnUrl, null));

        g.MapPost("/signin/2fa", async (HttpContext http, SignInManager<DashboardUser> signIn, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = form["returnUrl"].ToString();
            var code = form["code"].ToString().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return DashContext.Redirect("/dashboard/signin");
            var r = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
            if (r.Succeeded) return DashContext.Redirect(SafeReturn(returnUrl));
            if (r.IsLockedOut)
                return TwoFactorForm(c, returnUrl, c.L("Слишком много неудачных попыток: вход заблокирован на 15 минут.", "Too many failed attempts: sign-in is locked for 15 minutes."),
                    StatusCodes.Status423Locked);
            return TwoFactorForm(c, returnUrl, c.L("Код не подошёл. Введите 6 цифр из приложения.", "The code did not match. Enter the 6 digits from the app."),
                StatusCodes.Status401Unauthorized);
        }).RequireRateLimiting(DashboardSetup.SignInRateLimit);
    }

    public static void MapSignedIn(RouteGroupBuilder g)
    {
        g.MapPost("/signout", async (SignInManager<DashboardUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return DashContext.Redirect("/dashboard/signin");
        });

        g.MapGet("/account", async (HttpContext http, UserManager<DashboardUser> users) =>
            await AccountAsync(DashContext.For(http), users, null));

        g.MapPost("/account/password", async (HttpContext http, UserManager<DashboardUser> users, SignInManager<DashboardUser> signIn, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var user = (await users.GetUserAsync(http.User))!;
            var form = await http.Request.ReadFormAsync(ct);
            var next = form["newPassword"].ToString();
            if (next != form["confirmPassword"].ToString())
                return await AccountAsync(c, users, null, StatusCodes.Status422UnprocessableEntity, c.L("Новый пароль и повтор не совпадают.", "The new password and its repetition differ."));
            var r = await users.ChangePasswordAsync(user, form["currentPassword"].ToString(), next);
            if (!r.Succeeded)
                return await AccountAsync(c, users, null, StatusCodes.Status422UnprocessableEntity, r.Errors.Any(e => e.Code == "PasswordMismatch")
                    ? c.L("Текущий пароль неверен.", "The current password is wrong.")
                    : c.L($"Новый пароль не подходит: нужно не меньше {users.Options.Password.RequiredLength} символов.", $"The new password does not fit: at least {users.Options.Password.RequiredLength} characters."));
            // The stamp changed: other sessions end; this one gets a fresh cookie.
            await signIn.RefreshSignInAsync(user);
            c.Flash(c.L("Пароль изменён.", "Password changed."));
            return DashContext.Redirect("/dashboard/account");
        });

        g.MapPost("/account/2fa", async (HttpContext http, UserManager<DashboardUser> users, SignInManager<DashboardUser> signIn, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var user = (await users.GetUserAsync(http.User))!;
            var form = await http.Request.ReadFormAsync(ct);
            if (form["action"] == "disable")
            {
                await users.SetTwoFactorEnabledAsync(user, false);
                await users.ResetAuthenticatorKeyAsync(user);
                await signIn.RefreshSignInAsync(user);
                c.Flash(c.L("Вход по коду отключён.", "Two-factor sign-in is off."));
                return DashContext.Redirect("/dashboard/account");
            }
            var code = form["code"].ToString().Replace(" ", "", StringComparison.Ordinal);
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                return await AccountAsync(c, users, c.L("Код не подошёл: проверьте время на телефоне и введите 6 цифр.",
                    "The code did not match: check the phone's clock and enter the 6 digits."), StatusCodes.Status422UnprocessableEntity);
            await users.SetTwoFactorEnabledAsync(user, true);
            await signIn.RefreshSignInAsync(user);
            c.Flash(c.L("Вход по коду из приложения включён.", "Two-factor sign-in is on."));
            return DashContext.Redirect("/dashboard/account");
        });
    }

    private static IResult SignInForm(DashContext c, string? returnUrl, string? email, string? error, int status = StatusCodes.Status200OK) =>
        c.Page(c.L("Вход", "Sign in"), h =>
        {
            h.Raw("<div class=\"card\" style=\"max-width:420px;margin:2rem auto\">").El("h1", c.L("Вход в кабинет", "Sign in to the dashboard"));
            h.Error(error).Form("/dashboard/signin", id: "signin-form").Hidden("returnUrl", returnUrl ?? "");
            h.Field("E-mail", "email", email, "email", required: true, extra: "autocomplete=\"username\"");
            h.Field(c.L("Пароль", "Password"), "password", null, "password", required: true, extra: "autocomplete=\"current-password\"");
            h.Button(c.L("Войти", "Sign in"), "signin").EndForm().Raw("</div>");
        }, status);

    private static IResult TwoFactorForm(DashContext c, string? returnUrl, string? error, int status = StatusCodes.Status200OK) =>
        c.Page(c.L("Код подтверждения", "Verification code"), h =>
        {
            h.Raw("<div class=\"card\" style=\"max-width:420px;margin:2rem auto\">").El("h1", c.L("Код из приложения", "Authenticator code"));
            h.Error(error).Form("/dashboard/signin/2fa", id: "twofactor-form").Hidden("returnUrl", returnUrl ?? "");
            h.Field(c.L("6 цифр из приложения-аутентификатора", "6 digits from your authenticator app"), "code", null, "text", required: true,
                extra: "inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]{6,7}\"");
            h.Button(c.L("Подтвердить", "Verify"), "verify").EndForm().Raw("</div>");
        }, status);

    private static async Task<IResult> AccountAsync(DashContext c, UserManager<DashboardUser> users, string? error, int status = StatusCodes.Status200OK,
        string? passwordError = null)
    {
        var user = (await users.GetUserAsync(c.Http.User))!;
        string? key = null, uri = null, qr = null;
        if (!user.TwoFactorEnabled)
        {
            key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                // Not ResetAuthenticatorKeyAsync: it also renews the security stamp, and with the stamp checked on every
                // request that signed the user out everywhere (this session included) on the first visit of this page.
                // A key not yet enabled protects nothing, so storing it without a new stamp is safe.
                var store = (IUserAuthenticatorKeyStore<DashboardUser>)c.Http.RequestServices.GetRequiredService<IUserStore<DashboardUser>>();
                await store.SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), c.Http.RequestAborted);
                await users.UpdateAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user);
            }
            uri = OtpAuthUri(user.Email!, key!);
            qr = QrSvg(uri);
        }
        return c.Page(c.L("Профиль", "Account"), h =>
        {
            h.El("h1", c.L("Профиль", "Account"));
            h.Raw("<div class=\"card\"><p>").Text(user.Email).Raw(" · ").Text(user.Role == DashboardRoles.Owner ? c.L("владелец", "owner") : c.L("сотрудник", "staff")).Raw("</p></div>");
            h.Raw("<div class=\"card\">").El("h2", c.L("Пароль", "Password")).Error(passwordError);
            h.Form("/dashboard/account/password", id: "password-form")
                .Field(c.L("Текущий пароль", "Current password"), "currentPassword", null, "password", required: true, extra: "autocomplete=\"current-password\"")
                .Field(c.L("Новый пароль", "New password"), "newPassword", null, "password", required: true,
                    hint: c.L($"Не меньше {users.Options.Password.RequiredLength} символов.", $"At least {users.Options.Password.RequiredLength} characters."),
                    extra: $"autocomplete=\"new-password\" minlength=\"{users.Options.Password.RequiredLength}\"")
                .Field(c.L("Новый пароль ещё раз", "New password again"), "confirmPassword", null, "password", required: true, extra: "autocomplete=\"new-password\"")
                .Button(c.L("Сменить пароль", "Change password"), "change-password").EndForm().Raw("</div>");
            h.Raw("<div class=\"card\">").El("h2", c.L("Вход по коду из приложения (TOTP)", "Two-factor sign-in (TOTP)"));
            h.Error(error);
            if (user.TwoFactorEnabled)
            {
                h.El("p", c.L("Включён: при входе нужен код из приложения.", "On: signing in asks for the app's code."), id: "twofactor-state");
                h.ActionButton("/dashboard/account/2fa", c.L("Отключить", "Turn off"), "twofactor-off", "btn danger", ("action", "disable"));
            }
            else
            {
                h.El("p", c.L("Отсканируйте QR-код приложением (Google Authenticator, Яндекс Ключ, 1Password…) или введите ключ вручную, затем введите код.",
                    "Scan the QR code with an authenticator app or type the key, then enter the code."));
                h.Raw("<div role=\"img\" aria-label=\"QR\" style=\"width:180px\">").Raw(qr!).Raw("</div>");
                h.Raw("<p>").Text(c.L("Ключ: ", "Key: ")).Raw("<span class=\"mono\" id=\"totp-key\">").Text(FormatKey(key!)).Raw("</span></p>");
                h.Raw("<p class=\"muted mono\" id=\"totp-uri\">").Text(uri).Raw("</p>");
                h.Form("/dashboard/account/2fa", id: "twofactor-form").Hidden("action", "enable")
                    .Field(c.L("Код из приложения", "Code from the app"), "code", null, required: true, extra: "inputmode=\"numeric\" autocomplete=\"one-time-code\"")
                    .Button(c.L("Включить", "Turn on"), "twofactor-on").EndForm();
            }
            h.Raw("</div>");
        }, status);
    }

    /// <summary>The key-uri format authenticator apps read (issuer Paylink, account = e-mail).</summary>
    public static string OtpAuthUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString("Paylink:" + email)}?secret={key}&issuer=Paylink&digits=6";

    private static string FormatKey(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4) sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return sb.ToString().TrimEnd().ToLowerInvariant();
    }

    internal static string QrSvg(string text)
    {
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(new System.Drawing.Size(180, 180), "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>Only local dashboard paths, so the sign-in form cannot be an open redirect.</summary>
    private static string SafeReturn(string? url) =>
        url is { Length: > 0 } && url.StartsWith("/dashboard", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\')
            ? url : "/dashboard";
}
