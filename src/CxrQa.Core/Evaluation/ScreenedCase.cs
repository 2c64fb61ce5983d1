namespace CxrQa.Core.Evaluation;

/// <summary>One labelled film as the screen answered it: what evaluation needs, free of the pipeline's types.</summary>
/// <param name="Label">Truth: 1 pneumonia, 0 normal.</param>
/// <param name="PneumoniaProbability">Calibrated probability of pneumonia.</param>
/// <param name="Confidence">Calibrated probability of the predicted class.</param>
/// <param name="PredictedPneumonia">The answer given.</param>
/// <param name="Automated">Whether the policy answered without a radiologist.</param>
/// <param name="Reasons">Why it went to review (empty when automated).</param>
public sealed record ScreenedCase(int Label, double PneumoniaProbability, double Confidence, bool PredictedPneumonia, bool Automated,
    IReadOnlyList<string> Reasons)
{
    public bool Correct => PredictedPneumonia == (Label == 1);
}
