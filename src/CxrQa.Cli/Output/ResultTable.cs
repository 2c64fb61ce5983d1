using Spectre.Console;

namespace CxrQa.Cli.Output;

public static class ResultTable
{
    public static void Write(IAnsiConsole console, IEnumerable<PredictionLine> lines)
    {
        var table = new Table().AddColumns("file", "prediction", "P(pneumonia)", "confidence", "status", "reasons");
        foreach (var l in lines)
        {
            if (l.Error is { } e)
                table.AddRow(Markup.Escape(l.File), "[red]error[/]", "", "", Markup.Escape(e.Code), Markup.Escape(e.Message));
            else
                table.AddRow(Markup.Escape(l.File), l.Prediction ?? "", $"{l.PneumoniaProbability:0.000}", $"{l.Confidence:0.000}",
                    l.Status == "automated" ? "[green]automated[/]" : "[yellow]pending_review[/]",
                    Markup.Escape(string.Join(", ", l.Reasons ?? [])));
        }
        console.Write(table);
    }
}
