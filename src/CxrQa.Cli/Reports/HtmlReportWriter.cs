using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CxrQa.Cli.Reports;

/// <summary>
/// Renders a <see cref="ReportDocument"/> as one self-contained HTML page: inline CSS, no scripts, no external
/// resources; images are the PNG files beside the page, referenced by relative name.
/// </summary>
public static partial class HtmlReportWriter
{
    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.45}
        h1{font-size:1.6em;border-bottom:2px solid #334;padding-bottom:.3em}
        h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:1em 0;font-size:.92em}
        th,td{border:1px solid #ccd;padding:.3em .7em;text-align:left}
        th{background:#eef0f6}
        tr:nth-child(even) td{background:#fafbfd}
        img{max-width:100%;border:1px solid #dde;margin:.5em 0}
        code{background:#f2f2f5;padding:0 .25em}
        """;

    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encode(document.Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(document.Title)).Append("</h1>\n");
        foreach (var section in document.Sections)
        {
            html.Append("<h2>").Append(Encode(section.Heading)).Append("</h2>\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case ReportParagraph p:
                        html.Append("<p>").Append(Inline(p.Text)).Append("</p>\n");
                        break;
                    case ReportImage i:
                        html.Append("<img src=\"").Append(Encode(i.File)).Append("\" alt=\"").Append(Encode(i.Alt)).Append("\">\n");
                        break;
                    case ReportTable t:
                        html.Append("<table>\n<tr>");
                        foreach (var h in t.Header) html.Append("<th>").Append(Inline(h)).Append("</th>");
                        html.Append("</tr>\n");
                        foreach (var row in t.Rows)
                        {
                            html.Append("<tr>");
                            foreach (var c in row) html.Append("<td>").Append(Inline(c)).Append("</td>");
                            html.Append("</tr>\n");
                        }
                        html.Append("</table>\n");
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(document), block.GetType().Name, "unknown report block");
                }
            }
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Escapes first, then turns the two Markdown marks the report uses (bold, code) into tags.</summary>
    private static string Inline(string text)
    {
        var encoded = Encode(text);
        encoded = Bold().Replace(encoded, "<strong>$1</strong>");
        return Code().Replace(encoded, "<code>$1</code>");
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"`(.+?)`")]
    private static partial Regex Code();
}
