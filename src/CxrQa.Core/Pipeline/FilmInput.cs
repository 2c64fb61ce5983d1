namespace CxrQa.Core.Pipeline;

/// <summary>One film to screen: its bytes and a display name (a path for the CLI, an upload name for the server).</summary>
public sealed record FilmInput(string Name, ReadOnlyMemory<byte> Bytes);
