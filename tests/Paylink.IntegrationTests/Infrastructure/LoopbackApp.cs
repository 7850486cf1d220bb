using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Paylink.IntegrationTests.Infrastructure;

/// <summary>A quiet Kestrel app on 127.0.0.1:&lt;free port&gt; for fakes of external APIs.</summary>
public static class LoopbackApp
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        map(app);
        await app.StartAsync();
        return app;
    }
}
