using CxrQa.Server.Inference;

namespace CxrQa.Server.Tests;

/// <summary>Which films the inference queue's preparation workers may decode at once, as pure logic.</summary>
public sealed class PreparationBudgetTests
{
    private const long Budget = 16_000_000;
    private const long Bomb = 49_000_000;
    private const long Small = 224 * 224;

    [Fact]
    public void One_key_never_holds_every_worker()
    {
        var b = new PreparationBudget(3, Budget);
        b.Start("A", Small);
        b.Start("A", Small);
        Assert.False(b.CanStart("A", Small));
        Assert.True(b.CanStart("B", Small));
    }

    [Fact]
    public void A_small_film_of_another_key_starts_beside_a_bomb_but_a_second_bomb_waits()
    {
        var b = new PreparationBudget(3, Budget);
        b.Start("A", Bomb);
        Assert.True(b.CanStart("B", Small));
        Assert.False(b.CanStart("A", Bomb));
        Assert.False(b.CanStart("C", Bomb));
        b.Finish("A", Bomb);
        Assert.True(b.CanStart("C", Bomb));
    }

    [Fact]
    public void Films_within_the_budget_decode_together_only_while_their_pixels_fit()
    {
        var b = new PreparationBudget(4, Budget);
        b.Start("A", 10_000_000);
        Assert.False(b.CanStart("B", 7_000_000));
        Assert.True(b.CanStart("B", 6_000_000));
        b.Finish("A", 10_000_000);
        Assert.True(b.CanStart("B", 7_000_000));
    }

    [Fact]
    public void A_single_worker_still_serves_one_film_at_a_time()
    {
        var b = new PreparationBudget(1, Budget);
        Assert.Equal(1, b.PerClient);
        b.Start("A", Small);
        Assert.False(b.CanStart("B", Small));
    }

    [Fact]
    public void Starting_what_does_not_fit_or_finishing_what_never_started_throws()
    {
        var b = new PreparationBudget(2, Budget);
        b.Start("A", Small);
        Assert.Throws<InvalidOperationException>(() => { b.Start("A", Small); });
        Assert.Throws<InvalidOperationException>(() => { b.Finish("B", Small); });
    }

    /// <summary>Property: random arrivals of several keys with random costs, taken in fair order under the budget and
    /// finished in random order: every film is prepared exactly once, each key's in arrival order, the budget's bounds
    /// hold at every step (films, per key, pixels within the budget, one larger film), and a key that has films
    /// waiting is never shut out while another key holds every worker.</summary>
    [Fact]
    public void Random_workloads_are_served_completely_in_order_and_within_the_bounds()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var workers = random.Next(1, 5);
            var pixels = random.Next(1, 200_000);
            var budget = new PreparationBudget(workers, pixels);
            var s = new FairScheduler<(string Key, int Index, long Cost)>();
            var keys = Enumerable.Range(0, random.Next(1, 5)).Select(k => $"k{k}").ToArray();
            var sent = keys.ToDictionary(k => k, _ => 0);
            var next = keys.ToDictionary(k => k, _ => 0);
            var running = new List<(string Key, int Index, long Cost)>();
            for (var step = 0; step < 400; step++)
            {
                if (random.Next(3) == 0)
                {
                    var key = keys[random.Next(keys.Length)];
                    var cost = random.Next(2) == 0 ? random.Next(1, 100) : random.Next(1, 400_000);
                    s.Enqueue(key, (key, sent[key]++, cost), cost);
                }
                if (running.Count > 0 && random.Next(2) == 0)
                {
                    var done = running[random.Next(running.Count)];
                    running.Remove(done);
                    budget.Finish(done.Key, done.Cost);
                }
                while (s.TakeNext(budget.CanStart) is { } taken)
                {
                    budget.Start(taken.Client, taken.Cost);
                    Assert.Equal(next[taken.Client]++, taken.Item.Index);
                    running.Add(taken.Item);
                }
                Assert.True(running.Count <= workers, $"seed {seed}: {running.Count} films for {workers} workers");
                Assert.All(keys, k => Assert.True(running.Count(r => r.Key == k) <= budget.PerClient, $"seed {seed}: {k} over its share"));
                Assert.True(running.Where(r => r.Cost <= pixels).Sum(r => r.Cost) <= pixels, $"seed {seed}: pixels over budget");
                Assert.True(running.Count(r => r.Cost > pixels) <= 1, $"seed {seed}: two larger films at once");
                if (workers > 1 && running.Count == workers)
                    Assert.True(running.Select(r => r.Key).Distinct().Count() > 1, $"seed {seed}: one key holds every worker");
            }
            foreach (var r in running)
                budget.Finish(r.Key, r.Cost);
            while (s.TakeNext(budget.CanStart) is { } taken)
            {
                Assert.Equal(next[taken.Client]++, taken.Item.Index);
                budget.Start(taken.Client, taken.Cost);
                budget.Finish(taken.Client, taken.Cost);
            }
            Assert.All(keys, k => Assert.Equal(sent[k], next[k]));
            Assert.Equal(0, budget.Count);
        }
    }
}
