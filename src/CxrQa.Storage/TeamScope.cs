namespace CxrQa.Storage;

/// <summary>
/// The one rule of site/team ownership (issue 16). An API key may carry a team (<c>keys create --team</c>); a case
/// records the team of the key that submitted it, at submission (<see cref="CaseRecord.SubmittedTeam"/>), and keeps
/// it. A reviewer key with a team sees and decides only its team's review queue and cases; a reviewer key without a
/// team, and every admin key, see every team's (team-less cases included). A case without a team (sent without a key,
/// by a key without a team, or before migration 9 and never claimed by <c>keys set-team</c>) is therefore read only by
/// reviewers without a team and by admins. Submitter keys are not widened by their team: they read only the cases
/// they submitted (<c>CaseAccess</c>).
/// </summary>
public sealed record TeamScope
{
    private TeamScope(string? team) => Team = team;

    /// <summary>The only team seen, or null for every team.</summary>
    public string? Team { get; }

    /// <summary>Every team's cases (admins, reviewers without a team, the CLI's export).</summary>
    public static TeamScope Everyone { get; } = new((string?)null);

    public static TeamScope Of(string team) => new(ApiKeyTeams.Check(team));

    /// <summary>What a key of this role and team sees of the review queue.</summary>
    public static TeamScope ForKey(string? role, string? team) =>
        role == ApiKeyRoles.Reviewer && team is not null ? Of(team) : Everyone;

    public bool Includes(CaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Team is null || string.Equals(record.SubmittedTeam, Team, StringComparison.Ordinal);
    }

    /// <summary>The same rule as <see cref="Includes"/> as a SQL condition on the cases table under
    /// <paramref name="alias"/>, with its parameter <c>@scopeTeam</c> (always bound, so the SQL stays one shape).</summary>
    internal string SqlCondition(string alias) => Team is null ? "1 = 1" : $"{alias}.submitted_team = @scopeTeam";
}

/// <summary>What a team name may be: what an admin typed, trimmed, 1 to 64 characters, no control characters
/// (it is shown in key lists and compared exactly).</summary>
public static class ApiKeyTeams
{
    public const int MaxLength = 64;

    /// <summary>The team name as stored.</summary>
    /// <exception cref="ArgumentException">empty, too long or with control characters.</exception>
    public static string Check(string team)
    {
        ArgumentNullException.ThrowIfNull(team);
        var trimmed = team.Trim();
        if (trimmed.Length is 0 or > MaxLength || trimmed.Any(char.IsControl))
            throw new ArgumentException($"a team name is 1 to {MaxLength} characters without control characters", nameof(team));
        return trimmed;
    }
}
