using System.Globalization;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Trust;

/// <summary>The routing policy in words a radiologist can read (for the model card and the review page).</summary>
public static class PolicyText
{
    public static string Describe(RiskControlCard r)
    {
        var c = CultureInfo.InvariantCulture;
        string Class(string name, ClassRiskCard k) => k.Threshold is { } t
            ? string.Format(c, "\"{0}\" is answered automatically only when the calibrated probability of {0} is at least {1:0.000}; " +
                               "on {2} held-out films answered that way, {3} were wrong, so with {4:0}% confidence at most {5:0.0#}% of such answers are wrong " +
                               "(the promise is {6:0.0#}%).", name, t, k.N, k.Errors, 100 * (1 - r.DeltaPerClass), 100 * k.UpperBound, 100 * k.Alpha)
            : string.Format(c, "\"{0}\" is never answered automatically: the held-out films could not support an error rate of {1:0.0#}%.", name, 100 * k.Alpha);
        return string.Join(' ',
            Class("Normal", r.Normal),
            Class("Pneumonia", r.Pneumonia),
            "Every other film goes to a radiologist, as does any film that fails the quality checks, looks unlike the training " +
            "films (out of distribution), or comes from a non-chest or lateral study. The promise holds for films like the " +
            "pediatric training set; drift is watched by sampling automated cases for review.");
    }
}
