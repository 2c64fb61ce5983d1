using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Dicom;

public sealed class DicomInstanceIdentityTests
{
    private const string DxChest = "1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888.dcm";

    [Fact]
    public void A_real_film_names_its_sop_class_instance_study_and_series()
    {
        var bytes = File.ReadAllBytes(TestData.Path("dicom", "chest", DxChest));
        var identity = DicomInstanceIdentity.TryRead(bytes, DecodeLimits.Default);
        Assert.NotNull(identity);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.7", identity.SopClassUid);
        Assert.Equal(Path.GetFileNameWithoutExtension(DxChest), identity.SopInstanceUid);
        Assert.Equal("1.3.6.1.4.1.11129.5.5.112507010803284478207522016832191866964708", identity.StudyInstanceUid);
        Assert.NotNull(identity.SeriesInstanceUid);
    }

    [Theory]
    [InlineData(TestSyntax.ExplicitLittle)]
    [InlineData(TestSyntax.ImplicitLittle)]
    [InlineData(TestSyntax.DeflatedExplicitLittle)]
    public void Every_syntax_is_read_and_padding_trimmed(TestSyntax syntax)
    {
        var file = new DicomTestWriter(syntax)
            .String(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.1")
            .String(0x0008, 0x0018, "UI", "1.2.3.4")
            .String(0x0020, 0x000D, "UI", "1.2.3")
            .ToFile();
        var identity = DicomInstanceIdentity.TryRead(file, DecodeLimits.Default);
        Assert.Equal(new DicomInstanceIdentity("1.2.840.10008.5.1.4.1.1.1", "1.2.3.4", "1.2.3", null), identity);
    }

    [Fact]
    public void Without_a_sop_instance_uid_there_is_no_identity()
    {
        var file = new DicomTestWriter(TestSyntax.ExplicitLittle).String(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.1").ToFile();
        Assert.Null(DicomInstanceIdentity.TryRead(file, DecodeLimits.Default));
    }

    [Fact]
    public void Not_dicom_empty_garbage_or_over_the_limit_is_null_never_an_exception()
    {
        Assert.Null(DicomInstanceIdentity.TryRead(ReadOnlyMemory<byte>.Empty, DecodeLimits.Default));
        Assert.Null(DicomInstanceIdentity.TryRead("hello, not dicom"u8.ToArray(), DecodeLimits.Default));
        var garbage = new byte[4096];
        new Random(3).NextBytes(garbage);
        Array.Clear(garbage, 0, 128);
        "DICM"u8.CopyTo(garbage.AsSpan(128));
        Assert.Null(DicomInstanceIdentity.TryRead(garbage, DecodeLimits.Default));
        var real = File.ReadAllBytes(TestData.Path("dicom", "chest", DxChest));
        Assert.Null(DicomInstanceIdentity.TryRead(real, DecodeLimits.Default with { MaxFileBytes = real.Length - 1 }));
    }
}
