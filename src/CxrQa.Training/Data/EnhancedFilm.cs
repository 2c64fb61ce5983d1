using CxrQa.Core.Data;

namespace CxrQa.Training.Data;

/// <summary>A training film decoded once and enhanced (squash-resize + CLAHE): Size x Size gray bytes in memory.</summary>
public sealed record EnhancedFilm(LabelledImage Image, byte[] Pixels)
{
    public int Label => Image.Label;
}

/// <summary>A film the loader could not decode, and why (it is left out of training).</summary>
public sealed record UnusableFilm(string RelativePath, string Code, string Message);
