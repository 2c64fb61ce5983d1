using CxrQa.Server.Inference;

namespace CxrQa.Server.Tests;

/// <summary>The inference queue's fair order between API keys, as pure logic (no server, no clock).</summary>
public sealed class FairSchedulerTests
{
    private const long Bomb = 49_000_000;
    private const long Small = 224 * 224;

    private static bool Any(string client, long cost) => true;

    private static string? Next(FairScheduler<string> s, Func<string, bool>? isAbandoned = null) =>
        s.TakeNext(Any, isAbandoned)?.Item;

    [Fact]
    public void A_small_film_of_another_key_goes_before_the_second_film_of_a_bomb_request()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 16; i++)
            s.Enqueue("A", $"A{i}", Bomb);
        Assert.Equal("A0", Next(s)); // a preparation worker is busy with A's first film
        s.Enqueue("B", "B0", Small);
        Assert.Equal("B0", Next(s));
        Assert.Equal("A1", Next(s));
    }

    [Fact]
    public void A_held_back_key_keeps_its_place_and_the_others_go_meanwhile()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 3; i++)
            s.Enqueue("A", $"A{i}", 10);
        s.Enqueue("B", "B0", 10);
        s.Enqueue("B", "B1", 10);
        Assert.Equal("A0", Next(s));
        Assert.Equal("B0", s.TakeNext((client, _) => client != "A")?.Item);
        Assert.Equal("B1", s.TakeNext((client, _) => client != "A")?.Item);
        Assert.Null(s.TakeNext((client, _) => client != "A"));
        Assert.Equal("A1", Next(s));
    }

    [Fact]
    public void The_eligibility_sees_the_client_and_the_cost_of_its_head()
    {
        var s = new FairScheduler<string>();
        s.Enqueue("A", "big", Bomb);
        s.Enqueue("B", "small", Small);
        var seen = new List<(string, long)>();
        var next = s.TakeNext((client, cost) => { seen.Add((client, cost)); return cost < Bomb; });
        Assert.Equal(("B", "small", Small), next);
        Assert.Contains(("A", Bomb), seen);
        Assert.Equal(1, s.Count);
    }

    [Fact]
    public void Equal_costs_alternate_between_keys_and_each_key_keeps_its_own_order()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 3; i++)
            s.Enqueue("A", $"A{i}", 10);
        for (var i = 0; i < 3; i++)
            s.Enqueue("B", $"B{i}", 10);
        Assert.Equal(["A0", "B0", "A1", "B1", "A2", "B2"], s.TakeAll());
        Assert.Equal(0, s.Count);
    }

    [Fact]
    public void Abandoned_items_are_dropped_on_the_way()
    {
        var s = new FairScheduler<string>();
        s.Enqueue("A", "gone1", 10);
        s.Enqueue("A", "gone2", 10);
        s.Enqueue("B", "kept", 10);
        static bool Gone(string item) => item.StartsWith("gone", StringComparison.Ordinal);
        Assert.Equal("kept", Next(s, Gone));
        Assert.Equal(1, s.Count); // gone2's turn had not come
        Assert.Null(Next(s, Gone));
        Assert.Equal(0, s.Count);
    }

    [Fact]
    public void An_idle_key_banks_no_credit_against_a_busy_one()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 5; i++)
            s.Enqueue("A", $"A{i}", 10);
        for (var i = 0; i < 4; i++)
            Next(s);
        // B arrives late: it starts at the current virtual time, level with A, not 40 units ahead.
        for (var i = 0; i < 3; i++)
            s.Enqueue("B", $"B{i}", 10);
        Assert.Equal(["B0", "A4", "B1", "B2"], s.TakeAll());
    }
}
