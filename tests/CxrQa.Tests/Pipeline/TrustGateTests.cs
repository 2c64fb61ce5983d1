using CxrQa.Core.Imaging;
using CxrQa.Core.Routing;
using CxrQa.Tests.Support;
using CxrQa.Domain;

namespace CxrQa.Tests.Pipeline;

/// <summary>Nothing unlike a frontal chest film is ever answered automatically, and each gets a fitting reason.</summary>
public sealed class TrustGateTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    // low_confidence alone is not a fitting reason for an input that is not a usable chest film.
    private static readonly string[] InputReasons =
    [
        ReasonCodes.TooSmall, ReasonCodes.BlankOrSaturated, ReasonCodes.LowContrast, ReasonCodes.ColourImage,
        ReasonCodes.NotChestModality, ReasonCodes.LateralView, ReasonCodes.PossiblyInverted, ReasonCodes.OutOfDistribution,
    ];

    public static TheoryData<string> OtherDicomFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(TestData.Path("dicom", "other")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(OtherDicomFiles))]
    public void Non_chest_dicom_files_go_to_review_with_a_fitting_reason(string name)
    {
        var outcome = shipped.Screen(name, File.ReadAllBytes(TestData.Path("dicom", "other", name)));

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(CaseStatus.PendingReview, outcome.Result!.Decision.Status);
        Assert.Contains(outcome.Result.Decision.Reasons, InputReasons.Contains);
    }

    [Theory]
    [MemberData(nameof(OtherDicomFiles))]
    public void Non_chest_images_exported_without_their_dicom_header_still_go_to_review(string name)
    {
        // A CT slice, MR, ultrasound or photo arriving as a plain PNG/JPEG has no Modality to give it away: the pixels
        // alone (quality and OOD gates) must keep it from an automated answer.
        var film = shipped.Decoder.Decode(File.ReadAllBytes(TestData.Path("dicom", "other", name)), DecodeLimits.Default).Image;
        foreach (var (format, bytes) in new[] { ("png", TestImageEncoder.Png(film)), ("jpeg", TestImageEncoder.Jpeg(film, 90)) })
        {
            var outcome = shipped.Screen($"{name}.{format}", bytes);

            Assert.True(outcome.Succeeded, outcome.Error?.Message);
            Assert.Equal(CaseStatus.PendingReview, outcome.Result!.Decision.Status);
            Assert.Contains(outcome.Result.Decision.Reasons, InputReasons.Contains);
            Assert.DoesNotContain(ReasonCodes.NotChestModality, outcome.Result.Decision.Reasons);
        }
    }

    public static TheoryData<string> SyntheticInputs() => ["blank", "white", "noise", "gradient", "colour_photo", "inverted_film", "rotated_film", "tiny_film"];

    [Theory]
    [MemberData(nameof(SyntheticInputs))]
    public void Synthetic_and_altered_inputs_go_to_review_with_a_fitting_reason(string kind)
    {
        var outcome = shipped.Screen(kind, Make(kind));

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(CaseStatus.PendingReview, outcome.Result!.Decision.Status);
        Assert.Contains(outcome.Result.Decision.Reasons, InputReasons.Contains);
    }

    private byte[] Make(string kind) => kind switch
    {
        "blank" => TestImageEncoder.Png(SyntheticFilms.Blank(512, 512)),
        "white" => TestImageEncoder.Png(SyntheticFilms.Blank(512, 512, 255)),
        "noise" => TestImageEncoder.Png(SyntheticFilms.Noise(512, 512)),
        "gradient" => TestImageEncoder.Png(SyntheticFilms.Gradient(512, 512)),
        "colour_photo" => TestImageEncoder.Jpeg(SyntheticFilms.ColourPhoto(640, 480)),
        "inverted_film" => TestImageEncoder.Png(Map(RealFilm(), (x, y, f) => (byte)(255 - f[x, y]))),
        "rotated_film" => TestImageEncoder.Png(Map(RealFilm(), (x, y, f) => f[y, f.Width - 1 - x])),
        "tiny_film" => TestImageEncoder.Png(Shrink(RealFilm(), 4)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private GrayImage RealFilm()
    {
        var path = Directory.EnumerateFiles(TestData.Path("kermany-224", "train", "NORMAL")).Order(StringComparer.Ordinal).Skip(10).First();
        return shipped.Decoder.Decode(File.ReadAllBytes(path), DecodeLimits.Default).Image;
    }

    private static GrayImage Map(GrayImage film, Func<int, int, GrayImage, byte> pixel)
    {
        var pixels = new byte[film.Width * film.Height];
        for (var y = 0; y < film.Height; y++)
            for (var x = 0; x < film.Width; x++)
                pixels[y * film.Width + x] = pixel(x, y, film);
        return new GrayImage(film.Width, film.Height, pixels);
    }

    private static GrayImage Shrink(GrayImage film, int factor) => AreaResize.Resize(film, film.Width / factor, film.Height / factor);
}
