namespace CxrQa.Core.Explain;

/// <summary>
/// Grad-CAM at the last backbone block, computed in closed form instead of by back-propagation.
/// </summary>
/// <remarks>
/// The head is <c>logit = w . embedding + b</c> with <c>embedding_k = mean_ij A_k(i,j)</c> (global average pooling of
/// the post-ReLU last block). So <c>d logit / d A_k(i,j) = w_k / 49</c> everywhere, Grad-CAM's channel weight
/// <c>alpha_k</c> (the spatial mean of that gradient) is <c>w_k / 49</c>, and the map is
/// <c>ReLU(sum_k alpha_k A_k)</c>. No autograd, no second graph output: the serving graph's feature map and the
/// card's head weights are enough. Keeping the exact <c>1/49</c> makes the raw map carry logit units: its cells
/// before the ReLU sum to <c>logit - b</c> (for Normal, to <c>-(logit - b)</c>).
/// </remarks>
public static class GradCam
{
    /// <summary>The normalised Grad-CAM map of one model for one film.</summary>
    /// <param name="featureMap">channels x 7 x 7 activations, CHW (512 x 7 x 7 for ResNet18).</param>
    /// <param name="headWeights">The pneumonia head's weights, one per channel.</param>
    /// <param name="target">Pneumonia explains the logit; Normal explains the negated logit.</param>
    public static CamResult Compute(ReadOnlySpan<float> featureMap, ReadOnlySpan<float> headWeights, TargetClass target)
        => Normalise(RawMap(featureMap, headWeights, target));

    /// <summary>
    /// The map of an ensemble whose score is the mean of its members' logits: the mean of the members' raw
    /// (ReLU'd, un-normalised) maps, normalised once at the end.
    /// </summary>
    /// <remarks>
    /// Averaging raw maps rather than normalised ones keeps each member's weight equal to its contribution to the
    /// ensemble logit: a member that sees only faint evidence adds a faint map instead of being stretched to the
    /// same peak of 1 as a confident one. The ReLU is applied per member, before averaging, so each member's part is
    /// its own standard Grad-CAM and positive evidence found by one member is not cancelled by another member's
    /// negative evidence at the same place (the members' features are not the same features, so their signed
    /// sums are not commensurable cell by cell).
    /// </remarks>
    public static CamResult Combine(IReadOnlyList<CamMember> members, TargetClass target)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
            throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        var sum = new double[CamResult.CellCount];
        foreach (var member in members)
        {
            var raw = RawMap(member.FeatureMap.Span, member.HeadWeights.Span, target);
            for (var c = 0; c < sum.Length; c++)
                sum[c] += raw[c];
        }
        for (var c = 0; c < sum.Length; c++)
            sum[c] /= members.Count;
        return Normalise(sum);
    }

    /// <summary>
    /// <c>ReLU(sum_k alpha_k A_k)</c> with <c>alpha_k = ±w_k / 49</c>, in logit units, before normalisation.
    /// A non-finite activation or weight gives a NaN cell, which <see cref="Normalise"/> turns into an empty map.
    /// </summary>
    public static double[] RawMap(ReadOnlySpan<float> featureMap, ReadOnlySpan<float> headWeights, TargetClass target)
    {
        var channels = headWeights.Length;
        if (channels == 0)
            throw new ArgumentException("the head has no weights", nameof(headWeights));
        if (featureMap.Length != (long)channels * CamResult.CellCount)
            throw new ArgumentException(
                $"expected {channels} x {CamResult.Side} x {CamResult.Side} = {channels * CamResult.CellCount} activations, got {featureMap.Length}",
                nameof(featureMap));

        // Positive constant factors do not change the normalised map, but the exact 1/49 keeps Combine's average in
        // logit units and the raw map comparable with the logit.
        var sign = target switch
        {
            TargetClass.Pneumonia => 1.0,
            TargetClass.Normal => -1.0,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
        };
        var channelScale = sign / CamResult.CellCount;

        // Double accumulation: 512 products per cell of mixed signs; float sums would drift by ~1e-5 relative.
        var map = new double[CamResult.CellCount];
        for (var k = 0; k < channels; k++)
        {
            var alpha = headWeights[k] * channelScale;
            var plane = featureMap.Slice(k * CamResult.CellCount, CamResult.CellCount);
            for (var c = 0; c < map.Length; c++)
                map[c] += alpha * plane[c];
        }
        for (var c = 0; c < map.Length; c++)
            // A -inf cell must not be hidden by the ReLU: any non-finite input makes the whole map untrustworthy.
            map[c] = double.IsFinite(map[c]) ? Math.Max(0.0, map[c]) : double.NaN;
        return map;
    }

    /// <summary>Divides a raw map by its maximum. All-zero, negative-only or non-finite maps give
    /// <see cref="CamResult.Empty"/> with a zero grid, so callers never see NaN.</summary>
    public static CamResult Normalise(ReadOnlySpan<double> rawMap)
    {
        if (rawMap.Length != CamResult.CellCount)
            throw new ArgumentException($"expected {CamResult.CellCount} cells, got {rawMap.Length}", nameof(rawMap));
        var max = 0.0;
        foreach (var v in rawMap)
        {
            if (!double.IsFinite(v))
                return CamResult.EmptyMap();
            max = Math.Max(max, v);
        }
        if (max <= 0.0)
            return CamResult.EmptyMap();

        var grid = new float[CamResult.CellCount];
        for (var c = 0; c < grid.Length; c++)
            grid[c] = (float)Math.Clamp(rawMap[c] / max, 0.0, 1.0);
        return new CamResult(grid, Empty: false);
    }
}
