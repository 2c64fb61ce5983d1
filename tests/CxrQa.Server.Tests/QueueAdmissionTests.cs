using CxrQa.Server.Inference;

namespace CxrQa.Server.Tests;

/// <summary>Admission to the inference queue, as pure logic: a total bound and a bound per client.</summary>
public sealed class QueueAdmissionTests
{
    [Fact]
    public void One_client_cannot_take_the_places_of_the_others()
    {
        var admission = new QueueAdmission(total: 4, perClient: 2);
        Assert.True(admission.TryAdmit("A"));
        Assert.True(admission.TryAdmit("A"));
        Assert.False(admission.TryAdmit("A"));
        Assert.True(admission.TryAdmit("B"));
        Assert.True(admission.TryAdmit("C"));
        Assert.False(admission.TryAdmit("D")); // total reached
        Assert.Equal(4, admission.Count);

        admission.Release("A");
        Assert.True(admission.TryAdmit("D"));
        Assert.False(admission.TryAdmit("A")); // the total again
        admission.Release("B");
        Assert.True(admission.TryAdmit("A"));
    }

    [Fact]
    public void The_per_client_bound_lies_between_one_and_the_total()
    {
        Assert.Equal(1, new QueueAdmission(total: 1, perClient: 0).PerClient);
        Assert.Equal(3, new QueueAdmission(total: 3, perClient: 10).PerClient);
        Assert.Equal(1, new QueueAdmission(total: 0, perClient: 5).Total);
    }

    [Fact]
    public void Releasing_a_request_that_is_not_waiting_is_a_bug_and_says_so()
    {
        var admission = new QueueAdmission(total: 2, perClient: 2);
        Assert.Throws<InvalidOperationException>(() => admission.Release("A"));
        admission.TryAdmit("A");
        admission.Release("A");
        Assert.Throws<InvalidOperationException>(() => admission.Release("A"));
        Assert.Equal(0, admission.Count);
    }
}
