using CxrQa.Storage;

namespace CxrQa.Server.Tests;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Doubles_from_the_first_delay_up_to_the_cap()
    {
        var first = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromMinutes(10);
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600],
            Enumerable.Range(1, 11).Select(a => RetrySchedule.Delay(a, first, max).TotalSeconds));
    }

    [Fact]
    public void Property_never_shrinks_never_exceeds_the_cap_and_starts_at_first()
    {
        var random = new Random(14);
        for (var trial = 0; trial < 2000; trial++)
        {
            var first = TimeSpan.FromMilliseconds(random.Next(1, 100_000));
            var max = first + TimeSpan.FromMilliseconds(random.NextInt64(0, 10_000_000_000));
            Assert.Equal(first, RetrySchedule.Delay(1, first, max));
            var previous = TimeSpan.Zero;
            foreach (var attempts in new[] { 1, 2, 3, 5, 8, 13, 21, 40, 63, 64, 100, int.MaxValue })
            {
                var delay = RetrySchedule.Delay(attempts, first, max);
                Assert.InRange(delay, first, max);
                Assert.True(delay >= previous, $"delay shrank at attempt {attempts}: {previous} -> {delay}");
                // Each step doubles until the cap.
                if (attempts < 40 && previous > TimeSpan.Zero && delay < max)
                    Assert.True(delay.Ticks % first.Ticks == 0);
                previous = delay;
            }
            Assert.Equal(max, RetrySchedule.Delay(int.MaxValue, first, max));
        }
    }

    [Fact]
    public void Refuses_meaningless_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.Delay(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.Delay(1, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.Delay(1, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)));
    }
}
