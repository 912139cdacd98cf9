using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>A caption client: keeps what it receives (as parsed back from the JSON sent); can refuse after N messages (a dropped connection).</summary>
internal sealed class RecordingSink(int acceptAtMost = int.MaxValue) : ICaptionSink
{
    private readonly object gate = new();
    private readonly List<CaptionMessage> messages = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<CaptionMessage> Messages
    {
        get
        {
            lock (gate)
            {
                return [.. messages];
            }
        }
    }

    public bool TrySend(CaptionMessage message, string json)
    {
        lock (gate)
        {
            if (messages.Count >= acceptAtMost)
            {
                return false;
            }

            messages.Add(CaptionJson.Deserialize(json) ?? throw new InvalidOperationException("unreadable message " + json));
            var c = changed;
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            c.SetResult();
        }

        return true;
    }

    /// <summary>Waits until a received message satisfies the predicate (a hang guard, not a timing assertion).</summary>
    public async Task<CaptionMessage> WaitForAsync(Func<CaptionMessage, bool> predicate)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Task next;
            lock (gate)
            {
                var found = messages.FirstOrDefault(predicate);
                if (found is not null)
                {
                    return found;
                }

                next = changed.Task;
            }

            await next.WaitAsync(guard.Token);
        }
    }
}
