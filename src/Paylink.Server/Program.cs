using Paylink.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaylinkServer();
var app = builder.Build();
app.UsePaylinkServer();
await app.PrepareAsync();
await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
