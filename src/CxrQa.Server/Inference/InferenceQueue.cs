using System.Threading.Channels;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Metrics;

namespace CxrQa.Server.Inference;

/// <summary>The server was asked for more than its bounded queue holds; the caller answers 503 with Retry-After.</summary>
public sealed class QueueFullException() : Exception("the inference queue is full");

/// <summary>
/// Bounded queue in front of the one <see cref="ScreeningService"/>. A single worker drains it and screens the films
/// of concurrent requests together, up to the model's batch size: one network run instead of several.
/// </summary>
public sealed partial class InferenceQueue : BackgroundService
{
    private readonly Channel<Job> _channel;
    private readonly ScreeningService _service;
    private readonly int _maxBatchFilms;
    private readonly ILogger<InferenceQueue> _logger;
    private readonly ServerMetrics _metrics;

    public InferenceQueue(ScreeningService service, ServerOptions options, int maxBatchFilms, ServerMetrics metrics, ILogger<InferenceQueue> logger)
    {
        _metrics = metrics;
        _service = service;
        _maxBatchFilms = Math.Max(1, maxBatchFilms);
        _logger = logger;
        _channel = Channel.CreateBounded<Job>(new BoundedChannelOptions(Math.Max(1, options.InferenceQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Requests waiting for the worker.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Whether the worker loop is running (readiness).</summary>
    public bool Running { get; private set; }

    /// <summary>Queues the films and waits for their outcomes (in input order). Throws <see cref="QueueFullException"/>
    /// at once when the queue is full; honours cancellation while waiting.</summary>
    public Task<IReadOnlyList<ScreeningOutcome>> ScreenAsync(IReadOnlyList<FilmInput> films, CancellationToken cancellationToken)
    {
        var job = new Job(films, cancellationToken);
        if (!_channel.Writer.TryWrite(job))
            throw new QueueFullException();
        return job.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Running = true;
        try
        {
            var reader = _channel.Reader;
            var batch = new List<Job>();
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var films = 0;
                while (films < _maxBatchFilms && reader.TryRead(out var job))
                {
                    if (job.Cancellation.IsCancellationRequested)
                    {
                        job.Completion.TrySetCanceled(job.Cancellation);
                        continue;
                    }
                    batch.Add(job);
                    films += job.Films.Count;
                }
                if (batch.Count > 0)
                    await RunBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Running = false;
            while (_channel.Reader.TryRead(out var left))
                left.Completion.TrySetCanceled();
        }
    }

    private async Task RunBatchAsync(List<Job> batch, CancellationToken stoppingToken)
    {
        var all = batch.SelectMany(j => j.Films).ToList();
        try
        {
            _metrics.ObserveBatch(all.Count);
            var outcomes = await Task.Run(() => _service.Screen(all, stoppingToken), stoppingToken);
            var offset = 0;
            foreach (var job in batch)
            {
                job.Completion.TrySetResult(outcomes.Skip(offset).Take(job.Films.Count).ToList());
                offset += job.Films.Count;
            }
            if (batch.Count > 1)
                LogBatched(batch.Count, all.Count);
        }
        catch (OperationCanceledException)
        {
            foreach (var job in batch)
                job.Completion.TrySetCanceled();
        }
        catch (Exception e)
        {
            foreach (var job in batch)
                job.Completion.TrySetException(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "screened {Requests} requests together ({Films} films)")]
    private partial void LogBatched(int requests, int films);

    private sealed record Job(IReadOnlyList<FilmInput> Films, CancellationToken Cancellation)
    {
        public TaskCompletionSource<IReadOnlyList<ScreeningOutcome>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
