using System.Text;
using CxrQa.Core.Monitoring;

namespace CxrQa.Tests.Monitoring;

public sealed class CalibrationReferenceTests
{
    [Fact]
    public void Logits_give_uncertainty_and_predicted_class_and_ood_scores_join_by_their_live_name()
    {
        var json = """{"logits":[4.0,-2.0,0.0],"labels":[1,0,1],"ood_scores":[10,20,30]}""";

        var table = CalibrationReference.FromJson(Encoding.UTF8.GetBytes(json), temperature: 2);

        Assert.Equal(3, table.Rows);
        Assert.Equal([FilmObservation.OodScore, FilmObservation.PredictedNormal, FilmObservation.PredictedPneumonia, FilmObservation.Uncertainty], table.Names);
        Assert.Equal(1 - 1 / (1 + Math.Exp(-2.0)), table.Column(FilmObservation.Uncertainty)[0], 12);
        Assert.Equal([1.0, 0.0, 1.0], table.Column(FilmObservation.PredictedPneumonia));
        Assert.Equal([10.0, 20, 30], table.Column(FilmObservation.OodScore));
        Assert.False(table.Has("labels"));
    }

    [Fact]
    public void Unknown_extra_arrays_nested_arrays_and_a_missing_ood_column_are_tolerated()
    {
        // What another bundle may carry: an ensemble's stored probabilities, per-member logits, a new score no live
        // film supplies yet, a different length.
        var json = """
            {"probabilities":[0.9,0.2],"logits":[[1,2],[3,4]],"shift_scores":[1,2],"notes":"x","ood_scores":[1,2,3]}
            """;

        var table = CalibrationReference.FromJson(Encoding.UTF8.GetBytes(json), temperature: 1);

        Assert.Equal(2, table.Rows);
        Assert.False(table.Has(FilmObservation.OodScore));
        Assert.False(table.Has("shift_scores"));
        Assert.Equal(0.1, table.Column(FilmObservation.Uncertainty)[0], 12);
    }
}
