using System.CommandLine;
using System.Globalization;
using CxrQa.Cli.Output;
using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Trust;

namespace CxrQa.Cli.Commands;

/// <summary><c>compare</c>: two bundles side by side on the validation patients of the first (e.g. fp32 and its int8
/// quantization): AUC, logit differences, routing and prediction changes, Grad-CAM map correlation.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Reference bundle (e.g. the fp32 one).", Required = true };
        var against = new Option<string>("--against") { Description = "Bundle to compare with it (e.g. its int8 version).", Required = true };
        var data = new Option<string>("--data") { Description = "The training data folder the reference was trained from (its validation patients are used).", Required = true };
        var batchSize = CommonOptions.BatchSize();
        var command = new Command("compare", "Compare two bundles' answers on the reference bundle's validation patients (fp32 vs int8).")
        {
            model, against, data, batchSize,
        };
        command.SetAction(async (parse, ct) =>
        {
            var err = StandardStreams.CreateErrorConsole();
            try
            {
                using var reference = ModelBundle.Load(parse.GetValue(model)!);
                using var candidate = ModelBundle.Load(parse.GetValue(against)!);
                var options = new ScreeningOptions();
                var decoder = ScreeningServiceFactory.Decoder(options);
                var referenceService = new ScreeningService(decoder, reference, options);
                var candidateService = new ScreeningService(decoder, candidate, options);
                var dataset = await LabelledFolderDataset.Scan(parse.GetValue(data)!, ct);
                var split = TrustSplit.For(dataset.Images, BundleCalibrator.CalibrationPaths(reference.Card), reference.Card.Training!.Config!);
                StandardStreams.Info(err, $"films: {split.GateFitDescription}");
                var films = split.GateFit;
                var batch = parse.GetValue(batchSize);
                var referenceAnswers = new List<ScreeningResult>();
                var candidateAnswers = new List<ScreeningResult>();
                var labels = new List<int>();
                await StandardStreams.WithProgressAsync(err, "screening with both bundles", films.Count, async advance =>
                {
                    foreach (var chunk in films.Chunk(batch))
                    {
                        var prepared = new (DecodedFilm Film, GrayImage Enhanced)?[chunk.Length];
                        var bytes = await Task.WhenAll(chunk.Select(f => File.ReadAllBytesAsync(f.Path, ct)));
                        Parallel.For(0, chunk.Length, k =>
                        {
                            try
                            {
                                var decoded = referenceService.Decode(bytes[k]);
                                prepared[k] = (decoded, referenceService.Preprocessor.Enhance(decoded.Image));
                            }
                            catch (CxrQaException)
                            {
                                // An undecodable film is compared by neither bundle.
                            }
                        });
                        var kept = Enumerable.Range(0, chunk.Length).Where(k => prepared[k] is not null).ToList();
                        var inputs = kept.Select(k => prepared[k]!.Value).ToList();
                        referenceAnswers.AddRange(referenceService.ScreenPrepared(inputs));
                        candidateAnswers.AddRange(candidateService.ScreenPrepared(inputs));
                        labels.AddRange(kept.Select(k => chunk[k].Label));
                        foreach (var _ in chunk) advance();
                    }
                });
                var r = PrecisionComparison.Compare(referenceAnswers, candidateAnswers, labels);
                var inv = CultureInfo.InvariantCulture;
                StandardStreams.Info(err, string.Format(inv, "{0} films: AUC {1:0.0000} ({2}) vs {3:0.0000} ({4}), difference {5:+0.0000;-0.0000}",
                    r.Films, r.ReferenceAuc, reference.Card.Name, r.CandidateAuc, candidate.Card.Name,
                    // Rounded first (and -0 made 0): a difference that rounds to zero printed as "-+0.0000".
                    Math.Round(r.CandidateAuc - r.ReferenceAuc, 4) + 0.0));
                StandardStreams.Info(err, string.Format(inv, "|logit difference|: mean {0:0.0000}, p99 {1:0.000}, max {2:0.000}",
                    r.MeanAbsLogitDifference, r.P99AbsLogitDifference, r.MaxAbsLogitDifference));
                StandardStreams.Info(err, string.Format(inv, "routing unchanged on {0:P2} ({1} of {2} films changed); automated {3} vs {4}; predictions changed {5}",
                    r.RoutingUnchangedRate, r.RoutingChanges, r.Films, r.ReferenceAutomated, r.CandidateAutomated, r.PredictionChanges));
                if (r.ChangedReasons.Count > 0)
                    StandardStreams.Info(err, "review reasons that differ on those films: " + string.Join(", ", r.ChangedReasons.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
                StandardStreams.Info(err, string.Format(inv, "Grad-CAM map correlation (Pearson, 7x7) on {0} films: mean {1:0.0000}, min {2:0.0000}",
                    r.CamFilms, r.MeanCamCorrelation, r.MinCamCorrelation));
                return ExitCodes.Ok;
            }
            catch (CxrQaException e)
            {
                StandardStreams.Error(err, e.Message);
                return ExitCodes.Setup;
            }
        });
        return command;
    }
}
