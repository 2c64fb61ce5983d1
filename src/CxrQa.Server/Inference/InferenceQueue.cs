using System.Threading.Channels;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Metrics;

namespace CxrQa.Server.Inference;

/// <summary>The server was asked for more than its bounded queue holds; the caller answers 503 with Retry-After.</summary>
public sealed class QueueFullException() : Exception("the inference queue is full");

/// <summary>
/// Bounded queue in front of the one <see cref="ScreeningService"/>, run as a two-stage pipeline so the cores stay
/// on the network: preparation workers decode and enhance the next films (<see cref="ScreeningService.Prepare"/>)
/// while the network runs the films prepared before them, batched together across concurrent requests up to the
/// model's batch size (<see cref="ScreeningService.Infer"/>). Films wait per client (API key) and are taken in fair
/// order (<see cref="FairScheduler{T}"/>, charged by the pixels their header declares) under a
/// <see cref="PreparationBudget"/>: one client's films never hold every preparation worker, films decode together
/// only within <see cref="ServerOptions.InferenceBatchPixels"/>, and one larger film at a time. A request of many
/// huge films is thus decoded one film at a time beside other clients' films instead of holding the server.
/// </summary>
public sealed partial class InferenceQueue : BackgroundService
{
    private readonly FairScheduler<Slot> _waiting = new();
    private readonly Queue<Prepared> _ready = new();
    private readonly Lock _lock = new();
    private readonly PreparationBudget _preparing;
    // Ring the preparation workers and the network's loop when there may be work for them; a full channel already
    // holds enough rings to wake every reader, and each reader looks for all the work it can take.
    private readonly Channel<bool> _preparationBell;
    private readonly Channel<bool> _inferenceBell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly ScreeningService _service;
    private readonly int _maxBatchFilms;
    private readonly QueueAdmission _admission;
    private readonly ILogger<InferenceQueue> _logger;
    private readonly ServerMetrics _metrics;

    public InferenceQueue(ScreeningService service, ServerOptions options, int maxBatchFilms, ServerMetrics metrics, ILogger<InferenceQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        _service = service;
        _maxBatchFilms = Math.Max(1, maxBatchFilms);
        _preparing = new PreparationBudget(options.PreparationWorkers ?? Environment.ProcessorCount + 1, options.InferenceBatchPixels);
        _preparationBell = Channel.CreateBounded<bool>(new BoundedChannelOptions(_preparing.Workers)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _admission = new QueueAdmission(options.InferenceQueueCapacity,
            options.InferenceQueueCapacityPerKey ?? Math.Max(1, options.InferenceQueueCapacity / 2));
        _logger = logger;
    }

    /// <summary>Requests waiting for the worker (some of their films not yet taken).</summary>
    public int Depth
    {
        get { lock (_lock) return _admission.Count; }
    }

    /// <summary>Whether the pipeline is running (readiness).</summary>
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
        Ring(_preparationBell, films.Count);
        return job.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>What a film costs: the pixels its header declares (for DICOM Rows x Columns x Number of Frames, read
    /// from a deflated data set too); half its bytes when no size can be read, which is the pixel count of
    /// uncompressed 16-bit pixels.</summary>
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
            var preparation = Enumerable.Range(0, _preparing.Workers).Select(_ => Task.Run(() => PrepareLoopAsync(stoppingToken), stoppingToken));
            await Task.WhenAll(preparation.Append(Task.Run(() => InferLoopAsync(stoppingToken), stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                Running = false;
                foreach (var left in _waiting.TakeAll())
                    left.Job.Completion.TrySetCanceled();
                while (_ready.TryDequeue(out var ready))
                    ready.Slot.Job.Completion.TrySetCanceled();
            }
        }
    }

    private async Task PrepareLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            (string Client, Slot Slot, long Cost)? next;
            lock (_lock)
            {
                next = _ready.Count >= _maxBatchFilms ? null : _waiting.TakeNext(_preparing.CanStart, s => Abandoned(s.Job));
                if (next is { } start)
                {
                    _preparing.Start(start.Client, start.Cost);
                    Taken(start.Slot.Job);
                }
            }
            if (next is not { } taken)
            {
                await _preparationBell.Reader.ReadAsync(stoppingToken);
                continue;
            }
            PreparedFilm? prepared = null;
            try
            {
                // The decoded film is let go at once: the server stores the uploaded bytes and renders previews from
                // them, and prepared films wait for the network (sixteen 49 MP films would hold 800 MB).
                prepared = _service.Prepare(taken.Slot.Job.Films[taken.Slot.Index], keepFilm: false);
            }
            catch (Exception e)
            {
                taken.Slot.Job.Completion.TrySetException(e);
            }
            lock (_lock)
            {
                _preparing.Finish(taken.Client, taken.Cost);
                if (prepared is not null)
                    _ready.Enqueue(new Prepared(taken.Slot, prepared));
            }
            Ring(_inferenceBell, 1);
            Ring(_preparationBell, 1);
        }
    }

    private async Task InferLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = new List<Prepared>(_maxBatchFilms);
            lock (_lock)
            {
                while (batch.Count < _maxBatchFilms && _ready.TryDequeue(out var ready))
                    batch.Add(ready);
            }
            if (batch.Count == 0)
            {
                await _inferenceBell.Reader.ReadAsync(stoppingToken);
                continue;
            }
            Ring(_preparationBell, batch.Count);
            Infer(batch);
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

    private void Infer(IReadOnlyList<Prepared> batch)
    {
        var jobs = batch.Select(p => p.Slot.Job).Distinct().ToList();
        try
        {
            _metrics.ObserveBatch(batch.Count);
            var outcomes = _service.Infer(batch.Select(p => p.Film).ToList());
            for (var k = 0; k < batch.Count; k++)
                batch[k].Slot.Job.Answer(batch[k].Slot.Index, outcomes[k]);
            if (jobs.Count > 1)
                LogBatched(jobs.Count, batch.Count);
        }
        catch (Exception e)
        {
            foreach (var job in jobs)
                job.Completion.TrySetException(e);
        }
    }

    private static void Ring(Channel<bool> bell, int times)
    {
        for (var i = 0; i < times && bell.Writer.TryWrite(true); i++)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "screened films of {Requests} requests together ({Films} films)")]
    private partial void LogBatched(int requests, int films);

    private readonly record struct Slot(Job Job, int Index);

    private readonly record struct Prepared(Slot Slot, PreparedFilm Film);

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

        /// <summary>Records one film's outcome; the last one completes the request. Only the network's loop calls it.</summary>
        public void Answer(int index, ScreeningOutcome outcome)
        {
            _outcomes[index] = outcome;
            if (++_answered == Films.Count)
                Completion.TrySetResult(_outcomes.Select(o => o!).ToList());
        }
    }
}
