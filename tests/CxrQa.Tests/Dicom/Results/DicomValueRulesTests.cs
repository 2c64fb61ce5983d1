using CxrQa.Core.Dicom;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>The per-VR validity rules that decide what may be copied from a film (PS3.5 6.2).</summary>
public sealed class DicomValueRulesTests
{
    [Theory]
    [InlineData("AS", "056Y")]
    [InlineData("AS", "012D")]
    [InlineData("DA", "20240229")]
    [InlineData("TM", "23")]
    [InlineData("TM", "2359")]
    [InlineData("TM", "235960")]
    [InlineData("TM", "101500.123456")]
    [InlineData("DT", "20261202170509+0000")]
    [InlineData("DS", "-1.5e3")]
    [InlineData("DS", " 42 ")]
    [InlineData("IS", "-12")]
    [InlineData("UI", "1.2.840.10008.1.2.1")]
    [InlineData("UI", "2.25.0")]
    [InlineData("CS", "ISO_IR 192")]
    [InlineData("PN", "Doe^John^^Dr^Jr=山田^太郎=やまだ^たろう")]
    [InlineData("LO", "Müller")]
    [InlineData("SH", "ABCDEFGHIJKLMNOP")]
    [InlineData("ST", "line\r\nwith \\ backslash")]
    public void ValidValues(string vr, string value) => Assert.True(DicomValueRules.IsValid(vr, value), $"{vr} '{value}'");

    [Theory]
    [InlineData("AS", "45Y")]
    [InlineData("AS", "045y")]
    [InlineData("DA", "2023-02-28")]
    [InlineData("DA", "20230229")]
    [InlineData("DA", "2023022")]
    [InlineData("TM", "24")]
    [InlineData("TM", "1260")]
    [InlineData("TM", "10:15")]
    [InlineData("TM", "1015.5")]
    [InlineData("TM", "101500\n")]
    [InlineData("DS", "1,5")]
    [InlineData("DS", "12345678901234567")]
    [InlineData("IS", "1.0")]
    [InlineData("IS", "99999999999")]
    [InlineData("UI", "1.02.3")]
    [InlineData("UI", "1..2")]
    [InlineData("UI", "1.2.")]
    [InlineData("UI", "1.2.3a")]
    [InlineData("CS", "lower")]
    [InlineData("CS", "SEVENTEEN_CHARS_X")]
    [InlineData("PN", "A^B^C^D^E^F")]
    [InlineData("PN", "A=B=C=D")]
    [InlineData("PN", "A\\B")]
    [InlineData("LO", "tab\there")]
    [InlineData("LO", "c1\u0085control")]
    [InlineData("SH", "ABCDEFGHIJKLMNOPQ")]
    [InlineData("DA", "２０２３０２２８")] // full-width digits are digits to .NET but not to DICOM
    public void InvalidValues(string vr, string value) => Assert.False(DicomValueRules.IsValid(vr, value), $"{vr} '{value}'");

    [Fact]
    public void APersonNameGroupIsLimitedTo64Characters()
    {
        Assert.True(DicomValueRules.IsValid("PN", new string('a', 64) + "=" + new string('b', 64)));
        Assert.False(DicomValueRules.IsValid("PN", new string('a', 65)));
    }
}
