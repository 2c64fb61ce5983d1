namespace CxrQa.Domain;

/// <summary>The model bundle that answered (its card's name and version), stored with every case.</summary>
public sealed record ModelIdentity(
    [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Name,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version);
