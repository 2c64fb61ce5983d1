using System.Net.Http.Headers;
using CxrQa.Server.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary><c>keys list</c> and <c>keys revoke</c> through the real CLI against a running server that requires keys:
/// a revoked key is refused from the next request on, and listing never prints a secret.</summary>
public sealed class KeyRevocationTests(RestrictedServerFixture fixture) : IClassFixture<RestrictedServerFixture>
{
    private static HttpRequestMessage Predict(byte[] film, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = Http.Raw(film, "image/jpeg") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Fact]
    public async Task A_revoked_key_gets_401_from_the_running_server()
    {
        var data = fixture.Server.DataDirectory;
        var key = await Cli.CreateKeyAsync(data, "submitter", "to-be-revoked");
        var other = await Cli.CreateKeyAsync(data, "submitter", "stays");
        var film = await File.ReadAllBytesAsync(Films.Normal);
        await Http.JsonAsync(await fixture.Server.Client.SendAsync(Predict(film, key)));

        var (listCode, listed, _) = await Cli.RunAsync("keys", "list", "--data-dir", data);
        Assert.Equal(0, listCode);
        Assert.Contains("to-be-revoked", listed);
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain(other, listed);

        var (code, stdout, stderr) = await Cli.RunAsync("keys", "revoke", "--name", "to-be-revoked", "--data-dir", data);
        Assert.True(code == 0, $"keys revoke failed ({code}): {stdout}\n{stderr}");

        await Http.ProblemAsync(await fixture.Server.Client.SendAsync(Predict(film, key)), 401, "invalid_api_key");
        await Http.JsonAsync(await fixture.Server.Client.SendAsync(Predict(film, other)));

        var (again, _, _) = await Cli.RunAsync("keys", "revoke", "--name", "to-be-revoked", "--data-dir", data);
        Assert.Equal(3, again);
        var (after, listedAfter, _) = await Cli.RunAsync("keys", "list", "--data-dir", data);
        Assert.Equal(0, after);
        Assert.Matches(@"submitter\s+revoked\s+\S+ \S+\s+-\s+to-be-revoked", listedAfter);
    }

    [Fact]
    public async Task The_server_binary_manages_keys_in_the_database_its_configuration_names()
    {
        // What a container does: no CLI, no --data-dir; the server's own configuration (CxrQa__DataDirectory) decides.
        var env = new Dictionary<string, string> { ["CxrQa__DataDirectory"] = fixture.Server.DataDirectory };
        var (code, stdout, stderr) = await Cli.RunServerBinaryAsync(env, "keys", "create", "--role", "submitter", "--name", "container-key");
        Assert.True(code == 0, $"server keys create failed ({code}): {stdout}\n{stderr}");
        var key = stdout.TrimEnd().Split('\n')[^1].Trim();
        var film = await File.ReadAllBytesAsync(Films.Normal);
        await Http.JsonAsync(await fixture.Server.Client.SendAsync(Predict(film, key)));

        var (listCode, listed, _) = await Cli.RunServerBinaryAsync(env, "keys", "list");
        Assert.Equal(0, listCode);
        Assert.Contains("container-key", listed);
        Assert.DoesNotContain(key, listed);
        Assert.Equal(0, (await Cli.RunServerBinaryAsync(env, "keys", "revoke", "--name", "container-key")).ExitCode);
        await Http.ProblemAsync(await fixture.Server.Client.SendAsync(Predict(film, key)), 401, "invalid_api_key");

        // The same parser as the CLI: a bad role is a usage error, not a key.
        Assert.Equal(1, (await Cli.RunServerBinaryAsync(env, "keys", "create", "--role", "root", "--name", "x")).ExitCode);
    }

    [Fact]
    public async Task Revoke_by_id_and_usage_errors()
    {
        var data = fixture.Server.DataDirectory;
        var key = await Cli.CreateKeyAsync(data, "reviewer", "by-id");
        var (_, listed, _) = await Cli.RunAsync("keys", "list", "--data-dir", data);
        var id = listed.Split('\n').Single(l => l.TrimEnd().EndsWith(" by-id", StringComparison.Ordinal)).Split(' ')[0];

        Assert.Equal(1, (await Cli.RunAsync("keys", "revoke", "--data-dir", data)).ExitCode);
        Assert.Equal(1, (await Cli.RunAsync("keys", "revoke", "--id", id, "--name", "by-id", "--data-dir", data)).ExitCode);
        Assert.Equal(3, (await Cli.RunAsync("keys", "revoke", "--id", "0123", "--data-dir", data)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("keys", "revoke", "--id", id, "--data-dir", data)).ExitCode);

        using var read = new HttpRequestMessage(HttpMethod.Get, "/cases/00000000000000000000000000000000");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await Http.ProblemAsync(await fixture.Server.Client.SendAsync(read), 401, "invalid_api_key");
    }
}
