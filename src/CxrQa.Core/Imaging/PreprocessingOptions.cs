namespace CxrQa.Core.Imaging;

/// <summary>The one preprocessing recipe shared by training and serving. Recorded in every model card.</summary>
public sealed record PreprocessingOptions
{
    /// <summary>Side of the square network input. Films are squashed (not letterboxed) to it, as the training data was.</summary>
    public int InputSize { get; init; } = 224;
    public double ClaheClipLimit { get; init; } = 2.0;
    public int ClaheTiles { get; init; } = 8;
    public bool Clahe { get; init; } = true;

    public static PreprocessingOptions Default { get; } = new();
}
