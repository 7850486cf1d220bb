using Paylink.Server.Hosting;

// appsettings.json ships beside the binary; data (./data) stays relative to where Paylink is started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPaylinkServer();
var app = builder.Build();
app.UsePaylinkServer();
await app.PrepareAsync();
await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
