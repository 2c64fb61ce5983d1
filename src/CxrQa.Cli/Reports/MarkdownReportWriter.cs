using System.Text;

namespace CxrQa.Cli.Reports;

/// <summary>Renders a <see cref="ReportDocument"/> as GitHub-flavoured Markdown (images by relative file name).</summary>
public static class MarkdownReportWriter
{
    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var md = new StringBuilder().Append("# ").Append(document.Title).Append("\n\n");
        foreach (var section in document.Sections)
        {
            md.Append("## ").Append(section.Heading).Append("\n\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case ReportParagraph p:
                        md.Append(p.Text).Append("\n\n");
                        break;
                    case ReportImage i:
                        md.Append("![").Append(i.Alt).Append("](").Append(i.File).Append(")\n\n");
                        break;
                    case ReportTable t:
                        md.Append("| ").AppendJoin(" | ", t.Header.Select(Cell)).Append(" |\n");
                        md.Append('|').AppendJoin('|', t.Header.Select(_ => "---")).Append("|\n");
                        foreach (var row in t.Rows)
                            md.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
                        md.Append('\n');
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(document), block.GetType().Name, "unknown report block");
                }
            }
        }
        return md.ToString();
    }

    // A pipe inside a cell would end it.
    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
