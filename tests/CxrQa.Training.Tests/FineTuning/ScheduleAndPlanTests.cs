using CxrQa.Training.FineTuning;

namespace CxrQa.Training.Tests.FineTuning;

public sealed class ScheduleAndPlanTests
{
    [Fact]
    public void Cosine_schedule_warms_up_peaks_and_decays_to_the_floor()
    {
        var s = CosineSchedule.Create(1e-3, totalSteps: 100, warmupFraction: 0.1, minFraction: 0.01);
        Assert.Equal(10, s.WarmupSteps);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(1e-3, s.At(9), 12);
        Assert.Equal(1e-3, s.At(10), 12);
        for (var i = 11; i < 100; i++)
            Assert.True(s.At(i) < s.At(i - 1));
        Assert.Equal(1e-5, s.At(99), 12);
    }

    [Fact]
    public void Epoch_order_is_a_seeded_permutation_or_a_balanced_draw()
    {
        var labels = Enumerable.Range(0, 400).Select(i => i % 4 == 0 ? 0 : 1).ToArray();
        var order = EpochPlan.Order(labels, ClassBalancing.PosWeight, 42, 1);
        Assert.Equal(Enumerable.Range(0, 400), order.Order());
        Assert.Equal(order, EpochPlan.Order(labels, ClassBalancing.PosWeight, 42, 1));
        Assert.NotEqual(order, EpochPlan.Order(labels, ClassBalancing.PosWeight, 42, 2));

        var drawn = EpochPlan.Order(labels, ClassBalancing.Sampler, 42, 1);
        Assert.Equal(400, drawn.Length);
        Assert.InRange(drawn.Count(i => labels[i] == 0), 160, 240);
    }

    [Theory]
    [InlineData("layer4", new[] { "layer4" })]
    [InlineData("layer4, layer3", new[] { "layer3", "layer4" })]
    [InlineData("all", new[] { "conv1", "bn1", "layer1", "layer2", "layer3", "layer4" })]
    public void Train_layers_parse(string spec, string[] expected) => Assert.Equal(expected, TrainableLayers.Parse(spec));

    [Fact]
    public void Train_layers_reject_unknown_names_and_the_head_always_trains()
    {
        Assert.Throws<ArgumentException>(() => TrainableLayers.Parse("layer5"));
        Assert.True(TrainableLayers.IsTrainable("head.weight", ["layer4"]));
        Assert.True(TrainableLayers.IsTrainable("layer4.0.conv1.weight", ["layer4"]));
        Assert.False(TrainableLayers.IsTrainable("layer3.0.conv1.weight", ["layer4"]));
        Assert.False(TrainableLayers.IsTrainable("layer40.weight", ["layer4"]));
    }
}
