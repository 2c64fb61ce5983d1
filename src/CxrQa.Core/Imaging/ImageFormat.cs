namespace CxrQa.Core.Imaging;

/// <summary>The container format, detected from the bytes (never from the file name).</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Dicom,
}
