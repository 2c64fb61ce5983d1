using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrQa.Cli.Output;
using CxrQa.Core.Monitoring;
using CxrQa.Core.Routing;
using CxrQa.Storage;
using CxrQa.Domain;

namespace CxrQa.Cli.Commands;

/// <summary>
/// <c>recalibrate --data-dir DIR [--postgres CONN] --model DIR --out DIR</c>: recertifies a bundle at a site from the
/// site's own reviewed films (<see cref="SiteRecertification"/>) and writes a new bundle version whose card says which
/// site data certified it. The server's database is only read. Serving the new bundle starts the site's monitors over
/// (a new reference), which is how a recertification lifts a pause.
/// </summary>
public static class RecalibrateCommand
{
    /// <summary>Films needed before the site's stream replaces the calibration split as the drift reference (the
    /// reference's tail quantiles need a few hundred films to be estimated well).</summary>
    public const int MinimumReferenceFilms = 300;

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "The server's data directory (cxrqa.db unless --postgres).", Required = true };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default CXRQA_POSTGRES; else SQLite in the data directory)." };
        var model = new Option<string>("--model") { Description = "The bundle the site has been serving (its name and version select the cases).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the recertified bundle; must be new or empty.", Required = true };
        var site = new Option<string>("--site") { Description = "Name of the site, recorded in the card.", DefaultValueFactory = _ => "default" };
        var alphaNormal = new Option<double?>("--alpha-normal") { Description = "Promised error of automated Normal answers (default: the card's)." };
        var alphaPneumonia = new Option<double?>("--alpha-pneumonia") { Description = "Promised error of automated Pneumonia answers (default: the card's)." };
        var delta = new Option<double?>("--delta") { Description = "Probability that a class's promise itself fails (default: the card's delta)." };
        var command = new Command("recalibrate",
            "Recertify a bundle's per-class thresholds from a site's reviewed films and write a new bundle version.")
        {
            dataDir, postgres, model, output, site, alphaNormal, alphaPneumonia, delta,
        };
        command.SetAction((parse, ct) => RunAsync(new Request(parse.GetValue(dataDir)!, parse.GetValue(postgres), parse.GetValue(model)!,
            parse.GetValue(output)!, parse.GetValue(site)!, parse.GetValue(alphaNormal), parse.GetValue(alphaPneumonia), parse.GetValue(delta)), ct));
        return command;
    }

    private sealed record Request(string DataDir, string? Postgres, string Model, string Out, string Site, double? AlphaNormal,
        double? AlphaPneumonia, double? Delta);

    private static async Task<int> RunAsync(Request request, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        var modelDir = Path.GetFullPath(request.Model);
        var cardPath = Path.Combine(modelDir, "model.json");
        if (!File.Exists(cardPath))
            return Fail(err, ExitCodes.Setup, $"'{modelDir}' holds no model.json");
        var card = JsonNode.Parse(await File.ReadAllTextAsync(cardPath, ct))!.AsObject();
        var name = card["name"]!.GetValue<string>();
        var version = card["version"]!.GetValue<string>();
        var risk = card["decision_policy"]?["risk_control"];
        var alphaN = request.AlphaNormal ?? risk?["normal"]?["alpha"]?.GetValue<double>() ?? 0.01;
        var alphaP = request.AlphaPneumonia ?? risk?["pneumonia"]?["alpha"]?.GetValue<double>() ?? 0.02;
        var delta = request.Delta ?? risk?["delta"]?.GetValue<double>() ?? 0.05;
        if (!(alphaN is > 0 and < 1) || !(alphaP is > 0 and < 1) || !(delta is > 0 and < 1))
            return Fail(err, ExitCodes.Usage, "alphas and delta must lie in (0, 1)");
        var output = Path.GetFullPath(request.Out);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            return Fail(err, ExitCodes.Usage, $"--out '{output}' is not empty");

        var settings = DatabaseSettings.Resolve(Path.GetFullPath(request.DataDir), request.Postgres) with { ReadOnly = true };
        if (settings.PostgresConnectionString is null && !File.Exists(Path.Combine(settings.DataDirectory, DatabaseSettings.SqliteFileName)))
            return Fail(err, ExitCodes.Setup, $"'{settings.DataDirectory}' holds no {DatabaseSettings.SqliteFileName}; pass the server's data directory, or --postgres");
        var database = new CxrQaDatabase(settings);
        IReadOnlyList<SiteCaseRow> rows;
        try
        {
            if (!(await SchemaMigrations.AppliedAsync(database, ct)).Contains(3))
                return Fail(err, ExitCodes.Setup, $"{database.Description} has no review queue yet (schema before migration 3): start the server once");
            rows = await new SiteEvidence(database).CasesAsync(name, version, ct);
        }
        catch (DbException e)
        {
            return Fail(err, ExitCodes.Setup, $"could not read the cases from {database.Description}: {e.Message}");
        }

        var films = rows.Select(Film).OfType<SiteFilm>().ToList();
        var normal = SiteRecertification.CertifyClass(films, ScreeningClass.Normal, alphaN, delta);
        var pneumonia = SiteRecertification.CertifyClass(films, ScreeningClass.Pneumonia, alphaP, delta);

        var certifiedAt = DateTimeOffset.UtcNow;
        var newVersion = $"{version}-site-{Slug(request.Site)}-{certifiedAt:yyyyMMddHHmm}";
        var perClass = films.GroupBy(f => f.Predicted).ToDictionary(g => g.Key, g => g.Count());
        Rewrite(card, newVersion, normal, pneumonia, perClass, delta, new JsonObject
        {
            ["site"] = request.Site,
            ["database"] = database.Description,
            ["certified_from"] = $"{name}@{version}",
            ["certified_at"] = certifiedAt.ToString("O", CultureInfo.InvariantCulture),
            ["cases"] = rows.Count,
            ["films_used"] = films.Count,
            ["routed_films"] = films.Count(f => f.Stratum == SiteStratum.Routed),
            ["automated_films"] = films.Count(f => f.Stratum == SiteStratum.Automated),
            ["audit_sampled_films"] = films.Count(f => f.Sampled),
            ["method"] = "per-class thresholds from the site's reviewed films: routed films (a census) and automated films " +
                "(their hash-drawn audit sample), each stratum's error bounded by Clopper-Pearson at delta/2 and weighted by its " +
                "size; undecided and Unreadable films count as wrong; fixed-sequence scan; minimum labelled films pre-registered " +
                "as ln(delta/2)/ln(1-alpha); one film counts once (no patient ids are stored)",
        });
        Directory.CreateDirectory(output);
        foreach (var file in Directory.EnumerateFiles(modelDir))
        {
            if (Path.GetFileName(file) != "model.json")
                File.Copy(file, Path.Combine(output, Path.GetFileName(file)));
        }
        // The drift monitor of the new version compares the stream with what this site sends, not with the original
        // calibration split (the thresholds now rest on the site's films too). Too few films keep the old reference.
        if (rows.Count >= MinimumReferenceFilms)
        {
            await File.WriteAllTextAsync(Path.Combine(output, CalibrationReference.SiteReferenceFile), new JsonObject
            {
                ["logits"] = new JsonArray(rows.Select(r => (JsonNode?)JsonValue.Create(r.Logit)).ToArray()),
                ["ood_scores"] = new JsonArray(rows.Select(r => (JsonNode?)(r.OodScore is { } o ? JsonValue.Create(o) : null)).ToArray()),
            }.ToJsonString(), ct);
            card["site_certification"]!["drift_reference"] = CalibrationReference.SiteReferenceFile;
        }
        await File.WriteAllTextAsync(Path.Combine(output, "model.json"),
            card.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);

        foreach (var c in new[] { normal, pneumonia })
        {
            Console.Out.WriteLine(c.Threshold is { } t
                ? string.Create(CultureInfo.InvariantCulture, $"{c.Class}: certified at >= {t:0.0000} ({c.Labelled} labelled films above it, {c.Wrong} wrong, error bound {c.UpperBound:P2} <= {c.Alpha:P1})")
                : string.Create(CultureInfo.InvariantCulture, $"{c.Class}: not certified ({c.Labelled} labelled of {c.Films} films; at least {c.MinimumLabelled} right answers are needed for {c.Alpha:P1})"));
        }
        Console.Out.WriteLine($"wrote {name} {newVersion} to {output}");
        return ExitCodes.Ok;
    }

    /// <summary>A stored case as recertification evidence, or null when no threshold could ever automate it (it was
    /// routed for a reason of its own: quality, view, out of distribution).</summary>
    private static SiteFilm? Film(SiteCaseRow row)
    {
        var predicted = ScreeningClassNames.Parse(row.Prediction);
        bool? correct = row.ReviewState == ReviewStates.Decided && row.Label is ReviewLabels.Normal or ReviewLabels.Pneumonia ? row.Label == row.Prediction : null;
        if (CaseStatusNames.Parse(row.Status) == CaseStatus.Automated)
            return new SiteFilm(predicted, row.Confidence, SiteStratum.Automated, row.Origin == ReviewOrigins.AuditSample, correct);
        return row.Reasons.Count > 0 && row.Reasons.All(r => r.Name is ReasonCodes.LowConfidence or ReasonCodes.AutomationPaused)
            ? new SiteFilm(predicted, row.Confidence, SiteStratum.Routed, false, correct)
            : null;
    }

    private static void Rewrite(JsonObject card, string version, SiteClassCertificate normal, SiteClassCertificate pneumonia,
        IReadOnlyDictionary<ScreeningClass, int> perClass, double delta, JsonObject site)
    {
        card["version"] = version;
        var policy = card["decision_policy"] as JsonObject ?? throw new InvalidDataException("model.json has no decision_policy");
        policy["mode"] = "risk_controlled";
        var risk = policy["risk_control"] as JsonObject ?? new JsonObject();
        risk["delta"] = delta;
        risk["delta_per_class"] = delta;
        int Automated(SiteClassCertificate c) => c.Threshold is null ? 0 : c.Films;
        var total = perClass.Values.Sum();
        risk["normal"] = ClassCard(normal, perClass.GetValueOrDefault(ScreeningClass.Normal));
        risk["pneumonia"] = ClassCard(pneumonia, perClass.GetValueOrDefault(ScreeningClass.Pneumonia));
        risk["overall_coverage"] = total == 0 ? 0 : (Automated(normal) + Automated(pneumonia)) / (double)total;
        risk["calibration_cases"] = total;
        // The shift scenarios were the original calibration's; this certificate rests on the site's films instead.
        risk.Remove("shift_scenarios");
        policy["risk_control"] = risk;
        policy["description"] = $"Recertified at site \"{site["site"]}\" from its reviewed films. " + Words(normal) + " " + Words(pneumonia) +
            " Every other film goes to a radiologist, as does any film that fails the quality checks or looks unlike the training films.";
        card["site_certification"] = site;
    }

    private static JsonObject ClassCard(SiteClassCertificate c, int predicted) => new()
    {
        ["alpha"] = c.Alpha,
        ["certified_alpha"] = c.Alpha,
        ["threshold"] = c.Threshold,
        ["n"] = c.Labelled,
        ["errors"] = c.Wrong,
        ["upper_bound"] = c.UpperBound,
        ["coverage"] = predicted == 0 || c.Threshold is null ? 0 : c.Films / (double)predicted,
        ["predicted_cases"] = predicted,
    };

    private static string Words(SiteClassCertificate c) => c.Threshold is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"\"{c.Class}\" is answered automatically at a calibrated probability of at least {t:0.000}: of {c.Labelled} site films read by radiologists at or above it, {c.Wrong} were wrong (error bound {100 * c.UpperBound:0.0#}%, promise {100 * c.Alpha:0.0#}%).")
        : string.Create(CultureInfo.InvariantCulture, $"\"{c.Class}\" is never answered automatically: the site's reviewed films could not yet support an error rate of {100 * c.Alpha:0.0#}% (at least {c.MinimumLabelled} right answers are needed).");

    private static string Slug(string site) => new(site.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray());

    private static int Fail(Spectre.Console.IAnsiConsole err, int code, string message)
    {
        StandardStreams.Error(err, message);
        return code;
    }
}
