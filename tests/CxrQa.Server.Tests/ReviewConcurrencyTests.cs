using System.Net;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;
using Npgsql;

namespace CxrQa.Server.Tests;

/// <summary>Acceptance for the review queue across replicas: two server processes on one PostgreSQL database, five
/// reviewers (keys from the real CLI) racing for ten routed cases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReviewConcurrencyTests(PostgresServer postgres)
{
    private const int Cases = 10;
    private const int Reviewers = 5;

    [Fact]
    public async Task Fifty_concurrent_claims_on_ten_cases_across_two_replicas_give_one_claimer_and_one_decision_per_case()
    {
        using var data = new TempDirectory();
        var connection = await postgres.CreateDatabaseAsync();
        var env = new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = connection };
        var servers = await Task.WhenAll(ServerProcess.StartAsync(data.Path, environment: env), ServerProcess.StartAsync(data.Path, environment: env));
        try
        {
            var keys = new List<string>();
            for (var r = 0; r < Reviewers; r++)
                keys.Add(await Cli.CreateKeyAsync(data.Path, "reviewer", $"dr-{r}", connection));
            // reviewers[r][s]: reviewer r talking to server s.
            var reviewers = keys.Select(k => servers.Select(s => new Reviewer(s.Client, k)).ToArray()).ToArray();

            var ids = new List<string>();
            for (var c = 0; c < Cases; c++)
            {
                var body = await Http.JsonAsync(await servers[c % 2].Client.PostAsync("/predict", Http.Raw(Films.NoisePng(1000 + c), "image/png")));
                Assert.Equal("pending_review", body["status"]!.GetValue<string>());
                ids.Add(body["case_id"]!.GetValue<string>());
            }

            // 50 claims at once, each reviewer's requests alternating between the replicas.
            var claims = await Task.WhenAll(
                from c in Enumerable.Range(0, Cases)
                from r in Enumerable.Range(0, Reviewers)
                select ClaimAsync(reviewers[r][(c + r) % 2], ids[c], r));
            var winners = new Dictionary<string, int>();
            foreach (var group in claims.GroupBy(x => x.Id))
            {
                var won = Assert.Single(group, x => x.Status == HttpStatusCode.OK);
                Assert.All(group.Where(x => x != won), x => Assert.Equal((HttpStatusCode.Conflict, "already_claimed"), (x.Status, x.Code)));
                winners[group.Key] = won.Reviewer;
            }
            Assert.Equal(Cases, winners.Count);

            // Every reviewer then tries to decide every case, again at once: only each claimer's decision lands.
            var decisions = await Task.WhenAll(
                from c in Enumerable.Range(0, Cases)
                from r in Enumerable.Range(0, Reviewers)
                select DecideAsync(reviewers[r][(c + r + 1) % 2], ids[c], r));
            foreach (var group in decisions.GroupBy(x => x.Id))
            {
                var won = Assert.Single(group, x => x.Status == HttpStatusCode.OK);
                Assert.Equal(winners[group.Key], won.Reviewer);
                Assert.All(group.Where(x => x != won), x => Assert.Equal(HttpStatusCode.Conflict, x.Status));
            }

            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            foreach (var id in ids)
            {
                await using var audit = new NpgsqlCommand(
                    "SELECT action, actor FROM audit_events WHERE case_id = @id AND action IN ('claimed', 'claim_taken_over', 'decided') ORDER BY id", db);
                audit.Parameters.AddWithValue("id", id);
                var events = new List<(string, string)>();
                await using (var reader = await audit.ExecuteReaderAsync())
                    while (await reader.ReadAsync())
                        events.Add((reader.GetString(0), reader.GetString(1)));
                var claimer = $"dr-{winners[id]}";
                Assert.Equal([("claimed", claimer), ("decided", claimer)], events);
            }
            await using var decided = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT case_id) FROM reviews WHERE state = 'decided'", db);
            await using (var reader = await decided.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                Assert.Equal(((long)Cases, (long)Cases), (reader.GetInt64(0), reader.GetInt64(1)));
            }
            var listed = await reviewers[0][1].JsonAsync("/reviews?status=decided");
            Assert.Equal(Cases, listed["total"]!.GetValue<int>());
        }
        finally
        {
            foreach (var s in servers)
                await s.DisposeAsync();
        }
    }

    private static async Task<(string Id, int Reviewer, HttpStatusCode Status, string? Code)> ClaimAsync(Reviewer reviewer, string id, int index) =>
        await ResultAsync(await reviewer.ClaimAsync(id), id, index);

    private static async Task<(string Id, int Reviewer, HttpStatusCode Status, string? Code)> DecideAsync(Reviewer reviewer, string id, int index) =>
        await ResultAsync(await reviewer.DecideAsync(id, index % 2 == 0 ? "Normal" : "Pneumonia"), id, index);

    private static async Task<(string Id, int Reviewer, HttpStatusCode Status, string? Code)> ResultAsync(HttpResponseMessage response, string id, int index)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (id, index, response.StatusCode, response.StatusCode == HttpStatusCode.OK ? null : body?["code"]?.GetValue<string>());
    }
}
