namespace CxrQa.Core.Dicom;

/// <summary>How a dataset's elements are encoded on the wire: explicit or implicit VR, and byte order.</summary>
internal readonly record struct DatasetEncoding(bool ExplicitVr, bool BigEndian)
{
    public static readonly DatasetEncoding ImplicitLittle = new(false, false);
    public static readonly DatasetEncoding ExplicitLittle = new(true, false);
    public static readonly DatasetEncoding ExplicitBig = new(true, true);
}
