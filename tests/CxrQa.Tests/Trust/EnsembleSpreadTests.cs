using CxrQa.Core.Trust;

namespace CxrQa.Tests.Trust;

public sealed class EnsembleSpreadTests
{
    [Fact]
    public void A_single_network_or_agreeing_members_have_no_spread()
    {
        Assert.Equal(0, EnsembleSpread.Of([2.5f]));
        Assert.Equal(0, EnsembleSpread.Of([1f, 1f, 1f]));
    }

    [Fact]
    public void Spread_is_the_population_standard_deviation_and_ignores_a_common_offset()
    {
        Assert.Equal(1.0, EnsembleSpread.Of([-1f, 1f]), 12);
        var random = new Random(3);
        for (var trial = 0; trial < 200; trial++)
        {
            var z = Enumerable.Range(0, 3).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
            var offset = (float)(random.NextDouble() * 4 - 2);
            Assert.Equal(EnsembleSpread.Of(z), EnsembleSpread.Of(z.Select(v => v + offset).ToArray()), 4);
            Assert.True(EnsembleSpread.Of(z) >= 0);
        }
    }
}
