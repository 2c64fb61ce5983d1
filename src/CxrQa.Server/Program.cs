using CxrQa.Server.Health;
using CxrQa.Server.Hosting;
using CxrQa.Server.Security;

if (ServerKeysCommand.Handles(args))
{
    Environment.ExitCode = await ServerKeysCommand.RunAsync(args);
    return;
}

// Content root = the build output, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var (options, database) = builder.AddServerConfiguration();
builder.Services.AddOpenApi();
builder.Services.AddStores();
builder.Services.AddScreening(options, database);
builder.Services.AddCasesAndReviews();
builder.Services.AddPacs(builder.Configuration);
builder.Services.AddApiKeyAuthorization();
builder.Services.AddServerHealthChecks();

var app = builder.Build();
await app.PrepareAsync();
app.UseServerPipeline();
app.MapServerEndpoints();
await app.RunAsync();
