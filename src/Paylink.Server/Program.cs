using Paylink.Server.Hosting;

// appsettings.json ships beside the binary; data (./data) stays relative to where Paylink is started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPaylinkServer();
var app = builder.Build();
app.UsePaylinkServer();
try { await app.PrepareAsync(); }
catch (Paylink.Core.Data.UnknownMigrationsException ex)
{
    // A database this build must not touch: one clear line instead of a stack trace, and a failing exit code.
    Console.Error.WriteLine("Paylink cannot start: " + ex.Message);
    return 1;
}
await app.RunAsync();
return 0;

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
