using System.Globalization;
using CxrQa.Core.Calibration;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Trust;

/// <summary>The routing policy in words a radiologist can read (for the model card and the review page).</summary>
/// <remarks>
/// It states only what the certificate guarantees: at most alpha wrong among automated answers, with probability
/// 1 - delta over the draw of the calibration sample. It quotes no bound recomputed at the chosen threshold: that
/// threshold was placed by the same labels, so such a number reads tighter than anything proven.
/// </remarks>
public static class PolicyText
{
    public static string Describe(RiskControlCard r)
    {
        var c = CultureInfo.InvariantCulture;
        var patients = r.Units == UnitNames.Patients;
        var held = patients ? "held-out patients" : "held-out films";
        string Class(string name, ClassRiskCard k) => k.Threshold is { } t
            ? string.Format(c, "\"{0}\" is answered automatically only when the calibrated probability of {0} is at least {1:0.000}, " +
                               "certified so that at most {2:0.0#}% of automated \"{0}\" answers are wrong{3} (evidence: {4} {5} at or above it{6}, {7} wrong).",
                name, t, 100 * k.Alpha, Margin(k), k.N, held, patients ? ", one film each" : "", k.Errors)
            : string.Format(c, "\"{0}\" is never answered automatically: the {1} could not support an error rate of {2:0.0#}%.",
                name, held, 100 * k.Alpha);
        var confidence = r.Normal.Threshold is null && r.Pneumonia.Threshold is null
            ? ""
            : string.Format(c, r.DeltaPerClass < r.Delta
                    ? "With probability at least {0:0.#}% over the draw of the calibration {1}, both promises hold together."
                    : "With probability at least {0:0.#}% over the draw of the calibration {1}, each promise holds (each class separately).",
                100 * (1 - r.Delta), patients ? "patients" : "films");
        var shifts = r.ShiftScenarios is { Count: > 1 } s
            ? string.Format(c, "The thresholds also had to hold on the same films under {0} simulated acquisition shifts ({1}).",
                s.Count - 1, string.Join(", ", s.Skip(1).Select(x => x.Name)))
            : "";
        return string.Join(' ', new[]
        {
            Class("Normal", r.Normal),
            Class("Pneumonia", r.Pneumonia),
            confidence,
            shifts,
            "The promise assumes the deployment sees patients like the calibration patients (the pediatric training " +
            "population) with the same share of pneumonia; another population or prevalence changes the error rate and " +
            "is not covered. Every other film goes to a radiologist, as does any film that fails the quality checks, " +
            "looks unlike the training films (out of distribution), or comes from a non-chest or lateral study; drift is " +
            "watched by sampling automated cases for review.",
        }.Where(x => x.Length > 0));
    }

    private static string Margin(ClassRiskCard k) => k.CertifiedAlpha < k.Alpha
        ? string.Format(CultureInfo.InvariantCulture, " (certified at {0:0.0#}% as headroom for shift)", 100 * k.CertifiedAlpha)
        : "";
}
