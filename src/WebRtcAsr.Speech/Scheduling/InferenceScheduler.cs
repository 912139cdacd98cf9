using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.Speech.Scheduling;

/// <summary>
/// Collects ready streams from many sessions in a bounded queue and decodes them in batches (one encoder call
/// per batch). A session feeds audio to its stream, then awaits <see cref="DecodeAsync"/> for each ready chunk
/// before feeding more; the await completes once that chunk is decoded.
/// </summary>
public sealed class InferenceScheduler : IAsyncDisposable
{
    private readonly OnlineRecognizer recognizer;
    private readonly InferenceSchedulerOptions options;
    private readonly Channel<DecodeTicket> queue;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task[] workers;
    private readonly ILogger? logger;

    public InferenceScheduler(OnlineRecognizer recognizer, InferenceSchedulerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        options ??= new InferenceSchedulerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        this.recognizer = recognizer;
        this.options = options;
        this.logger = logger;
        queue = Channel.CreateBounded<DecodeTicket>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = options.Workers == 1,
        });
        workers = new Task[options.Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(WorkAsync);
        }
    }

    /// <summary>Streams waiting now.</summary>
    public int QueueLength => queue.Reader.CanCount ? queue.Reader.Count : -1;

    /// <summary>
    /// Queues one chunk of the stream and completes when it is decoded: true if decoded, false if the stream was
    /// not ready. Throws <see cref="OperationCanceledException"/> when cancelled before its batch ran, and
    /// <see cref="InvalidOperationException"/> if the stream is already queued.
    /// </summary>
    public ValueTask<bool> DecodeAsync(OnlineStream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stopping.IsCancellationRequested)
        {
            return ValueTask.FromException<bool>(new ObjectDisposedException(nameof(InferenceScheduler)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var ticket = stream.SchedulerSlot as DecodeTicket;
        if (ticket is null)
        {
            ticket = new DecodeTicket(stream);
            stream.SchedulerSlot = ticket;
        }

        if (!ticket.TryArm(cancellationToken))
        {
            return ValueTask.FromException<bool>(new InvalidOperationException("the stream is already queued"));
        }

        var result = ticket.AsValueTask();
        if (!queue.Writer.TryWrite(ticket))
        {
            _ = EnqueueSlowAsync(ticket, cancellationToken);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        queue.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        while (queue.Reader.TryRead(out var left))
        {
            left.Fail(new ObjectDisposedException(nameof(InferenceScheduler)));
        }

        stopping.Dispose();
    }

    private async Task EnqueueSlowAsync(DecodeTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            await queue.Writer.WriteAsync(ticket, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            ticket.Fail(ex);
        }
        catch (ChannelClosedException)
        {
            ticket.Fail(new ObjectDisposedException(nameof(InferenceScheduler)));
        }
    }

    private async Task WorkAsync()
    {
        var tickets = new DecodeTicket[options.MaxBatchSize];
        var streams = new OnlineStream[options.MaxBatchSize];
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false))
            {
                var n = 0;
                while (n < tickets.Length && reader.TryRead(out var ticket))
                {
                    if (ticket.CancellationToken.IsCancellationRequested)
                    {
                        ticket.Fail(new OperationCanceledException(ticket.CancellationToken));
                    }
                    else if (!recognizer.IsReady(ticket.Stream))
                    {
                        ticket.Complete(false);
                    }
                    else
                    {
                        tickets[n] = ticket;
                        streams[n] = ticket.Stream;
                        n++;
                    }
                }

                if (n > 0)
                {
                    RunBatch(tickets.AsSpan(0, n), streams.AsSpan(0, n));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void RunBatch(Span<DecodeTicket> tickets, Span<OnlineStream> streams)
    {
        Exception? error = null;
        try
        {
            recognizer.DecodeStreams(streams);
        }
#pragma warning disable CA1031 // the error belongs to the producers awaiting this batch; the worker must survive it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
            logger?.LogError(ex, "Decoding a batch of {Count} streams failed", tickets.Length);
        }

        for (var i = 0; i < tickets.Length; i++)
        {
            if (error is null)
            {
                tickets[i].Complete(true);
            }
            else
            {
                tickets[i].Fail(error);
            }

            tickets[i] = null!;
            streams[i] = null!;
        }
    }
}
