namespace CxrQa.Core.Imaging;

/// <summary>Allocation guards checked from headers before any pixel buffer is allocated.</summary>
public sealed record DecodeLimits
{
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;
    public long MaxPixels { get; init; } = 50_000_000;

    public static DecodeLimits Default { get; } = new();
}
