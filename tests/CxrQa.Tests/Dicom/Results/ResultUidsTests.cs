using System.Numerics;
using CxrQa.Core.Dicom.Results;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>UIDs derived from the case: valid, stable across builds, distinct per case and kind, so a retry never
/// duplicates an object.</summary>
public sealed class ResultUidsTests
{
    [Fact]
    public void UidsAreValidUuidDerivedUidsOfAtMost64Characters()
    {
        for (var i = 0; i < 2000; i++)
        {
            var caseId = $"{i:x32}";
            foreach (var kind in Enum.GetValues<ResultObjectKind>())
            {
                foreach (var uid in new[] { ResultUids.SopInstance(caseId, kind), ResultUids.Series(caseId, kind) })
                {
                    Assert.StartsWith("2.25.", uid);
                    Assert.InRange(uid.Length, 6, 44);
                    var number = uid["2.25.".Length..];
                    Assert.True(number == "0" || number[0] != '0', uid);
                    Assert.True(BigInteger.Parse(number) < BigInteger.One << 128, uid);
                }
            }
        }
    }

    [Fact]
    public void UidsDependOnlyOnCaseAndKind()
    {
        Assert.Equal(ResultUids.SopInstance("abc", ResultObjectKind.ScreeningReport), ResultUids.SopInstance("abc", ResultObjectKind.ScreeningReport));
        // Fixed expectation (python3: hashlib.sha256(b"cxrqa/abc/screening-report").digest()[:16] as a big-endian
        // integer): the derivation must never change, or objects already sent would be sent again as new ones.
        Assert.Equal("2.25.132615046650279498491499367867219025200", ResultUids.SopInstance("abc", ResultObjectKind.ScreeningReport));

        var all = new HashSet<string>();
        foreach (var caseId in new[] { "a", "b", ResultFixtures.CaseId })
            foreach (var kind in Enum.GetValues<ResultObjectKind>())
            {
                Assert.True(all.Add(ResultUids.SopInstance(caseId, kind)));
                Assert.True(all.Add(ResultUids.Series(caseId, kind)));
            }
        Assert.True(all.Add(ResultUids.FallbackStudy("a")));
    }

    [Fact]
    public void RebuildingACaseGivesByteIdenticalObjects()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var first = ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), ResultFixtures.Overlay(5, 3));
        var again = new ResultObjectsBuilder(ResultFixtures.Builder.Options).Build(film, ResultFixtures.Routed(), ResultFixtures.Overlay(5, 3));

        Assert.Equal(2, first.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].SopInstanceUid, again[i].SopInstanceUid);
            Assert.Equal(first[i].SeriesInstanceUid, again[i].SeriesInstanceUid);
            Assert.Equal(first[i].Part10, again[i].Part10);
        }
        var verified = ResultFixtures.Builder.BuildVerifiedReport(film, ResultFixtures.Routed(), ResultFixtures.Verification());
        Assert.Equal(verified.Part10, ResultFixtures.Builder.BuildVerifiedReport(film, ResultFixtures.Routed(), ResultFixtures.Verification()).Part10);
    }

    [Fact]
    public void ObjectsJoinTheFilmsStudyEachKindInItsOwnSeries()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var objects = ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), ResultFixtures.Overlay(5, 3)).ToList();
        objects.Add(ResultFixtures.Builder.BuildVerifiedReport(film, ResultFixtures.Routed(), ResultFixtures.Verification()));

        Assert.Equal([ResultObjectKind.ScreeningReport, ResultObjectKind.HeatmapOverlay, ResultObjectKind.VerifiedReport], objects.Select(o => o.Kind));
        Assert.All(objects, o => Assert.Equal("1.2.826.0.1.3680043.8.498.2", o.StudyInstanceUid));
        Assert.Equal(3, objects.Select(o => o.SeriesInstanceUid).Distinct().Count());
        Assert.DoesNotContain("1.2.826.0.1.3680043.8.498.3", objects.Select(o => o.SeriesInstanceUid)); // not the film's series
        Assert.Equal(["1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.88.33"], objects.Select(o => o.SopClassUid));
        Assert.All(objects, o => Assert.Equal(ResultUids.SopInstance(ResultFixtures.CaseId, o.Kind), o.SopInstanceUid));
    }

    [Fact]
    public void AFilmWithoutAValidStudyUidGetsAStudyDerivedFromTheCase()
    {
        var film = ResultFixtures.SynthesisedFilm(overrides: ResultFixtures.Set(0x0020, 0x000D, "UI", "1.2.03.4"));
        var report = ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), null).Single();
        Assert.Equal(ResultUids.FallbackStudy(ResultFixtures.CaseId), report.StudyInstanceUid);
        // The film is not in that study, so the report does not claim it as evidence there.
        var ds = Core.Dicom.Part10File.Parse(report.Part10, Core.Imaging.DecodeLimits.Default).Dataset;
        Assert.False(ds.Contains(Core.Dicom.DicomTag.CurrentRequestedProcedureEvidenceSequence));
    }
}
