using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

public sealed class GradCamTests
{
    private const int Cells = CamResult.CellCount;

    /// <summary>Two channels, w = (49, -49) so alpha = (1, -1): the pre-ReLU map is A0 - A1.</summary>
    private static (float[] FeatureMap, float[] Weights) TwoChannelCase()
    {
        var a = new float[2 * Cells];
        for (var c = 0; c < Cells; c++)
            a[c] = 1f;
        a[0] = 2f;             // channel 0, cell (0,0)
        a[Cells + 48] = 4f;    // channel 1, cell (6,6)
        return (a, [49f, -49f]);
    }

    [Fact]
    public void Hand_computed_two_channel_map_for_pneumonia()
    {
        var (a, w) = TwoChannelCase();

        var raw = GradCam.RawMap(a, w, TargetClass.Pneumonia);
        var cam = GradCam.Compute(a, w, TargetClass.Pneumonia);

        // A0 - A1: 2 at (0,0), 1 - 4 = -3 -> ReLU 0 at (6,6), 1 elsewhere; divided by the maximum 2.
        Assert.False(cam.Empty);
        Assert.Equal(2.0, raw[0], 12);
        Assert.Equal(0.0, raw[48], 12);
        Assert.Equal(1.0, raw[24], 12);
        Assert.Equal(1f, cam[0, 0]);
        Assert.Equal(0f, cam[6, 6]);
        for (var c = 1; c < 48; c++)
            Assert.Equal(0.5f, cam.Grid[c], 6);
    }

    [Fact]
    public void Normal_explains_the_negated_logit()
    {
        var (a, w) = TwoChannelCase();

        var cam = GradCam.Compute(a, w, TargetClass.Normal);

        // A1 - A0: -2 -> 0 at (0,0), 3 at (6,6), -1 -> 0 elsewhere.
        Assert.False(cam.Empty);
        Assert.Equal(1f, cam[6, 6]);
        Assert.Equal(0f, cam[0, 0]);
        Assert.Equal(Cells - 1, cam.Grid.Count(v => v == 0f));
        Assert.Equal(3.0, GradCam.RawMap(a, w, TargetClass.Normal)[48], 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Pneumonia_and_normal_raw_maps_split_the_signed_map(int seed)
    {
        var a = CamTestData.FeatureMap(seed);
        var w = CamTestData.Weights(seed + 100);

        var forPneumonia = GradCam.RawMap(a, w, TargetClass.Pneumonia);
        var forNormal = GradCam.RawMap(a, w, TargetClass.Normal);

        // ReLU(s) - ReLU(-s) = s, and the two never overlap; the signed cells sum to w . embedding (logit units).
        var signedSum = 0.0;
        for (var c = 0; c < Cells; c++)
        {
            Assert.True(forPneumonia[c] == 0 || forNormal[c] == 0);
            signedSum += forPneumonia[c] - forNormal[c];
        }
        Assert.Equal(Dot(w, Pool(a)), signedSum, 9);
    }

    [Theory]
    [InlineData(11, 1e-3f)]
    [InlineData(12, 0.5f)]
    [InlineData(13, 7f)]
    [InlineData(14, 1e3f)]
    public void Scaling_the_weights_by_a_positive_constant_leaves_the_map_unchanged(int seed, float scale)
    {
        var a = CamTestData.FeatureMap(seed);
        var w = CamTestData.Weights(seed + 100);
        var scaled = w.Select(x => x * scale).ToArray();

        foreach (var target in new[] { TargetClass.Pneumonia, TargetClass.Normal })
        {
            var cam = GradCam.Compute(a, w, target);
            var camScaled = GradCam.Compute(a, scaled, target);
            Assert.Equal(cam.Empty, camScaled.Empty);
            for (var c = 0; c < Cells; c++)
                Assert.Equal(cam.Grid[c], camScaled.Grid[c], 5);
        }
    }

    [Fact]
    public void Only_negative_evidence_gives_an_empty_zero_map()
    {
        var a = CamTestData.FeatureMap(21);
        var w = Enumerable.Repeat(-0.01f, CamTestData.Channels).ToArray();

        var cam = GradCam.Compute(a, w, TargetClass.Pneumonia);

        Assert.True(cam.Empty);
        Assert.All(cam.Grid, v => Assert.Equal(0f, v));
        Assert.False(GradCam.Compute(a, w, TargetClass.Normal).Empty);
    }

    [Fact]
    public void All_zero_activations_give_an_empty_map_for_both_classes()
    {
        var a = new float[CamTestData.Channels * Cells];
        var w = CamTestData.Weights(22);

        Assert.True(GradCam.Compute(a, w, TargetClass.Pneumonia).Empty);
        Assert.True(GradCam.Compute(a, w, TargetClass.Normal).Empty);
    }

    [Theory]
    [InlineData(float.NaN, false)]
    [InlineData(float.PositiveInfinity, false)]
    [InlineData(float.NaN, true)]
    [InlineData(float.PositiveInfinity, true)]
    public void Non_finite_inputs_give_an_empty_map_never_NaN(float bad, bool inWeights)
    {
        var a = CamTestData.FeatureMap(23);
        var w = CamTestData.Weights(24);
        if (inWeights)
            w[17] = bad;
        else
            a[17 * Cells + 30] = bad;

        foreach (var target in new[] { TargetClass.Pneumonia, TargetClass.Normal })
        {
            var cam = GradCam.Compute(a, w, target);
            Assert.True(cam.Empty);
            Assert.All(cam.Grid, v => Assert.Equal(0f, v));
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(34)]
    public void Normalised_values_lie_in_0_1_and_peak_at_1(int seed)
    {
        var a = CamTestData.FeatureMap(seed);
        var w = CamTestData.Weights(seed + 100);

        foreach (var target in new[] { TargetClass.Pneumonia, TargetClass.Normal })
        {
            var cam = GradCam.Compute(a, w, target);
            Assert.Equal(Cells, cam.Grid.Length);
            Assert.All(cam.Grid, v => Assert.InRange(v, 0f, 1f));
            if (!cam.Empty)
                Assert.Equal(1f, cam.Grid.Max());
        }
    }

    [Theory]
    [InlineData(41, 4, 5)]
    [InlineData(42, 0, 0)]
    [InlineData(43, 6, 1)]
    public void A_location_aligned_with_the_head_is_the_hot_spot(int seed, int row, int column)
    {
        var a = CamTestData.FeatureMap(seed);
        var w = CamTestData.Weights(seed + 100);
        var cell = row * CamResult.Side + column;
        // Post-ReLU, so the strongest alignment a feature vector can have with w is w's positive part.
        for (var k = 0; k < w.Length; k++)
            a[k * Cells + cell] = 20f * Math.Max(w[k], 0f) / 0.05f;

        var cam = GradCam.Compute(a, w, TargetClass.Pneumonia);

        Assert.Equal(cell, CamTestData.ArgMax(cam.Grid));
        Assert.Equal(1f, cam[row, column]);
        Assert.Equal(0f, GradCam.Compute(a, w, TargetClass.Normal).Grid[cell]);
    }

    /// <summary>
    /// The serving half of the autograd equality: Grad-CAM built from numerically differentiated gradients of
    /// logit = w . mean_ij(A) + b equals the closed form.
    /// </summary>
    [Fact]
    public void Closed_form_matches_grad_cam_from_numeric_gradients()
    {
        var a = CamTestData.FeatureMap(51);
        var w = CamTestData.Weights(52);
        const double bias = -0.3;
        var channels = w.Length;

        var x = a.Select(v => (double)v).ToArray();
        double Logit(double[] activations)
        {
            var logit = bias;
            for (var k = 0; k < channels; k++)
            {
                var mean = 0.0;
                for (var c = 0; c < Cells; c++)
                    mean += activations[k * Cells + c];
                logit += w[k] * (mean / Cells);
            }
            return logit;
        }

        // Central differences on every activation; then Grad-CAM by its definition: alpha_k = spatial mean of the
        // gradient, map = ReLU(sum_k alpha_k A_k).
        const double h = 1e-3;
        var alpha = new double[channels];
        for (var k = 0; k < channels; k++)
        {
            var gradSum = 0.0;
            for (var c = 0; c < Cells; c++)
            {
                var i = k * Cells + c;
                var saved = x[i];
                x[i] = saved + h;
                var up = Logit(x);
                x[i] = saved - h;
                var down = Logit(x);
                x[i] = saved;
                gradSum += (up - down) / (2 * h);
            }
            alpha[k] = gradSum / Cells;
        }
        var numeric = new double[Cells];
        for (var c = 0; c < Cells; c++)
        {
            var s = 0.0;
            for (var k = 0; k < channels; k++)
                s += alpha[k] * x[k * Cells + c];
            numeric[c] = Math.Max(0.0, s);
        }
        var max = numeric.Max();
        Assert.True(max > 0, "the random case should have some positive evidence");

        var cam = GradCam.Compute(a, w, TargetClass.Pneumonia);
        var raw = GradCam.RawMap(a, w, TargetClass.Pneumonia);

        for (var c = 0; c < Cells; c++)
        {
            Assert.Equal(numeric[c] / max, cam.Grid[c], 1e-4);
            Assert.Equal(numeric[c], raw[c], 1e-6); // same units too, not just the same shape
        }
    }

    [Fact]
    public void Ensemble_of_one_is_the_single_model_map()
    {
        var a = CamTestData.FeatureMap(61);
        var w = CamTestData.Weights(62);

        var single = GradCam.Compute(a, w, TargetClass.Pneumonia);
        var combined = GradCam.Combine([new CamMember(a, w)], TargetClass.Pneumonia);

        Assert.Equal(single.Grid, combined.Grid);
    }

    [Fact]
    public void Ensemble_averages_raw_maps_so_a_faint_member_stays_faint()
    {
        // Member 1: raw 2 at cell 0. Member 2: raw 4 at cell 1. Mean (1, 2) -> (0.5, 1). Normalising each member
        // first would have given (0.5, 0.5) and hidden that member 2 carries twice the evidence.
        var a1 = new float[Cells];
        var a2 = new float[Cells];
        a1[0] = 2f;
        a2[1] = 4f;
        float[] w = [49f];

        var cam = GradCam.Combine([new CamMember(a1, w), new CamMember(a2, w)], TargetClass.Pneumonia);

        Assert.Equal(0.5f, cam.Grid[0], 6);
        Assert.Equal(1f, cam.Grid[1], 6);
        Assert.Equal(0f, cam.Grid[2]);
    }

    [Fact]
    public void Ensemble_applies_relu_per_member_before_averaging()
    {
        // Member 1 sees +2 at cell 0, member 2 sees -2 there: ReLU first keeps member 1's evidence.
        var a = new float[2 * Cells];
        a[0] = 2f;
        var cam = GradCam.Combine(
            [new CamMember(a, new float[] { 49f, 0f }), new CamMember(a, new float[] { -49f, 0f })],
            TargetClass.Pneumonia);

        Assert.False(cam.Empty);
        Assert.Equal(1f, cam.Grid[0]);
    }

    [Fact]
    public void Ensemble_with_a_non_finite_member_is_empty()
    {
        var a = CamTestData.FeatureMap(71);
        var broken = (float[])a.Clone();
        broken[5] = float.NaN;
        var w = CamTestData.Weights(72);

        var cam = GradCam.Combine([new CamMember(a, w), new CamMember(broken, w)], TargetClass.Pneumonia);

        Assert.True(cam.Empty);
        Assert.All(cam.Grid, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Mismatched_shapes_and_empty_ensembles_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GradCam.Compute(new float[512 * 49 - 1], new float[512], TargetClass.Pneumonia));
        Assert.Throws<ArgumentException>(() => GradCam.Compute(new float[0], new float[0], TargetClass.Pneumonia));
        Assert.Throws<ArgumentException>(() => GradCam.Combine([], TargetClass.Pneumonia));
        Assert.Throws<ArgumentException>(() => GradCam.Normalise(new double[48]));
    }

    private static double[] Pool(float[] a)
    {
        var channels = a.Length / Cells;
        var pooled = new double[channels];
        for (var k = 0; k < channels; k++)
        {
            for (var c = 0; c < Cells; c++)
                pooled[k] += a[k * Cells + c];
            pooled[k] /= Cells;
        }
        return pooled;
    }

    private static double Dot(float[] w, double[] x)
    {
        var s = 0.0;
        for (var i = 0; i < w.Length; i++)
            s += w[i] * x[i];
        return s;
    }
}
