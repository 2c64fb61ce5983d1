using CxrQa.Domain;

namespace CxrQa.Tests.Domain;

/// <summary>The typed reason code is exactly the stable strings of <see cref="ReasonCodes"/>, nothing more.</summary>
public class ReasonCodeTests
{
    [Fact]
    public void Every_stable_string_parses_to_a_code_of_that_name_and_nothing_else_does()
    {
        Assert.Equal(ReasonCodes.All, ReasonCode.All.Select(c => c.Name));
        Assert.Equal(ReasonCodes.All.Count, ReasonCodes.All.Distinct(StringComparer.Ordinal).Count());
        foreach (var name in ReasonCodes.All)
        {
            Assert.Equal(name, ReasonCode.Parse(name).Name);
            Assert.Equal(name, ReasonCode.Parse(name).ToString());
            Assert.Equal(ReasonCode.Parse(name), ReasonCode.Parse(new string(name.ToCharArray())));
        }
        foreach (var other in new[] { "", "LOW_CONFIDENCE", "low_confidence ", "unknown" })
        {
            Assert.False(ReasonCode.TryParse(other, out _));
            Assert.Throws<FormatException>(() => ReasonCode.Parse(other));
        }
        Assert.False(ReasonCode.TryParse(null, out _));
        Assert.Equal(["low_confidence", "feature_shift"],
            ReasonCode.Names([ReasonCode.Parse(ReasonCodes.LowConfidence), ReasonCode.Parse(ReasonCodes.FeatureShift)]));
    }
}
