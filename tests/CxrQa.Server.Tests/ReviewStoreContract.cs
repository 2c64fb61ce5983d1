using CxrQa.Domain;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Storage;
using CxrQa.Tests.Support;
using Dapper;

namespace CxrQa.Server.Tests;

/// <summary>What the review store must do, run against SQLite and PostgreSQL: the queue rows made with the case,
/// claims (409s, refresh, expiry takeover), release, one decision, and an audit event for each change.</summary>
public abstract class ReviewStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(15);
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<CxrQaDatabase> NewDatabaseAsync();

    private async Task<(CxrQaDatabase Db, SqlCaseStore Cases, SqlReviewStore Reviews)> StoresAsync()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, None);
        return (db, new SqlCaseStore(db), new SqlReviewStore(db));
    }

    private static async Task<string> QueuedAsync(SqlCaseStore cases, DateTimeOffset? created = null, string status = "pending_review", bool sample = false)
    {
        var record = CaseStoreContract.Sample(status: status) with { CreatedAt = created ?? T0 };
        await cases.InsertAsync(record, new Actor("ward", null), sample, None);
        return record.Id;
    }

    [Fact]
    public async Task Routed_and_sampled_cases_get_a_review_row_with_the_case_and_others_do_not()
    {
        var (_, cases, reviews) = await StoresAsync();
        var routed = CaseStoreContract.Sample(status: "pending_review");
        var routedReview = await cases.InsertAsync(routed, new Actor("ward", null), auditSample: false, None);
        Assert.Equal((ReviewStates.Pending, ReviewOrigins.Routed), (routedReview!.State, routedReview.Origin));
        var sampled = await QueuedAsync(cases, status: "automated", sample: true);
        var plain = await QueuedAsync(cases, status: "automated", sample: false);

        var back = await reviews.GetAsync(routed.Id, None);
        Assert.Equal(routedReview with { QueuedAt = back!.Review.QueuedAt }, back.Review);
        Assert.Equal(routed.CreatedAt, back.Review.QueuedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(routed.Prediction, back.Case.Prediction);
        Assert.Equal(ReviewOrigins.AuditSample, (await reviews.GetAsync(sampled, None))!.Review.Origin);
        Assert.Equal(CaseStatus.Automated, (await cases.GetAsync(sampled, None))!.Status);
        Assert.Null(await reviews.GetAsync(plain, None));
        Assert.Contains("audit_sample", Assert.Single(await cases.AuditTrailAsync(sampled, None)).AfterJson);
    }

    [Fact]
    public async Task Claims_conflict_refresh_release_and_decide_once_with_an_audit_event_each()
    {
        var (db, cases, reviews) = await StoresAsync();
        var id = await QueuedAsync(cases);

        var a = await reviews.ClaimAsync(id, new Actor("dr-a", null), T0, Claim, None);
        Assert.Equal(ReviewOutcome.Done, a.Outcome);
        Assert.Equal((ReviewStates.Claimed, "dr-a"), (a.Review!.State, a.Review.ClaimedBy));
        Assert.Equal(T0 + Claim, a.Review.ClaimExpiresAt!.Value, TimeSpan.FromMilliseconds(1));

        var b = await reviews.ClaimAsync(id, new Actor("dr-b", null), T0.AddMinutes(1), Claim, None);
        Assert.Equal(ReviewOutcome.AlreadyClaimed, b.Outcome);
        Assert.Equal("dr-a", b.Review!.ClaimedBy);
        var refreshed = await reviews.ClaimAsync(id, new Actor("dr-a", null), T0.AddMinutes(2), Claim, None);
        Assert.Equal(T0.AddMinutes(2) + Claim, refreshed.Review!.ClaimExpiresAt!.Value, TimeSpan.FromMilliseconds(1));

        Assert.Equal(ReviewOutcome.NotClaimedByYou, (await reviews.DecideAsync(id, new Actor("dr-b", null), "Normal", null, T0.AddMinutes(3), None)).Outcome);
        Assert.Equal(ReviewOutcome.NotClaimedByYou, (await reviews.ReleaseAsync(id, new Actor("dr-b", null), asAdmin: false, T0.AddMinutes(3), None)).Outcome);
        var released = await reviews.ReleaseAsync(id, new Actor("dr-a", null), asAdmin: false, T0.AddMinutes(4), None);
        Assert.Equal((ReviewOutcome.Done, ReviewStates.Pending, null), (released.Outcome, released.Review!.State, released.Review.ClaimedBy));
        Assert.Equal(ReviewOutcome.NotClaimedByYou, (await reviews.DecideAsync(id, new Actor("dr-a", null), "Normal", null, T0.AddMinutes(5), None)).Outcome);

        Assert.Equal(ReviewOutcome.Done, (await reviews.ClaimAsync(id, new Actor("dr-b", null), T0.AddMinutes(5), Claim, None)).Outcome);
        var decided = await reviews.DecideAsync(id, new Actor("dr-b", null), "Pneumonia", "right lower lobe", T0.AddMinutes(6), None);
        Assert.Equal(ReviewOutcome.Done, decided.Outcome);
        Assert.Equal((ReviewStates.Decided, "dr-b", "Pneumonia", "right lower lobe"),
            (decided.Review!.State, decided.Review.DecidedBy, decided.Review.Label, decided.Review.Note));
        Assert.Equal(T0.AddMinutes(6), decided.Review.DecidedAt!.Value, TimeSpan.FromMilliseconds(1));

        Assert.Equal(ReviewOutcome.AlreadyDecided, (await reviews.DecideAsync(id, new Actor("dr-b", null), "Normal", null, T0.AddMinutes(7), None)).Outcome);
        Assert.Equal(ReviewOutcome.AlreadyDecided, (await reviews.ClaimAsync(id, new Actor("dr-a", null), T0.AddHours(2), Claim, None)).Outcome);
        Assert.Equal(ReviewOutcome.AlreadyDecided, (await reviews.ReleaseAsync(id, new Actor("dr-b", null), asAdmin: true, T0.AddHours(2), None)).Outcome);
        Assert.Equal(ReviewOutcome.NotFound, (await reviews.ClaimAsync(new string('0', 32), new Actor("dr-a", null), T0, Claim, None)).Outcome);
        Assert.Equal("Pneumonia", (await reviews.GetAsync(id, None))!.Review.Label);

        var trail = await cases.AuditTrailAsync(id, None);
        Assert.Equal(["created", "claimed", "claimed", "released", "claimed", "decided"], trail.Select(e => e.Action));
        Assert.Equal(["ward", "dr-a", "dr-a", "dr-a", "dr-b", "dr-b"], trail.Select(e => e.Actor));
        Assert.Equal(T0.AddMinutes(6), trail[^1].At, TimeSpan.FromMilliseconds(1));
        var before = JsonNode.Parse(trail[^1].BeforeJson!)!;
        var after = JsonNode.Parse(trail[^1].AfterJson!)!;
        Assert.Equal(("claimed", "dr-b"), (before["state"]!.GetValue<string>(), before["claimed_by"]!.GetValue<string>()));
        Assert.Null(before["label"]);
        Assert.Equal(("decided", "Pneumonia", "dr-b"), (after["state"]!.GetValue<string>(), after["label"]!.GetValue<string>(), after["decided_by"]!.GetValue<string>()));
        Assert.Equal("pending", JsonNode.Parse(trail[3].AfterJson!)!["state"]!.GetValue<string>());

        // Refusals change nothing and write nothing.
        await using var connection = await db.OpenAsync(None);
        Assert.Equal(6L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE case_id = @id", new { id }));
    }

    [Fact]
    public async Task An_expired_claim_is_taken_over_to_the_sub_second_and_the_old_claimer_is_audited()
    {
        var (_, cases, reviews) = await StoresAsync();
        var id = await QueuedAsync(cases);
        var claimedAt = T0.AddMilliseconds(250);
        await reviews.ClaimAsync(id, new Actor("dr-a", null), claimedAt, TimeSpan.FromMinutes(15), None);
        var expires = claimedAt.AddMinutes(15); // 10:15:00.250

        // Stored times must compare as times (SQLite keeps them as text, whole seconds without a fraction): at
        // 10:15:00 and at 10:15:00.250 the claim still holds, at 10:15:00.251 it has lapsed.
        Assert.Equal(ReviewOutcome.AlreadyClaimed, (await reviews.ClaimAsync(id, new Actor("dr-b", null), expires.AddMilliseconds(-250), Claim, None)).Outcome);
        Assert.Equal(ReviewOutcome.AlreadyClaimed, (await reviews.ClaimAsync(id, new Actor("dr-b", null), expires, Claim, None)).Outcome);
        // The old claimer cannot decide once the claim has lapsed.
        Assert.Equal(ReviewOutcome.NotClaimedByYou, (await reviews.DecideAsync(id, new Actor("dr-a", null), "Normal", null, expires.AddMilliseconds(1), None)).Outcome);

        var takeover = await reviews.ClaimAsync(id, new Actor("dr-b", null), expires.AddMilliseconds(1), Claim, None);
        Assert.Equal((ReviewOutcome.Done, "dr-b"), (takeover.Outcome, takeover.Review!.ClaimedBy));
        var last = (await cases.AuditTrailAsync(id, None))[^1];
        Assert.Equal((AuditActions.ClaimTakenOver, "dr-b"), (last.Action, last.Actor));
        Assert.Equal("dr-a", JsonNode.Parse(last.BeforeJson!)!["claimed_by"]!.GetValue<string>());
        Assert.Equal("dr-b", JsonNode.Parse(last.AfterJson!)!["claimed_by"]!.GetValue<string>());

        Assert.Equal(ReviewOutcome.NotClaimedByYou, (await reviews.ReleaseAsync(id, new Actor("dr-a", null), asAdmin: false, expires.AddSeconds(2), None)).Outcome);
        Assert.Equal(ReviewOutcome.Done, (await reviews.ReleaseAsync(id, new Actor("boss", null), asAdmin: true, expires.AddSeconds(2), None)).Outcome);
    }

    [Fact]
    public async Task Concurrent_claims_on_one_case_have_exactly_one_winner()
    {
        var (_, cases, reviews) = await StoresAsync();
        var id = await QueuedAsync(cases);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => reviews.ClaimAsync(id, new Actor($"dr-{i}", $"key-{i}"), T0, Claim, None))));
        var winner = Assert.Single(outcomes, o => o.Outcome == ReviewOutcome.Done);
        Assert.All(outcomes.Where(o => o != winner), o => Assert.Equal(ReviewOutcome.AlreadyClaimed, o.Outcome));
        var trail = await cases.AuditTrailAsync(id, None);
        var claimed = Assert.Single(trail, e => e.Action == AuditActions.Claimed);
        Assert.Equal(winner.Review!.ClaimedBy, claimed.Actor);
        Assert.Equal(winner.Review!.ClaimedBy!.Replace("dr-", "key-", StringComparison.Ordinal), claimed.ActorKeyId); // the key, not only its name
    }

    [Fact]
    public async Task The_queue_lists_by_state_oldest_first_and_stats_count_sampled_agreement()
    {
        var (_, cases, reviews) = await StoresAsync();
        var late = await QueuedAsync(cases, T0.AddMinutes(2));
        var early = await QueuedAsync(cases, T0.AddSeconds(1));
        var middle = await QueuedAsync(cases, T0.AddSeconds(1.5));
        var page = await reviews.ListAsync(ReviewStates.Pending, 2, 0, None);
        Assert.Equal(3, page.Total);
        Assert.Equal([early, middle], page.Items.Select(i => i.Review.CaseId));
        Assert.Equal([late], (await reviews.ListAsync(ReviewStates.Pending, 2, 2, None)).Items.Select(i => i.Review.CaseId));

        // Sampled automated answers (Sample() predicts Pneumonia): one agreed, one not, one unreadable (excluded).
        var labels = new[] { "Pneumonia", "Normal", "Unreadable" };
        foreach (var label in labels)
        {
            var id = await QueuedAsync(cases, status: "automated", sample: true);
            await reviews.ClaimAsync(id, new Actor("dr-a", null), T0, Claim, None);
            Assert.Equal(ReviewOutcome.Done, (await reviews.DecideAsync(id, new Actor("dr-a", null), label, null, T0.AddMinutes(1), None)).Outcome);
        }
        await reviews.ClaimAsync(late, new Actor("dr-b", null), T0, Claim, None);
        var stats = await reviews.StatsAsync(None);
        Assert.Equal((2L, 1L, 3L), (stats.Pending, stats.Claimed, stats.Decided));
        Assert.Equal((1L, 1L), (stats.AuditSampleAgreements, stats.AuditSampleDisagreements));
        Assert.Equal(1L, stats.DecisionsByLabel["Unreadable"]);
        Assert.Equal([late], (await reviews.ListAsync(ReviewStates.Claimed, 50, 0, None)).Items.Select(i => i.Review.CaseId));
        Assert.Equal(3, (await reviews.DecidedAsync(None)).Count);
    }

    [Fact]
    public async Task A_team_scope_lists_only_that_teams_queue_and_counts_only_it()
    {
        var (_, cases, reviews) = await StoresAsync();
        async Task<string> OfTeamAsync(string? team, int second)
        {
            var record = CaseStoreContract.Sample(status: "pending_review") with { CreatedAt = T0.AddSeconds(second), SubmittedTeam = team };
            await cases.InsertAsync(record, new Actor("ward", null, team), false, None);
            return record.Id;
        }
        var north1 = await OfTeamAsync("north", 1);
        var south = await OfTeamAsync("south", 2);
        var none = await OfTeamAsync(null, 3);
        var north2 = await OfTeamAsync("north", 4);

        var page = await reviews.ListAsync(ReviewStates.Pending, 1, 1, TeamScope.Of("north"), None);
        Assert.Equal([north2], page.Items.Select(i => i.Review.CaseId));
        Assert.Equal(2L, page.Total);
        Assert.Equal([south], (await reviews.ListAsync(ReviewStates.Pending, 50, 0, TeamScope.Of("south"), None)).Items.Select(i => i.Review.CaseId));
        // Team names compare exactly: "North" is another team.
        Assert.Equal(0, (await reviews.ListAsync(ReviewStates.Pending, 50, 0, TeamScope.Of("North"), None)).Total);
        var all = await reviews.ListAsync(ReviewStates.Pending, 50, 0, TeamScope.Everyone, None);
        Assert.Equal([north1, south, none, north2], all.Items.Select(i => i.Review.CaseId));
        Assert.Equal(4L, all.Total);
        Assert.Equal("north", all.Items[0].Case.SubmittedTeam);
    }

    [Fact]
    public async Task Migration_3_back_fills_the_cases_already_waiting_for_review()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, upToVersion: 2, None);
        var waiting = CaseStoreContract.Sample(status: "pending_review");
        var automated = CaseStoreContract.Sample(status: "automated");
        await using (var connection = await db.OpenAsync(None))
        {
            foreach (var c in new[] { waiting, automated })
                await connection.ExecuteAsync("""
                    INSERT INTO cases (id, created_at, status, prediction, pneumonia_probability, confidence, logit, ood_score,
                        reasons_json, heatmap_grid_json, model_name, model_version, input_sha256, film_file, content_type,
                        heatmap_file, metadata_json, submitted_by)
                    VALUES (@Id, @CreatedAt, @Status, 'Normal', 0.1, 0.9, -2, NULL, '[]', '[[0]]', 'm', '1', 'x', 'film.jpg',
                        'image/jpeg', 'heatmap.png', '{}', 'ward')
                    """, new { c.Id, CreatedAt = c.CreatedAt.UtcDateTime, Status = c.Status.Name() });
        }
        // Migration 3 (and every later one) runs on a database left at migration 2.
        Assert.Equal(3, (await SchemaMigrations.ApplyAsync(db, None)).First());
        var reviews = new SqlReviewStore(db);
        var row = (await reviews.GetAsync(waiting.Id, None))!.Review;
        Assert.Equal((ReviewStates.Pending, ReviewOrigins.Routed), (row.State, row.Origin));
        Assert.Equal(waiting.CreatedAt, row.QueuedAt, TimeSpan.FromMilliseconds(1));
        Assert.Null(await reviews.GetAsync(automated.Id, None));
    }

    [Fact]
    public void Audit_sampling_is_a_deterministic_fraction_of_case_ids()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"{i:x32}").ToList();
        Assert.All(ids.Take(100), id => Assert.True(AuditSampling.IsSampled(id, 1)));
        Assert.All(ids.Take(100), id => Assert.False(AuditSampling.IsSampled(id, 0)));
        var sampled = ids.Where(id => AuditSampling.IsSampled(id, 0.05)).ToList();
        Assert.InRange(sampled.Count / (double)ids.Count, 0.045, 0.055);
        Assert.Equal(sampled, ids.Where(id => AuditSampling.IsSampled(id, 0.05)));
        // A larger fraction keeps every case a smaller one drew.
        Assert.All(sampled, id => Assert.True(AuditSampling.IsSampled(id, 0.2)));
    }
}

public sealed class SqliteReviewStoreTests : ReviewStoreContract, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override Task<CxrQaDatabase> NewDatabaseAsync() => Task.FromResult(new CxrQaDatabase(_databases.NewSettings()));

    public void Dispose() => _databases.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReviewStoreTests(PostgresServer postgres) : ReviewStoreContract
{
    protected override async Task<CxrQaDatabase> NewDatabaseAsync() => new(await postgres.NewSettingsAsync());
}
