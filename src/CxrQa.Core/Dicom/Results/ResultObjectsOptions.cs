using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom.Results;

/// <summary>Who CxrQa says it is in the objects it writes, and the limits the source film's header is parsed under.</summary>
public sealed record ResultObjectsOptions
{
    /// <summary>Manufacturer of the device (General Equipment, Contributing Equipment, device observer).</summary>
    public string Manufacturer { get; init; } = "CxrQa";

    /// <summary>Manufacturer's Model Name of the device.</summary>
    public string ManufacturerModelName { get; init; } = "CxrQa chest X-ray pneumonia screen";

    /// <summary>Institution Name written in General Equipment; null writes none.</summary>
    public string? InstitutionName { get; init; }

    /// <summary>Limits the source film is parsed under (a deflated dataset is inflated within them).</summary>
    public DecodeLimits Limits { get; init; } = DecodeLimits.Default;
}
