namespace CxrQa.Cli.Reports;

/// <summary>A report as structure, rendered to Markdown and HTML by separate writers so both say the same thing.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<ReportSection> Sections);

public sealed record ReportSection(string Heading, IReadOnlyList<ReportBlock> Blocks);

public abstract record ReportBlock;

/// <summary>Plain text; <c>**bold**</c> and <c>`code`</c> are the only markup, understood by both renderers.</summary>
public sealed record ReportParagraph(string Text) : ReportBlock;

public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

/// <summary>A PNG in the same folder as the report.</summary>
public sealed record ReportImage(string File, string Alt) : ReportBlock;
