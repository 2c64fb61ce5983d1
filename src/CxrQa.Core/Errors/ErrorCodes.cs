namespace CxrQa.Core.Errors;

/// <summary>Stable error codes. Clients match on these strings, so never rename one.</summary>
public static class ErrorCodes
{
    public const string EmptyFile = "empty_file";
    public const string FileTooLarge = "file_too_large";
    public const string UnsupportedFormat = "unsupported_format";
    public const string CorruptImage = "corrupt_image";
    public const string TruncatedImage = "truncated_image";
    public const string ImageTooLarge = "image_too_large";
    public const string DicomMalformed = "dicom_malformed";
    public const string DicomNoPixelData = "dicom_no_pixel_data";
    public const string UnsupportedTransferSyntax = "unsupported_transfer_syntax";
    public const string UnsupportedPhotometric = "unsupported_photometric_interpretation";
    public const string UnsupportedPixelFormat = "unsupported_pixel_format";
    public const string FileNotFound = "file_not_found";
    public const string FileUnreadable = "file_unreadable";
    public const string ModelInvalid = "model_invalid";
}
