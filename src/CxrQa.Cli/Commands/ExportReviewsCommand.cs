using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text;
using CxrQa.Cli.Output;
using CxrQa.Core.Data;
using CxrQa.Storage;
using CxrQa.Domain;

namespace CxrQa.Cli.Commands;

/// <summary>
/// <c>export-reviews --data-dir DIR [--postgres CONN] --out DIR [--overwrite]</c>: the reviewers' decisions as a
/// labelled folder (OUT/NORMAL, OUT/PNEUMONIA, manifest.csv) that <c>evaluate</c>, <c>train</c> and <c>calibrate</c>
/// read like any dataset. Films are copied byte for byte (DICOM stays DICOM: the dataset scanner sniffs it and the
/// decoder reads it). The data directory is only read: SQLite is opened read-only and nothing is migrated.
/// </summary>
public static class ExportReviewsCommand
{
    public const string ManifestFileName = "manifest.csv";
    public const string ManifestHeader = "case_id,label,file,origin,model_prediction,pneumonia_probability,decided_by,decided_at,input_sha256";

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "The server's data directory (cases/ and, without --postgres, cxrqa.db).", Required = true };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default CXRQA_POSTGRES; else SQLite in the data directory)." };
        var output = new Option<string>("--out") { Description = "Folder for NORMAL/, PNEUMONIA/ and manifest.csv; must be empty or new.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace NORMAL/, PNEUMONIA/ and manifest.csv of an earlier export in --out." };
        var command = new Command("export-reviews",
            "Export reviewed cases as a labelled folder (NORMAL/, PNEUMONIA/, manifest.csv) for evaluate, train and calibrate.")
        {
            dataDir, postgres, output, overwrite,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(dataDir)!, parse.GetValue(postgres), parse.GetValue(output)!,
            parse.GetValue(overwrite), ct));
        return command;
    }

    private static async Task<int> RunAsync(string dataDir, string? postgres, string outDir, bool overwrite, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        var data = Path.GetFullPath(dataDir);
        var output = Path.GetFullPath(outDir);
        var settings = DatabaseSettings.Resolve(data, postgres) with { ReadOnly = true };
        if (!Directory.Exists(data))
            return Fail(err, ExitCodes.Setup, $"data directory '{data}' does not exist");
        if (settings.PostgresConnectionString is null && !File.Exists(Path.Combine(data, DatabaseSettings.SqliteFileName)))
            return Fail(err, ExitCodes.Setup, $"'{data}' holds no {DatabaseSettings.SqliteFileName}; pass the server's data directory, or --postgres");
        if (IsInside(output, data))
            return Fail(err, ExitCodes.Usage, "--out must be outside the data directory (the export never writes there)");
        var database = new CxrQaDatabase(settings);
        IReadOnlyList<ReviewWithCase> decided;
        try
        {
            if (!(await SchemaMigrations.AppliedAsync(database, ct)).Contains(3))
                return Fail(err, ExitCodes.Setup, $"{database.Description} has no review queue yet (schema before migration 3): start the server once");
            decided = await new SqlReviewStore(database).DecidedAsync(ct);
        }
        catch (DbException e)
        {
            return Fail(err, ExitCodes.Setup, $"could not read the reviews from {database.Description}: {e.Message}");
        }
        if (PrepareOutput(output, overwrite) is { } problem)
            return Fail(err, ExitCodes.Usage, problem);

        var result = new ExportCounts();
        var manifest = new StringBuilder(ManifestHeader).Append('\n');
        var casesRoot = Path.Combine(data, "cases");
        await StandardStreams.WithProgressAsync(err, "exporting reviews", decided.Count, async advance =>
        {
            foreach (var item in decided)
            {
                await ExportOneAsync(item, casesRoot, output, manifest, result, err, ct);
                advance();
            }
        });
        await File.WriteAllTextAsync(Path.Combine(output, ManifestFileName), manifest.ToString(), ct);

        StandardStreams.Info(err, $"exported {result.Normal + result.Pneumonia} reviewed film(s) ({result.Normal} normal, {result.Pneumonia} pneumonia); " +
                                  $"skipped {result.Unreadable} unreadable; {result.Missing} missing -> {output}");
        return result.Missing > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }

    private static async Task ExportOneAsync(ReviewWithCase item, string casesRoot, string output, StringBuilder manifest,
        ExportCounts counts, Spectre.Console.IAnsiConsole err, CancellationToken ct)
    {
        var (review, record) = (item.Review, item.Case);
        int label;
        switch (review.Label)
        {
            case ReviewLabels.Normal:
                label = BinaryLabel.Normal;
                break;
            case ReviewLabels.Pneumonia:
                label = BinaryLabel.Pneumonia;
                break;
            default:
                counts.Unreadable++;
                return;
        }
        // Ids and file names come from the database; they are checked before they become paths all the same.
        if (!IsCaseId(record.Id) || record.FilmFile.IndexOfAny(['/', '\\']) >= 0 || record.FilmFile.StartsWith('.'))
        {
            StandardStreams.Warning(err, $"case {record.Id}: unexpected stored file reference, skipped");
            counts.Missing++;
            return;
        }
        var source = Path.Combine(casesRoot, record.Id, record.FilmFile);
        if (!File.Exists(source))
        {
            StandardStreams.Warning(err, $"case {record.Id}: film file missing under {casesRoot}, skipped");
            counts.Missing++;
            return;
        }
        var folder = BinaryLabel.FolderName(label);
        var relative = $"{folder}/{record.Id}{Path.GetExtension(record.FilmFile)}";
        await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous))
        await using (var to = new FileStream(Path.Combine(output, relative), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            await from.CopyToAsync(to, ct);
        if (label == BinaryLabel.Normal) counts.Normal++; else counts.Pneumonia++;
        manifest.AppendJoin(',', [
            record.Id, review.Label, relative, review.Origin, record.Prediction.Name(),
            record.PneumoniaProbability.ToString("R", CultureInfo.InvariantCulture), Csv(review.DecidedBy ?? ""),
            review.DecidedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "", record.InputSha256,
        ]).Append('\n');
    }

    /// <summary>Null when the folder is ready (new, empty, or cleared of an earlier export with --overwrite).</summary>
    private static string? PrepareOutput(string output, bool overwrite)
    {
        var normal = Path.Combine(output, BinaryLabel.FolderName(BinaryLabel.Normal));
        var pneumonia = Path.Combine(output, BinaryLabel.FolderName(BinaryLabel.Pneumonia));
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            if (!overwrite)
                return $"'{output}' is not empty; choose a new folder or pass --overwrite to replace an earlier export";
            // Only what an export writes is removed: a mistyped --out never loses unrelated files.
            var foreign = Directory.EnumerateFileSystemEntries(output)
                .Where(e => e != normal && e != pneumonia && e != Path.Combine(output, ManifestFileName)).ToList();
            if (foreign.Count > 0)
                return $"'{output}' holds files that are not an export's ({Path.GetFileName(foreign[0])}, ...); --overwrite only replaces an earlier export";
            foreach (var dir in new[] { normal, pneumonia })
                if (Directory.Exists(dir))
                    Directory.Delete(dir, recursive: true);
            File.Delete(Path.Combine(output, ManifestFileName));
        }
        Directory.CreateDirectory(normal);
        Directory.CreateDirectory(pneumonia);
        return null;
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || !(relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    private static bool IsCaseId(string id) => id.Length == 32 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    private static int Fail(Spectre.Console.IAnsiConsole err, int code, string message)
    {
        StandardStreams.Error(err, message);
        return code;
    }

    private sealed class ExportCounts
    {
        public int Normal;
        public int Pneumonia;
        public int Unreadable;
        public int Missing;
    }
}
