using System.Threading.Channels;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Metrics;

namespace CxrQa.Server.Inference;

/// <summary>The server was asked for more than its bounded queue holds; the caller answers 503 with Retry-After.</summary>
public sealed class QueueFullException() : Exception("the inference queue is full");

/// <summary>
/// Bounded queue in front of the one <see cref="ScreeningService"/>. A single worker drains it and screens the films
/// of concurrent requests together, up to the model's batch size: one network run instead of several. Films wait per
/// client (API key) and are taken in fair order (<see cref="FairScheduler{T}"/>, charged by the pixels their header
/// declares), at most <see cref="ServerOptions.InferenceBatchPixels"/> a batch: a request of many huge films runs
/// one film at a time between other clients' films instead of holding the worker, and its decodes cannot take more
/// memory at once than the budget allows.
/// </summary>
public sealed partial class InferenceQueue : BackgroundService
{
    private readonly FairScheduler<Slot> _waiting = new();
    private readonly Lock _lock = new();
    // Rings the worker when films arrive; one pending ring is enough, the worker drains everything it finds.
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly ScreeningService _service;
    private readonly int _maxBatchFilms;
    private readonly long _batchPixels;
    private readonly QueueAdmission _admission;
    private readonly ILogger<InferenceQueue> _logger;
    private readonly ServerMetrics _metrics;

    public InferenceQueue(ScreeningService service, ServerOptions options, int maxBatchFilms, ServerMetrics metrics, ILogger<InferenceQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        _service = service;
        _maxBatchFilms = Math.Max(1, maxBatchFilms);
        _batchPixels = Math.Max(1, options.InferenceBatchPixels);
        _admission = new QueueAdmission(options.InferenceQueueCapacity,
            options.InferenceQueueCapacityPerKey ?? Math.Max(1, options.InferenceQueueCapacity / 2));
        _logger = logger;
    }

    /// <summary>Requests waiting for the worker (some of their films not yet taken).</summary>
    public int Depth
    {
        get { lock (_lock) return _admission.Count; }
    }

    /// <summary>Whether the worker loop is running (readiness).</summary>
    public bool Running { get; private set; }

    /// <summary>Queues the films of <paramref name="client"/> (the API key; one shared client for requests without a
    /// key) and waits for their outcomes (in input order). Throws <see cref="QueueFullException"/> at once when the
    /// queue is full, or holds as many requests of this client as one client may have waiting; honours cancellation
    /// while waiting.</summary>
    public Task<IReadOnlyList<ScreeningOutcome>> ScreenAsync(IReadOnlyList<FilmInput> films, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(films);
        if (films.Count == 0)
            return Task.FromResult<IReadOnlyList<ScreeningOutcome>>([]);
        var job = new Job(films, client, cancellationToken);
        lock (_lock)
        {
            if (!_admission.TryAdmit(client))
                throw new QueueFullException();
            for (var i = 0; i < films.Count; i++)
                _waiting.Enqueue(client, new Slot(job, i), Cost(films[i]));
        }
        _doorbell.Writer.TryWrite(true);
        return job.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>What a film costs the worker: the pixels its header declares; for DICOM (whose size may sit in a
    /// deflated data set) half its bytes, which is its pixel count for uncompressed 16-bit pixels.</summary>
    public static long Cost(FilmInput film)
    {
        ArgumentNullException.ThrowIfNull(film);
        return FilmDecoder.DeclaredPixels(film.Bytes.Span) ?? Math.Max(1, film.Bytes.Length / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Running = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                IReadOnlyList<Slot> batch;
                lock (_lock)
                    batch = _waiting.TakeBatch(_maxBatchFilms, _batchPixels, s => Abandoned(s.Job));
                if (batch.Count == 0)
                {
                    await _doorbell.Reader.ReadAsync(stoppingToken);
                    continue;
                }
                await RunBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                Running = false;
                foreach (var left in _waiting.TakeBatch(int.MaxValue, long.MaxValue))
                    left.Job.Completion.TrySetCanceled();
            }
        }
    }

    /// <summary>A cancelled request's films are dropped when their turn comes (called under the lock).</summary>
    private bool Abandoned(Job job)
    {
        if (!job.Cancellation.IsCancellationRequested)
            return false;
        job.Completion.TrySetCanceled(job.Cancellation);
        Taken(job);
        return true;
    }

    /// <summary>Counts one more of the job's films as taken from the queue (called under the lock).</summary>
    private void Taken(Job job)
    {
        if (++job.Taken == job.Films.Count)
            _admission.Release(job.Client);
    }

    private async Task RunBatchAsync(IReadOnlyList<Slot> batch, CancellationToken stoppingToken)
    {
        lock (_lock)
        {
            foreach (var slot in batch)
                Taken(slot.Job);
        }
        var jobs = batch.Select(s => s.Job).Distinct().ToList();
        try
        {
            _metrics.ObserveBatch(batch.Count);
            var outcomes = await Task.Run(() => _service.Screen(batch.Select(s => s.Job.Films[s.Index]).ToList(), stoppingToken), stoppingToken);
            // The decoded film is let go here: the server stores the uploaded bytes and renders previews from them,
            // and a request's outcomes wait for its last film (sixteen 49 MP films would hold 800 MB until then).
            for (var k = 0; k < batch.Count; k++)
                batch[k].Job.Answer(batch[k].Index, outcomes[k] with { Film = null });
            if (jobs.Count > 1)
                LogBatched(jobs.Count, batch.Count);
        }
        catch (OperationCanceledException)
        {
            foreach (var job in jobs)
                job.Completion.TrySetCanceled();
        }
        catch (Exception e)
        {
            foreach (var job in jobs)
                job.Completion.TrySetException(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "screened films of {Requests} requests together ({Films} films)")]
    private partial void LogBatched(int requests, int films);

    private readonly record struct Slot(Job Job, int Index);

    private sealed class Job(IReadOnlyList<FilmInput> films, string client, CancellationToken cancellation)
    {
        private readonly ScreeningOutcome?[] _outcomes = new ScreeningOutcome?[films.Count];
        private int _answered;

        public IReadOnlyList<FilmInput> Films { get; } = films;
        public string Client { get; } = client;
        public CancellationToken Cancellation { get; } = cancellation;

        /// <summary>Films taken from the queue so far (guarded by the queue's lock).</summary>
        public int Taken { get; set; }

        public TaskCompletionSource<IReadOnlyList<ScreeningOutcome>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Records one film's outcome; the last one completes the request. Only the worker calls it.</summary>
        public void Answer(int index, ScreeningOutcome outcome)
        {
            _outcomes[index] = outcome;
            if (++_answered == Films.Count)
                Completion.TrySetResult(_outcomes.Select(o => o!).ToList());
        }
    }
}
