using CxrQa.Core.Data;

namespace CxrQa.Tests.Data;

public class PatientIdParserTests
{
    [Theory]
    [InlineData("person1000_bacteria_2931.jpeg", "person:1000")]
    [InlineData("person1_virus_6.jpeg", "person:1")]
    [InlineData("person447_virus_921_1.jpeg", "person:447")]
    [InlineData("PNEUMONIA/person12_bacteria_48.jpeg", "person:12")]
    [InlineData("PERSON7_Virus_3.JPG", "person:7")]
    [InlineData("IM-0115-0001.jpeg", "im:0115")]
    [InlineData("IM-0429-0001-0002.jpeg", "im:0429")]
    [InlineData("NORMAL/IM-0012-0001.jpeg", "im:0012")]
    [InlineData("NORMAL2-IM-0395-0001.jpeg", "normal2:0395")]
    [InlineData("NORMAL2-IM-0395-0001-0002.jpeg", "normal2:0395")]
    [InlineData(@"NORMAL\sub\NORMAL2-IM-1427-0001.jpeg", "normal2:1427")]
    public void Known_schemes_give_the_patient(string name, string expected) =>
        Assert.Equal(expected, PatientIdParser.Parse(name));

    [Theory]
    [InlineData("scan.png", "file:scan")]
    [InlineData("chest.film.dcm", "file:chest.film")]
    [InlineData("noextension", "file:noextension")]
    [InlineData("NORMAL/a/scan.png", "file:NORMAL/a/scan")]
    [InlineData(@"NORMAL\b\scan.png", "file:NORMAL/b/scan")]
    [InlineData("person_bacteria_1.jpeg", "file:person_bacteria_1")] // no patient number
    [InlineData("IM-0115.jpeg", "file:IM-0115")]                       // no image number
    [InlineData("xperson1_virus_2.jpeg", "file:xperson1_virus_2")]
    [InlineData("NORMAL3-IM-0001-0001.jpeg", "file:NORMAL3-IM-0001-0001")]
    [InlineData("dir.v2/scan", "file:dir.v2/scan")]
    public void Anything_else_is_its_own_patient(string name, string expected) =>
        Assert.Equal(expected, PatientIdParser.Parse(name));

    [Fact]
    public void The_three_schemes_never_share_an_id()
    {
        var ids = new[] { "person12_virus_1.jpeg", "IM-0012-0001.jpeg", "NORMAL2-IM-0012-0001.jpeg", "12.jpeg" }
            .Select(PatientIdParser.Parse).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Unknown_files_with_one_stem_in_two_folders_are_two_patients() =>
        Assert.NotEqual(PatientIdParser.Parse("NORMAL/a/x.jpeg"), PatientIdParser.Parse("NORMAL/b/x.jpeg"));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_names_are_rejected(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => PatientIdParser.Parse(name));
}
