using CxrQa.Core.Data;

namespace CxrQa.Training.Data;

/// <summary>A training film decoded once and enhanced (squash-resize + CLAHE): Size x Size gray bytes in memory.
/// <paramref name="Resized"/> keeps the same film before CLAHE (framing crops are enhanced after cropping); null when
/// only the enhanced film is known.</summary>
public sealed record EnhancedFilm(LabelledImage Image, byte[] Pixels, byte[]? Resized = null)
{
    public int Label => Image.Label;
}

/// <summary>A film the loader could not decode, and why (it is left out of training).</summary>
public sealed record UnusableFilm(string RelativePath, string Code, string Message);
