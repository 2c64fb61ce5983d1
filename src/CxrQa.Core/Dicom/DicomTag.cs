namespace CxrQa.Core.Dicom;

/// <summary>A DICOM attribute tag (group, element). Packed as group &lt;&lt; 16 | element so it sorts in file order.</summary>
internal readonly partial record struct DicomTag(ushort Group, ushort Element)
{
    public uint Packed => ((uint)Group << 16) | Element;

    public override string ToString() => $"({Group:X4},{Element:X4})";

    // File meta
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    // Header facts
    public static readonly DicomTag Modality = new(0x0008, 0x0060);
    public static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);
    public static readonly DicomTag ViewPosition = new(0x0018, 0x5101);

    // Image pixel module
    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);
    public static readonly DicomTag PlanarConfiguration = new(0x0028, 0x0006);
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    public static readonly DicomTag Rows = new(0x0028, 0x0010);
    public static readonly DicomTag Columns = new(0x0028, 0x0011);
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);
    public static readonly DicomTag PixelPaddingValue = new(0x0028, 0x0120);

    // VOI and modality transforms
    public static readonly DicomTag WindowCenter = new(0x0028, 0x1050);
    public static readonly DicomTag WindowWidth = new(0x0028, 0x1051);
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);
    public static readonly DicomTag ModalityLutSequence = new(0x0028, 0x3000);
    public static readonly DicomTag LutDescriptor = new(0x0028, 0x3002);
    public static readonly DicomTag LutData = new(0x0028, 0x3006);

    // Palette colour
    public static readonly DicomTag RedPaletteDescriptor = new(0x0028, 0x1101);
    public static readonly DicomTag GreenPaletteDescriptor = new(0x0028, 0x1102);
    public static readonly DicomTag BluePaletteDescriptor = new(0x0028, 0x1103);
    public static readonly DicomTag RedPaletteData = new(0x0028, 0x1201);
    public static readonly DicomTag GreenPaletteData = new(0x0028, 0x1202);
    public static readonly DicomTag BluePaletteData = new(0x0028, 0x1203);

    // Pixel data and delimiters
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
    public static readonly DicomTag FloatPixelData = new(0x7FE0, 0x0008);
    public static readonly DicomTag DoubleFloatPixelData = new(0x7FE0, 0x0009);
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitation = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitation = new(0xFFFE, 0xE0DD);
}
