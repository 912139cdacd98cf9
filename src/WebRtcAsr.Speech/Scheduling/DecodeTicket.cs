using System.Threading.Tasks.Sources;
using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.Speech.Scheduling;

/// <summary>
/// A stream's reusable place in the scheduler queue and the completion its producer awaits. One per stream,
/// reused for every chunk, so that scheduling a chunk allocates nothing.
/// </summary>
internal sealed class DecodeTicket(OnlineStream stream) : IValueTaskSource<bool>
{
    private ManualResetValueTaskSourceCore<bool> core = new() { RunContinuationsAsynchronously = true };
    private int queued;

    public OnlineStream Stream { get; } = stream;

    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Marks the ticket queued; false when the stream is already waiting.</summary>
    public bool TryArm(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref queued, 1, 0) != 0)
        {
            return false;
        }

        core.Reset();
        CancellationToken = cancellationToken;
        return true;
    }

    public ValueTask<bool> AsValueTask() => new(this, core.Version);

    public void Complete(bool decoded)
    {
        Volatile.Write(ref queued, 0);
        core.SetResult(decoded);
    }

    public void Fail(Exception error)
    {
        Volatile.Write(ref queued, 0);
        core.SetException(error);
    }

    public bool GetResult(short token) => core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        core.OnCompleted(continuation, state, token, flags);
}
