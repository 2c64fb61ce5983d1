using CxrQa.Storage;

namespace CxrQa.Server.Tests;

/// <summary>The one rule of team ownership (<see cref="TeamScope"/>), without a database.</summary>
public sealed class TeamScopeTests
{
    private static CaseRecord Of(string? team) => CaseStoreContract.Sample() with { SubmittedTeam = team };

    [Theory]
    [InlineData(ApiKeyRoles.Reviewer, "north", "north")]
    [InlineData(ApiKeyRoles.Reviewer, null, null)]
    [InlineData(ApiKeyRoles.Admin, "north", null)]
    [InlineData(ApiKeyRoles.Admin, null, null)]
    [InlineData(null, null, null)]
    public void A_reviewer_with_a_team_sees_only_it_everyone_else_every_team(string? role, string? keyTeam, string? seen) =>
        Assert.Equal(seen, TeamScope.ForKey(role, keyTeam).Team);

    [Fact]
    public void A_team_scope_includes_its_own_teams_cases_only_and_everyone_includes_all()
    {
        var north = TeamScope.Of("north");
        Assert.True(north.Includes(Of("north")));
        Assert.False(north.Includes(Of("south")));
        Assert.False(north.Includes(Of("North")));
        Assert.False(north.Includes(Of(null)));
        Assert.All(new[] { "north", "south", null }, t => Assert.True(TeamScope.Everyone.Includes(Of(t))));
        Assert.Equal("north", TeamScope.Of(" north ").Team);
        Assert.Throws<ArgumentException>(() => TeamScope.Of(""));
    }
}
