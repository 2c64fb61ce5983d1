using Spectre.Console;

namespace CxrQa.Cli.Output;

/// <summary>stdout carries results only (one JSON line per input) so it can be piped; people read stderr.</summary>
public static class StandardStreams
{
    public static IAnsiConsole CreateErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    public static void Info(IAnsiConsole console, string message) => console.WriteLine(message);

    public static void Error(IAnsiConsole console, string message) => console.MarkupLineInterpolated($"[red]error:[/] {message}");

    public static void Warning(IAnsiConsole console, string message) => console.MarkupLineInterpolated($"[yellow]warning:[/] {message}");

    /// <summary>Runs <paramref name="work"/> under a progress bar (with ETA) on the given console; the work calls
    /// the supplied callback once per item done.</summary>
    public static Task WithProgressAsync(IAnsiConsole console, string description, int total, Func<Action, Task> work) =>
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(description, maxValue: Math.Max(1, total));
                await work(() => task.Increment(1));
            });

    /// <summary>Runs work that reports (stage, done, total) under one progress bar per stage.</summary>
    public static async Task<T> WithStagesAsync<T>(IAnsiConsole console, Func<Action<string, int, int>, Task<T>> work)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                result = await work((stage, done, total) =>
                {
                    if (!tasks.TryGetValue(stage, out var task))
                        tasks[stage] = task = progress.AddTask(stage, maxValue: Math.Max(1, total));
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                });
                foreach (var t in tasks.Values) t.Value = t.MaxValue;
            });
        return result;
    }
}
