using CxrQa.Server.Inference;

namespace CxrQa.Server.Tests;

/// <summary>The inference queue's fair order between API keys, as pure logic (no server, no clock).</summary>
public sealed class FairSchedulerTests
{
    private const long Bomb = 49_000_000;
    private const long Small = 224 * 224;

    [Fact]
    public void A_small_film_of_another_key_goes_before_the_second_film_of_a_bomb_request()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 16; i++)
            s.Enqueue("A", $"A{i}", Bomb);
        Assert.Equal(["A0"], s.TakeBatch(8, 64_000_000)); // the worker is busy with A's first film
        s.Enqueue("B", "B0", Small);
        Assert.Equal(["B0", "A1"], s.TakeBatch(8, 64_000_000));
    }

    [Fact]
    public void Arriving_while_the_first_batch_is_being_formed_a_small_film_joins_it()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 16; i++)
            s.Enqueue("A", $"A{i}", Bomb);
        s.Enqueue("B", "B0", Small);
        // Both heads start at virtual time 0; A came first. The budget then admits B's film but not A's second.
        Assert.Equal(["A0", "B0"], s.TakeBatch(8, 64_000_000));
        Assert.Equal(["A1"], s.TakeBatch(8, 64_000_000));
    }

    [Fact]
    public void A_film_over_the_budget_runs_alone_and_the_batch_never_exceeds_its_film_count()
    {
        var s = new FairScheduler<int>();
        s.Enqueue("A", 1, 100);
        Assert.Equal([1], s.TakeBatch(4, 10));
        for (var i = 0; i < 10; i++)
            s.Enqueue("A", i, 1);
        Assert.Equal(4, s.TakeBatch(4, 1000).Count);
        Assert.Equal(6, s.Count);
    }

    [Fact]
    public void Equal_costs_alternate_between_keys_and_each_key_keeps_its_own_order()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 3; i++)
            s.Enqueue("A", $"A{i}", 10);
        for (var i = 0; i < 3; i++)
            s.Enqueue("B", $"B{i}", 10);
        var order = new List<string>();
        while (s.Count > 0)
            order.AddRange(s.TakeBatch(1, long.MaxValue));
        Assert.Equal(["A0", "B0", "A1", "B1", "A2", "B2"], order);
    }

    [Fact]
    public void Abandoned_items_are_dropped_and_do_not_count_towards_the_batch()
    {
        var s = new FairScheduler<string>();
        s.Enqueue("A", "gone1", 10);
        s.Enqueue("A", "gone2", 10);
        s.Enqueue("B", "kept", 10);
        static bool Gone(string item) => item.StartsWith("gone", StringComparison.Ordinal);
        Assert.Equal(["kept"], s.TakeBatch(1, long.MaxValue, Gone));
        Assert.Equal(1, s.Count); // gone2's turn had not come
        Assert.Empty(s.TakeBatch(1, long.MaxValue, Gone));
        Assert.Equal(0, s.Count);
    }

    [Fact]
    public void An_idle_key_banks_no_credit_against_a_busy_one()
    {
        var s = new FairScheduler<string>();
        for (var i = 0; i < 5; i++)
            s.Enqueue("A", $"A{i}", 10);
        for (var i = 0; i < 4; i++)
            s.TakeBatch(1, long.MaxValue);
        // B arrives late: it starts at the current virtual time, level with A, not 40 units ahead.
        for (var i = 0; i < 3; i++)
            s.Enqueue("B", $"B{i}", 10);
        var order = new List<string>();
        while (s.Count > 0)
            order.AddRange(s.TakeBatch(1, long.MaxValue));
        Assert.Equal(["B0", "A4", "B1", "B2"], order);
    }

    /// <summary>Property: for random arrivals of many keys with random costs, whatever the batch limits, every item comes
    /// out exactly once, each key's items in arrival order, every batch within its limits unless it holds a single item,
    /// and over any prefix of the service no two continuously backlogged keys differ in served cost by more than the
    /// largest single item (start-time fair queueing's bound).</summary>
    [Fact]
    public void Random_workloads_are_served_completely_in_order_within_limits_and_fairly()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var s = new FairScheduler<(string Key, int Index, long Cost)>();
            var keys = Enumerable.Range(0, random.Next(1, 5)).Select(k => $"k{k}").ToArray();
            var sent = new Dictionary<string, int>();
            long maxCost = 0;
            foreach (var key in keys)
            {
                var n = random.Next(1, 30);
                for (var i = 0; i < n; i++)
                {
                    var cost = random.Next(2) == 0 ? random.Next(1, 100) : random.Next(1, 100_000);
                    maxCost = Math.Max(maxCost, cost);
                    s.Enqueue(key, (key, i, cost), cost);
                }
                sent[key] = n;
            }
            var maxItems = random.Next(1, 9);
            var budget = random.Next(1, 200_000);
            var next = keys.ToDictionary(k => k, _ => 0);
            var served = keys.ToDictionary(k => k, _ => 0L);
            while (s.Count > 0)
            {
                var batch = s.TakeBatch(maxItems, budget);
                Assert.NotEmpty(batch);
                Assert.True(batch.Count <= maxItems);
                Assert.True(batch.Count == 1 || batch.Sum(b => b.Cost) <= budget, $"seed {seed}: batch over budget");
                foreach (var item in batch)
                {
                    Assert.Equal(next[item.Key]++, item.Index);
                    served[item.Key] += item.Cost;
                }
                var backlogged = keys.Where(k => next[k] < sent[k]).ToList();
                foreach (var a in backlogged)
                foreach (var b in backlogged)
                    Assert.True(served[a] - served[b] <= 2 * maxCost, $"seed {seed}: {a} served {served[a]}, {b} {served[b]}");
            }
            Assert.All(keys, k => Assert.Equal(sent[k], next[k]));
        }
    }
}
