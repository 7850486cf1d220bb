using Paylink.Core.Common;
using Paylink.Core.Documents;

namespace Paylink.Server.Dashboard;

/// <summary>
/// B2B documents in the dashboard. /dashboard/settings/requisites (owner): the merchant's details printed on a счёт and an
/// акт, stored by <see cref="RequisitesStore"/> (the same as PUT /api/v1/requisites).
/// </summary>
public static class DocumentsPages
{
    public static void MapSettings(RouteGroupBuilder settings)
    {
        settings.MapGet("/requisites", async (HttpContext http, RequisitesStore store, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            return RequisitesPage(c, await store.GetAsync(c.MerchantId, ct) ?? new Requisites(), null);
        });
        settings.MapPost("/requisites", async (HttpContext http, RequisitesStore store, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            string? F(string name) => DashForms.Opt(form, name);
            int? due = null;
            var dueText = F("dueDays");
            if (dueText is not null)
            {
                if (!int.TryParse(dueText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var d))
                    return RequisitesPage(c, new Requisites(), Error.Validation("dueDays", c.L("Срок оплаты: целое число дней.", "Due in: a whole number of days.")));
                due = d;
            }
            var r = new Requisites(F("name"), F("inn"), F("kpp"), F("ogrn"), F("address"), F("bankName"), F("bic"), F("correspondentAccount"),
                F("account"), F("signerName"), F("signerPosition"), F("vat"), due);
            var saved = await store.SaveAsync(c.MerchantId, r, ct);
            if (!saved.IsSuccess) return RequisitesPage(c, r, saved.Error);
            c.Flash(c.L("Реквизиты сохранены.", "Requisites saved."));
            return DashContext.Redirect("/dashboard/settings/requisites");
        });
    }

    private static IResult RequisitesPage(DashContext c, Requisites r, Error? error)
    {
        string? E(string field) => error?.Fields is { } f && f.TryGetValue(field, out var m) ? string.Join(" ", m) : null;
        return c.Page(c.L("Реквизиты", "Requisites"), h =>
        {
            h.El("h1", c.L("Реквизиты для счетов и актов", "Requisites for invoices and acts"));
            h.Raw("<p>").Link("/dashboard/settings", c.L("← Настройки", "← Settings")).Raw("</p>");
            h.El("p", c.L("Эти данные печатаются в счёте, акте и QR-коде для оплаты из банковского приложения. ИНН, ОГРН и счета проверяются по контрольным цифрам.",
                "These details are printed on invoices, acts and the payment QR for bank apps. INN, OGRN and accounts are checked by their check digits."), "muted");
            h.Error(error is null ? null : c.L("Проверьте поля: ", "Check the fields: ") + error.Message);
            h.Form("/dashboard/settings/requisites", id: "requisites-form", cls: "card");
            h.Field(c.L("Наименование", "Legal name"), "name", r.Name, required: true, error: E("name"),
                hint: c.L("Как в ЕГРЮЛ/ЕГРИП, например: ООО «Ромашка» или ИП Иванов Иван Иванович", "As registered, e.g. OOO Romashka"));
            h.Raw("<div class=\"row\">")
                .Field(c.L("ИНН", "INN"), "inn", r.Inn, required: true, error: E("inn"), extra: "inputmode=\"numeric\"",
                    hint: c.L("10 цифр у организации, 12 у ИП", "10 digits for a company, 12 for a sole trader"))
                .Field(c.L("КПП", "KPP"), "kpp", r.Kpp, error: E("kpp"), hint: c.L("Только у организаций", "Companies only"))
                .Field(c.L("ОГРН / ОГРНИП", "OGRN"), "ogrn", r.Ogrn, error: E("ogrn"), extra: "inputmode=\"numeric\"")
                .Raw("</div>");
            h.Field(c.L("Юридический адрес", "Legal address"), "address", r.Address, required: true, error: E("address"));
            h.Field(c.L("Банк", "Bank"), "bankName", r.BankName, required: true, error: E("bankName"), hint: c.L("Например: ПАО Сбербанк", "E.g. PAO Sberbank"));
            h.Raw("<div class=\"row\">")
                .Field(c.L("БИК", "BIC"), "bic", r.Bic, required: true, error: E("bic"), extra: "inputmode=\"numeric\"")
                .Field(c.L("Корреспондентский счёт", "Correspondent account"), "correspondentAccount", r.CorrespondentAccount, required: true,
                    error: E("correspondentAccount"), extra: "inputmode=\"numeric\"", hint: c.L("20 цифр, начинается с 30101", "20 digits starting with 30101"))
                .Field(c.L("Расчётный счёт", "Settlement account"), "account", r.Account, required: true, error: E("account"), extra: "inputmode=\"numeric\"",
                    hint: c.L("20 цифр: 40702… у организации, 40802… у ИП", "20 digits: 40702… company, 40802… sole trader"))
                .Raw("</div>");
            h.Raw("<div class=\"row\">")
                .Field(c.L("Подписант (ФИО)", "Signer (full name)"), "signerName", r.SignerName, required: true, error: E("signerName"))
                .Field(c.L("Должность подписанта", "Signer's position"), "signerPosition", r.SignerPosition, error: E("signerPosition"),
                    hint: c.L("Например: Генеральный директор; у ИП можно не указывать", "E.g. General director"))
                .Raw("</div>");
            h.Raw("<div class=\"row\">").Select(c.L("НДС по умолчанию", "Default VAT"), "vat",
                    [("none", c.L("Без НДС", "No VAT")), ("vat0", "0 %"), ("vat5", "5 %"), ("vat7", "7 %"), ("vat10", "10 %"), ("vat22", "22 %")],
                    r.DefaultVat)
                .Field(c.L("Срок оплаты счёта, дней", "Invoice due in, days"), "dueDays",
                    (r.DueDays ?? Requisites.DefaultDueDays).ToString(System.Globalization.CultureInfo.InvariantCulture), "number", error: E("dueDays"))
                .Raw("</div>");
            h.El("p", c.L("Без НДС — для УСН без НДС и самозанятых: в счёте будет «Без НДС», закрывающий документ — УПД со статусом 2.",
                "No VAT: the invoice says «Без НДС» and the closing document is a UPD with status 2."), "muted");
            h.Button(c.L("Сохранить", "Save"), "requisites-save").EndForm();
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
