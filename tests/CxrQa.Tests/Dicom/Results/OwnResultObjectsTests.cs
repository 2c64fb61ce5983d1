using CxrQa.Core.Dicom.Results;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>Our report, overlay and verified report are recognised when they come back; the film they describe, a
/// film from another manufacturer's series 9702 and bytes that are not DICOM are not.</summary>
public sealed class OwnResultObjectsTests
{
    private static readonly ResultObjectsOptions Options = new() { InstitutionName = "Test Hospital" };

    [Fact]
    public void Every_object_the_builder_writes_is_recognised_as_ours()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var report = ResultFixtures.Routed();
        var objects = ResultFixtures.Builder.Build(film, report, ResultFixtures.Overlay(3, 5)).ToList();
        objects.Add(ResultFixtures.Builder.BuildVerifiedReport(film, report, ResultFixtures.Verification()));

        Assert.Equal(3, objects.Count);
        Assert.All(objects, o => Assert.True(OwnResultObjects.IsOwn(o.Part10, Options), $"{o.Kind} not recognised"));
    }

    [Fact]
    public void The_source_film_and_other_bytes_are_not_ours()
    {
        Assert.False(OwnResultObjects.IsOwn(ResultFixtures.SynthesisedFilm(), Options));
        var sameSeriesOtherMaker = ResultFixtures.SynthesisedFilm(overrides: new Dictionary<(ushort, ushort), (string, byte[]?)>
        {
            [(0x0008, 0x0070)] = ("LO", "ACME "u8.ToArray()),
            [(0x0020, 0x0011)] = ("IS", "9702"u8.ToArray()),
        });
        Assert.False(OwnResultObjects.IsOwn(sameSeriesOtherMaker, Options));
        Assert.False(OwnResultObjects.IsOwn("not a DICOM file"u8.ToArray(), Options));
        Assert.False(OwnResultObjects.IsOwn(ReadOnlyMemory<byte>.Empty, Options));
    }

    [Fact]
    public void A_film_from_our_manufacturer_in_another_series_is_not_a_result()
    {
        var film = ResultFixtures.SynthesisedFilm(overrides: new Dictionary<(ushort, ushort), (string, byte[]?)>
        {
            [(0x0008, 0x0070)] = ("LO", "CxrQa "u8.ToArray()),
            [(0x0020, 0x0011)] = ("IS", "1 "u8.ToArray()),
        });
        Assert.False(OwnResultObjects.IsOwn(film, Options));
    }
}
