using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Dicom;

/// <summary>The shared real DICOM files and readers configured with and without the gdcmconv fallback.</summary>
internal static class DicomFiles
{
    /// <summary>xunit collection of the test classes that run gdcmconv (and create its temp files).</summary>
    public const string ExternalToolCollection = "DICOM external tool";

    public const string SiimJpeg = "1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819.dcm";
    public const string NihDx = "1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888.dcm";

    public static readonly string[] Chest = [SiimJpeg, NihDx, "CR-MONO1-10-chest", "Fake_MONOHR1.dcm", "RG1_J2KI.dcm"];

    public static readonly string[] Other =
    [
        "CR-ModalitySequenceLUT.dcm", "D_CLUNIE_CT1_RLE_FRAGS.dcm",
        "GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm", "MR2_UNCI.dcm", "OT-PAL-8-face.dcm",
        "US1_UNCR.dcm", "ct.dcm", "mr.dcm",
    ];

    public static IEnumerable<(string Folder, string Name)> All =>
        Chest.Select(n => ("chest", n)).Concat(Other.Select(n => ("other", n)));

    public static byte[] Load(string folder, string name) => File.ReadAllBytes(TestData.Path("dicom", folder, name));

    public static byte[] Chest_(string name) => Load("chest", name);

    public static bool GdcmInstalled => File.Exists("/usr/bin/gdcmconv");

    public static DicomFilmReader WithGdcm { get; } = new(new DicomReaderOptions());

    public static DicomFilmReader WithoutGdcm { get; } = new(new DicomReaderOptions { GdcmconvPath = null });

    /// <summary>Decodes, or returns the typed error; any other exception escapes and fails the test.</summary>
    public static (DecodedFilm? Film, CxrQaException? Error) TryRead(DicomFilmReader reader, byte[] bytes, DecodeLimits? limits = null)
    {
        try
        {
            return (reader.Read(bytes, limits ?? DecodeLimits.Default), null);
        }
        catch (CxrQaException ex)
        {
            return (null, ex);
        }
    }
}
