using System.Text.RegularExpressions;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Routing;

public sealed class ReasonCodesTests
{
    [Fact]
    public void Codes_are_distinct_snake_case_strings()
    {
        Assert.Equal(ReasonCodes.All.Count, ReasonCodes.All.Distinct().Count());
        Assert.All(ReasonCodes.All, code => Assert.Matches(new Regex("^[a-z]+(_[a-z]+)*$"), code));
    }

    [Fact]
    public void All_lists_every_constant()
    {
        var constants = typeof(ReasonCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.Equal(constants, ReasonCodes.All.ToHashSet());
        Assert.Contains("out_of_distribution", constants);
        Assert.Contains("low_confidence", constants);
    }
}
