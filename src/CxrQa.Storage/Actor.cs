namespace CxrQa.Storage;

/// <summary>Who made a change, as the audit trails record it: the API key's name (shown in answers; claims compare
/// it, which is sound because key names are unique) and the key's id (null for a request without a key under the
/// open loopback policy, and for the service itself). <paramref name="Team"/>: the key's team (null: none), which a case
/// it submits records (<see cref="TeamScope"/>).</summary>
public sealed record Actor(string Name, string? KeyId, string? Team = null)
{
    /// <summary>A request that came without a key where none was required.</summary>
    public static Actor Anonymous { get; } = new("anonymous", null);

    public static Actor Of(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Name, key.Id, key.Team);
    }
}
