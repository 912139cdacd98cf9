using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Signaling;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// Where a call's caption messages go: the SignalR group of the call's watchers ("Caption", with call_id, from and
/// to added to each message), in seq order through one bounded queue and one sender task. It also keeps the last
/// messages (bounded, like the session outbox's replay), so a viewer who joins mid-call first gets what the call has
/// said so far (<see cref="History"/>), then live. When the call is over a "CallEnded" message follows the last one.
/// </summary>
public sealed class CallCaptionSink : ICaptionSink
{
    /// <summary>The hub method that carries caption messages to watchers.</summary>
    public const string CaptionMethod = "Caption";

    /// <summary>The hub method that tells watchers the call is over (after its Metadata).</summary>
    public const string CallEndedMethod = "CallEnded";

    private readonly IHubContext<SignalingHub> hub;
    private readonly string suffix;
    private readonly RecentItems<RawJson> history;
    private readonly Channel<Outgoing> queue;
    private readonly object gate = new();
    private readonly Task sender;
    private long dropped;

    /// <param name="hub">The signaling hub's context (groups live there).</param>
    /// <param name="call">The call whose messages these are.</param>
    /// <param name="historyCapacity">Messages kept for late watchers.</param>
    /// <param name="queueCapacity">Messages waiting for the sender; beyond it they are dropped (counted) for live watchers but still kept in the history.</param>
    public CallCaptionSink(IHubContext<SignalingHub> hub, CallIdentity call, int historyCapacity, int queueCapacity)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        this.hub = hub;
        Call = call;
        Group = GroupOf(call.CallId);
        suffix = $",\"call_id\":{JsonSerializer.Serialize(call.CallId)},\"from\":{JsonSerializer.Serialize(call.From)},\"to\":{JsonSerializer.Serialize(call.To)}}}";
        history = new RecentItems<RawJson>(historyCapacity);
        queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        sender = Task.Run(SendAllAsync);
    }

    public CallIdentity Call { get; }

    /// <summary>The SignalR group of the call's watchers.</summary>
    public string Group { get; }

    /// <summary>Messages not pushed live because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Completes once every queued message and the CallEnded notice were handed to SignalR.</summary>
    public Task Completion => sender;

    public static string GroupOf(string callId) => "call:" + callId;

    /// <summary>Called on the session's worker, in seq order; never blocks and never detaches.</summary>
    public bool TrySend(CaptionMessage message, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var labelled = new RawJson(Label(json));
        lock (gate)
        {
            history.Add(labelled);
        }

        if (!queue.Writer.TryWrite(new Outgoing(labelled, null)))
        {
            Interlocked.Increment(ref dropped);
        }

        return true;
    }

    /// <summary>The kept messages, oldest first (a late watcher's start; it drops by seq what it then also gets live).</summary>
    public IReadOnlyList<RawJson> History()
    {
        lock (gate)
        {
            return history.ToArray();
        }
    }

    /// <summary>The call is over and its session has ended: tell the watchers (after the last message) and stop.</summary>
    public void Complete(CallEndedNotice notice)
    {
        // The notice must not be lost to a full queue: it is the watchers' only sign that nothing more comes.
        _ = queue.Writer.WriteAsync(new Outgoing(null, notice)).AsTask().ContinueWith(
            _ => queue.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The message with the call's fields added before its closing brace (the session writes one JSON object).</summary>
    private string Label(string json) => json.Length > 1 && json[^1] == '}' ? string.Concat(json.AsSpan(0, json.Length - 1), suffix) : json;

    private async Task SendAllAsync()
    {
        await foreach (var item in queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (item.Message is { } message)
                {
                    await hub.Clients.Group(Group).SendAsync(CaptionMethod, message).ConfigureAwait(false);
                }
                else
                {
                    await hub.Clients.Group(Group).SendAsync(CallEndedMethod, item.Ended).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // a watcher's broken connection must not stop the others' captions
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref dropped);
            }
        }
    }

    private readonly record struct Outgoing(RawJson? Message, CallEndedNotice? Ended);
}
