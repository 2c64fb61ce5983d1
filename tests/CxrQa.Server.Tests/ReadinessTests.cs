using System.Net;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;
using Npgsql;

namespace CxrQa.Server.Tests;

/// <summary>The health checks against a real PostgreSQL: ready while the database answers; once the database is gone,
/// /health/ready and /health answer 503 not_ready naming the database, while /health/live (no checks) stays 200.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadinessTests(PostgresServer postgres)
{
    [Fact]
    public async Task Readiness_follows_the_database_and_liveness_does_not()
    {
        using var data = new TempDirectory();
        var connection = await postgres.CreateDatabaseAsync();
        await using var server = await ServerProcess.StartAsync(data.Path,
            environment: new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = connection });
        var ready = await Http.JsonAsync(await server.Client.GetAsync("/health/ready"));
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal("postgres", ready["database"]!.GetValue<string>());

        var name = new NpgsqlConnectionStringBuilder(connection).Database!;
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var problem = await Http.ProblemAsync(await server.Client.GetAsync("/health/ready"), 503, "not_ready");
        Assert.Equal("the database is not reachable", problem["detail"]!.GetValue<string>());
        await Http.ProblemAsync(await server.Client.GetAsync("/health"), 503, "not_ready");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
    }
}
