using CxrQa.Core.Calibration;
using CxrQa.Core.Monitoring;

namespace CxrQa.Tests.Monitoring;

public sealed class ErrorConfidenceSequenceTests
{
    [Fact]
    public void No_samples_bound_nothing_and_no_errors_give_a_zero_lower_bound()
    {
        Assert.Equal(new ErrorBounds(0, 0, 0, 1), ErrorConfidenceSequence.Bounds(0, 0, 0.05));
        var clean = ErrorConfidenceSequence.Bounds(0, 500, 0.05);
        Assert.Equal(0, clean.Lower);
        Assert.InRange(clean.Upper, 0.001, 0.05);
    }

    [Fact]
    public void The_sequence_is_wider_than_a_fixed_n_clopper_pearson_interval_and_contains_the_estimate()
    {
        var cs = ErrorConfidenceSequence.Bounds(10, 200, 0.05);

        Assert.InRange(0.05, cs.Lower, cs.Upper);
        // Anytime validity costs width: the fixed-n bounds at the same level lie inside.
        Assert.True(cs.Upper > BinomialBounds.ClopperPearsonUpper(10, 200, 0.05));
        Assert.True(cs.Lower < BinomialBounds.ClopperPearsonLower(10, 200, 0.05));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Looked_at_after_every_sample_it_covers_the_true_rate_throughout_in_at_least_1_minus_delta_of_streams()
    {
        var random = new Random(11);
        const double p = 0.02;
        const int streams = 400;
        var failures = 0;
        for (var s = 0; s < streams; s++)
        {
            long errors = 0;
            for (var t = 1; t <= 1000; t++)
            {
                if (random.NextDouble() < p)
                    errors++;
                var b = ErrorConfidenceSequence.Bounds(errors, t, 0.05);
                if (b.Lower > p || b.Upper < p)
                {
                    failures++;
                    break;
                }
            }
        }
        Assert.True(failures <= streams * 0.05, $"{failures} of {streams} streams left the true rate out at some time");
    }

    [Fact]
    public void A_ten_percent_error_stream_breaks_a_two_percent_promise_within_a_hundred_samples()
    {
        // Every tenth sample wrong: the replay of the "decided audit samples with 10 % errors".
        long? tripped = null;
        for (var t = 1; t <= 200 && tripped is null; t++)
        {
            var audit = AuditBreaker.Evaluate([("Pneumonia", 0.02, t / 10, t)], 0.05);
            if (AuditBreaker.Tripped(audit) is not null)
                tripped = t;
        }
        Assert.NotNull(tripped);
        Assert.InRange(tripped.Value, 20, 100);
    }

    [Fact]
    public void A_class_within_its_promise_never_trips()
    {
        var audit = AuditBreaker.Evaluate([("Pneumonia", 0.02, 2, 400), ("Normal", 0.01, 0, 0)], 0.05);

        Assert.Null(AuditBreaker.Tripped(audit));
        Assert.All(audit, a => Assert.False(a.Broken));
    }
}
