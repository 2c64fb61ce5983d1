using CxrQa.Core.Model;

namespace CxrQa.Core.Explain;

/// <summary>Grad-CAM of one film from a bundle's outputs: the single network's map, or an ensemble's combined map
/// (<see cref="GradCam.Combine"/>) from each member's block of <c>feature_map</c> and its own head.</summary>
public static class ModelCam
{
    public static CamResult For(ModelOutputs outputs, int film, IReadOnlyList<float[]> heads, TargetClass target)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(heads);
        if (heads.Count != outputs.Members)
            throw new ArgumentException($"{heads.Count} heads for {outputs.Members} members", nameof(heads));
        return heads.Count == 1
            ? GradCam.Compute(outputs.FeatureMap(film), heads[0], target)
            : GradCam.Combine(heads.Select((w, m) => new CamMember(outputs.MemberFeatureMap(film, m).ToArray(), w)).ToList(), target);
    }

    /// <summary>The heads of a loaded bundle, in member order.</summary>
    public static IReadOnlyList<float[]> Heads(ModelBundle bundle) => bundle.Card.Graph.Heads.Select(h => h.Weights).ToList();
}
