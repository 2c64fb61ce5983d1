using CxrQa.Core.Data;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Data;

public class DatasetFileSnifferTests
{
    [Fact]
    public void Recognises_jpeg_png_and_dicom_by_their_bytes()
    {
        Assert.Equal(ImageFormat.Jpeg, DatasetFileSniffer.Sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        Assert.Equal(ImageFormat.Png, DatasetFileSniffer.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]));
        var dicom = new byte[200];
        "DICM"u8.CopyTo(dicom.AsSpan(128));
        Assert.Equal(ImageFormat.Dicom, DatasetFileSniffer.Sniff(dicom));
    }

    [Fact]
    public void Rejects_other_bytes()
    {
        Assert.Null(DatasetFileSniffer.Sniff([]));
        Assert.Null(DatasetFileSniffer.Sniff("hello, world"u8));
        Assert.Null(DatasetFileSniffer.Sniff([0xFF, 0xD8])); // too short to be a JPEG
        var almostDicom = new byte[131];
        "DIC"u8.CopyTo(almostDicom.AsSpan(128));
        Assert.Null(DatasetFileSniffer.Sniff(almostDicom));
        var dicmAtZero = new byte[200];
        "DICM"u8.CopyTo(dicmAtZero);
        Assert.Null(DatasetFileSniffer.Sniff(dicmAtZero));
    }
}
