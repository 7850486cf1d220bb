using System.Security.Cryptography;
using System.Text;

namespace Paylink.Server.Dashboard;

/// <summary>
/// The dashboard's only script: the template editor's live preview (posts the form with X-Preview: 1 while the
/// user types). Its SHA-256 is the one script the pages' Content-Security-Policy allows.
/// </summary>
public static class LivePreview
{
    public const string Script = """

        (() => {
          const form = document.getElementById('template-form'), text = document.getElementById('f-text');
          const out = document.getElementById('template-rendered'), sms = document.getElementById('sms-count'), err = document.getElementById('live-error');
          let timer;
          text.addEventListener('input', () => {
            clearTimeout(timer);
            timer = setTimeout(async () => {
              const data = new FormData(form);
              data.set('action', 'preview');
              const r = await fetch(form.getAttribute('action'), { method: 'POST', body: data, headers: { 'X-Preview': '1' } });
              if (!r.ok && r.status !== 422) return;
              const j = await r.json();
              err.textContent = j.error || '';
              out.textContent = j.text || '';
              sms.textContent = j.sms || '';
            }, 250);
          });
        })();
        """;

    public static readonly string Hash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)));
}
