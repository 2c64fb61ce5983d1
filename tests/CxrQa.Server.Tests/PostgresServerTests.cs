using System.Collections.Concurrent;
using System.Net;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;
using Npgsql;

namespace CxrQa.Server.Tests;

/// <summary>Two server processes on one PostgreSQL database and one shared data directory, as two replicas behind a
/// load balancer: they start together (migrations under the advisory lock) and serve interleaved requests.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_replicas_lose_and_duplicate_no_case()
    {
        using var data = new TempDirectory();
        var connection = await postgres.CreateDatabaseAsync();
        var env = new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = connection };
        var servers = await Task.WhenAll(ServerProcess.StartAsync(data.Path, environment: env), ServerProcess.StartAsync(data.Path, environment: env));
        try
        {
            var ready = await Http.JsonAsync(await servers[0].Client.GetAsync("/health/ready"));
            Assert.Equal("postgres", ready["database"]!.GetValue<string>());

            string[] paths = [Films.Normal, Films.Pneumonia, Films.NormalSecond];
            var films = paths.Select(File.ReadAllBytes).ToArray();
            var answered = new ConcurrentBag<(string Id, string Sha, int Server)>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 24), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var film = films[i % films.Length];
                var body = await Http.JsonAsync(await servers[i % 2].Client.PostAsync("/predict", Http.Raw(film, "image/jpeg"), ct));
                answered.Add((body["case_id"]!.GetValue<string>(), body["input_sha256"]!.GetValue<string>(), i % 2));
            });

            Assert.Equal(24, answered.Select(a => a.Id).Distinct().Count());
            await using (var db = new NpgsqlConnection(connection))
            {
                await db.OpenAsync();
                await using var count = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT id) FROM cases", db);
                await using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal((24L, 24L), (reader.GetInt64(0), reader.GetInt64(1)));
                await reader.CloseAsync();
                await using var audit = new NpgsqlCommand("SELECT COUNT(*) FROM audit_events WHERE action = 'created'", db);
                Assert.Equal(24L, await audit.ExecuteScalarAsync());
                await using var migrations = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", db);
                Assert.Equal((long)CxrQa.Storage.SchemaMigrations.All.Count, await migrations.ExecuteScalarAsync());
            }

            // Each case is served by the other replica too, with its film.
            foreach (var (id, sha, server) in answered)
            {
                var other = servers[1 - server].Client;
                var stored = await Http.JsonAsync(await other.GetAsync($"/cases/{id}"));
                Assert.Equal(sha, stored["input_sha256"]!.GetValue<string>());
                using var image = await other.GetAsync($"/cases/{id}/image");
                Assert.Equal(HttpStatusCode.OK, image.StatusCode);
                Assert.Equal(sha, Http.Sha256(await image.Content.ReadAsByteArrayAsync()));
            }
        }
        finally
        {
            foreach (var s in servers)
                await s.DisposeAsync();
        }
    }
}
