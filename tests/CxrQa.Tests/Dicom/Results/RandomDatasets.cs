using System.Globalization;
using CxrQa.Core.Dicom;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>Random data sets for the writer's property tests: every VR the writer knows, valid values (the writer
/// refuses invalid strings), odd and even lengths, multi-valued strings, non-ASCII text and nested sequences.</summary>
internal static class RandomDatasets
{
    private static readonly string[] Vrs =
    [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    ];

    public static WritableDataset Create(Random r, int depth = 0)
    {
        var ds = new WritableDataset();
        var count = r.Next(0, depth == 0 ? 24 : 6);
        for (var i = 0; i < count; i++)
        {
            // Even groups 0008..7FDE: not file meta, not delimiters, and before Pixel Data (where our reader stops).
            var tag = new DicomTag((ushort)(r.Next(4, 0x3FF0) * 2), (ushort)r.Next(0, 0x10000));
            var vr = Vrs[r.Next(Vrs.Length)];
            if (vr == "SQ")
            {
                var items = depth >= 3 ? [] : Enumerable.Range(0, r.Next(0, 4)).Select(_ => Create(r, depth + 1)).ToList();
                ds.Sequence(tag, items);
            }
            else if (ValueRepresentation.IsString(vr))
            {
                var values = r.Next(4) == 0 ? [] : ValueRepresentation.IsMultiValuedString(vr)
                    ? Enumerable.Range(0, r.Next(1, 4)).Select(_ => Value(r, vr)).ToArray()
                    : [Value(r, vr)];
                ds.Text(tag, vr, values);
            }
            else
            {
                ds.Bytes(tag, vr, Binary(r, vr));
            }
        }
        return ds;
    }

    private static byte[] Binary(Random r, string vr)
    {
        var unit = vr switch
        {
            "OB" or "UN" => 1,
            "OW" or "SS" or "US" => 2,
            "AT" or "FL" or "OF" or "OL" or "SL" or "UL" => 4,
            _ => 8,
        };
        var bytes = new byte[unit * r.Next(0, 12)];
        r.NextBytes(bytes);
        return bytes;
    }

    private static string Value(Random r, string vr) => vr switch
    {
        "AE" => Chars(r, "ABCXYZ_0123 -", 1, 16).Trim() is { Length: > 0 } ae ? ae : "AE",
        "AS" => $"{r.Next(1000):D3}{"DWMY"[r.Next(4)]}",
        "CS" => Chars(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ", 0, 16),
        "DA" => new DateTime(1900, 1, 1).AddDays(r.Next(0, 60000)).ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        "DS" => Math.Round(r.NextDouble() * 2000 - 1000, r.Next(0, 6)).ToString("0.#####", CultureInfo.InvariantCulture),
        "DT" => new DateTime(2000, 1, 1).AddSeconds(r.Next()).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + (r.Next(2) == 0 ? "" : "+0100"),
        "IS" => r.Next(-100000, 100000).ToString(CultureInfo.InvariantCulture),
        "LO" or "UC" => Chars(r, "abc XYZ 09 éüß Ωж中-.,", 0, 64),
        "SH" => Chars(r, "abc XYZ 09 éü-", 0, 16),
        "LT" or "ST" or "UT" => Chars(r, "Line one\\two\r\n é中 ", 0, 200),
        "PN" => $"{Chars(r, "Family", 1, 10)}^{Chars(r, "Given", 0, 8)}" + (r.Next(3) == 0 ? "=山田^太郎" : ""),
        "TM" => $"{r.Next(24):D2}{r.Next(60):D2}{r.Next(60):D2}" + (r.Next(2) == 0 ? "" : $".{r.Next(1000000):D6}"[..r.Next(2, 8)]),
        "UI" => $"1.2.{r.Next(1, 1000)}.{r.Next(0, 100000)}" + (r.Next(2) == 0 ? ".0" : ""),
        "UR" => $"https://example.org/{Chars(r, "abc123", 0, 30)}",
        _ => throw new ArgumentOutOfRangeException(nameof(vr), vr, null),
    };

    private static string Chars(Random r, string alphabet, int min, int max)
    {
        var length = r.Next(min, max + 1);
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[r.Next(alphabet.Length)]).ToArray());
    }
}
