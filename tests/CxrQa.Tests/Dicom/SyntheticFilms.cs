namespace CxrQa.Tests.Dicom;

/// <summary>Small synthetic films with hand-computed expected output, built with <see cref="DicomTestWriter"/>.</summary>
public static class SyntheticFilms
{
    /// <summary>A patient name planted in every synthetic file: it must never appear in a message or in the facts.</summary>
    public const string PatientName = "SECRET^PATIENT";

    /// <summary>Stored 12-bit signed values of <see cref="Signed16WithRescaleAndWindow"/> (4 columns x 3 rows).</summary>
    public static readonly int[] SignedStored = [-2048, -100, -1, 0, 1, 50, 100, 150, 200, 500, 1000, 2047];

    /// <summary>Expected gray: modality 2v-100, then window C=100 W=401 (PS3.3 C.11.2.1.2.1), computed by hand:
    /// lower edge -100.5, upper edge 299.5, y = ((x - 99.5) / 400 + 0.5) * 255 in between.</summary>
    public static readonly byte[] SignedExpected = [0, 0, 0, 0, 2, 64, 128, 192, 255, 255, 255, 255];

    /// <summary>Header elements before the pixel module, with both kinds of sequence (nested, undefined and defined
    /// length) so the parser has to skip them correctly.</summary>
    public static DicomTestWriter Header(TestSyntax syntax) => new DicomTestWriter(syntax)
        .String(0x0008, 0x0060, "CS", "CR")
        .UndefinedSequence(0x0008, 0x1140,
            item => item.String(0x0008, 0x1150, "UI", "1.2.840.10008.5.1.4.1.1.1")
                .UndefinedSequence(0x0008, 0x9215, inner => inner.String(0x0008, 0x0100, "SH", "X")),
            item => item.String(0x0008, 0x1155, "UI", "1.2.3.4"))
        .String(0x0010, 0x0010, "PN", PatientName)
        .String(0x0018, 0x0015, "CS", "CHEST")
        .DefinedSequence(0x0018, 0x9346, item => item.String(0x0008, 0x0100, "SH", "Y"))
        .String(0x0018, 0x5101, "CS", "PA");

    public static DicomTestWriter Signed16WithRescaleAndWindow(TestSyntax syntax)
    {
        var w = Header(syntax).PixelModule(rows: 3, columns: 4, bitsAllocated: 16, bitsStored: 12, signed: true)
            .String(0x0028, 0x1050, "DS", "100\\40")
            .String(0x0028, 0x1051, "DS", "401\\80")
            .String(0x0028, 0x1052, "DS", "-100")
            .String(0x0028, 0x1053, "DS", "2");
        // 12 bits stored in 16: set the unused high bits to garbage (as overlays once did) to prove they are masked.
        return w.Element(0x7FE0, 0x0010, "OW", w.Words(SignedStored.Select(v => (v & 0x0FFF) | 0xA000)));
    }

    /// <summary>8-bit MONOCHROME1 without a window: min-max stretch then inversion.</summary>
    public static readonly byte[] Mono1Stored = [10, 12, 14, 16, 18, 20];

    public static readonly byte[] Mono1Expected = [255, 204, 153, 102, 51, 0];

    public static DicomTestWriter EightBitMonochrome1(TestSyntax syntax) =>
        Header(syntax).PixelModule(rows: 2, columns: 3, bitsAllocated: 8, bitsStored: 8, signed: false, photometric: "MONOCHROME1")
            .Element(0x7FE0, 0x0010, "OB", Mono1Stored);
}
