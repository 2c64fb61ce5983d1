namespace CxrQa.Core.Errors;

/// <summary>
/// A failure the caller can act on: a stable machine-readable <see cref="Code"/> (see <see cref="ErrorCodes"/>)
/// and a message for a person. The CLI maps it to a JSON error line, the server to problem+json.
/// </summary>
public class CxrQaException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
