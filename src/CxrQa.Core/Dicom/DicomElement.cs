namespace CxrQa.Core.Dicom;

/// <summary>Where one encapsulated pixel-data fragment lies in the parsed buffer.</summary>
internal readonly record struct Fragment(int Offset, int Length);

/// <summary>One parsed element: its tag, VR (<see cref="ValueRepresentation.Implicit"/> when not in the stream) and
/// where its value lies in the buffer. Values are not copied; they are read on demand from the buffer.</summary>
/// <param name="Offset">Start of the value in the dataset buffer.</param>
/// <param name="Length">Value length in bytes; 0 for undefined-length elements (see Items and Fragments).</param>
/// <param name="BigEndian">Byte order of this element's value (nested UN sequences are always little endian).</param>
/// <param name="Items">Items of a sequence, parsed; empty otherwise.</param>
/// <param name="Fragments">Fragments of encapsulated pixel data (the first is the Basic Offset Table); null when the
/// pixel data is native.</param>
internal sealed record DicomElement(
    DicomTag Tag,
    string Vr,
    int Offset,
    int Length,
    bool BigEndian,
    IReadOnlyList<DicomDataset> Items,
    IReadOnlyList<Fragment>? Fragments)
{
    public bool IsEncapsulated => Fragments is not null;

    /// <summary>Where the element's header starts in the buffer (the de-identifier copies elements whole).</summary>
    public int HeaderOffset { get; init; }

    /// <summary>Just past the element's last byte (after the delimiter of an undefined-length value).</summary>
    public int End { get; init; }
}
