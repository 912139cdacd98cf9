using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// A session's outgoing messages, in seq order. While no sink is attached (audio before the data channel
/// opened, or a client that dropped) messages wait in a bounded pending queue; delivered messages are kept in a
/// bounded replay ring, so a client that reconnects with the last seq it received gets exactly the messages
/// after it. Single owner (the session's worker).
/// </summary>
public sealed class SessionOutbox
{
    private readonly Queue<Entry> pending;
    private readonly int pendingCapacity;
    private readonly RecentItems<Entry> replay;
    private ICaptionSink? sink;

    public SessionOutbox(int pendingCapacity, int replayCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pendingCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replayCapacity, 1);
        this.pendingCapacity = pendingCapacity;
        pending = new Queue<Entry>(Math.Min(pendingCapacity, 64));
        replay = new RecentItems<Entry>(replayCapacity);
    }

    /// <summary>Whether a sink is attached.</summary>
    public bool IsAttached => sink is not null;

    /// <summary>Messages waiting for a sink.</summary>
    public int PendingCount => pending.Count;

    /// <summary>Messages dropped from the full pending queue (oldest first).</summary>
    public long Dropped { get; private set; }

    /// <summary>Highest seq handed to <see cref="Add"/>.</summary>
    public long LastSeq { get; private set; }

    /// <summary>Sends the message now if a sink is attached, else keeps it for the next attach.</summary>
    public void Add(CaptionMessage message, string json)
    {
        ArgumentNullException.ThrowIfNull(message);
        LastSeq = message.Seq;
        var entry = new Entry(message, json);
        if (sink is not null && pending.Count == 0 && Deliver(entry))
        {
            return;
        }

        if (pending.Count == pendingCapacity)
        {
            pending.Dequeue();
            Dropped++;
        }

        pending.Enqueue(entry);
    }

    /// <summary>
    /// Attaches a sink. With <paramref name="lastSeqReceived"/> (a reconnect), first re-sends the delivered
    /// messages after that seq; then every pending message. Returns false when the replay ring no longer holds
    /// every message after <paramref name="lastSeqReceived"/> (a gap the caller reports to the client).
    /// </summary>
    public bool Attach(ICaptionSink newSink, long? lastSeqReceived)
    {
        ArgumentNullException.ThrowIfNull(newSink);
        sink = newSink;
        var complete = true;
        if (lastSeqReceived is { } last)
        {
            var firstWanted = last + 1;
            var oldestKept = replay.Count > 0 ? replay[0].Message.Seq : (pending.Count > 0 ? pending.Peek().Message.Seq : LastSeq + 1);
            complete = firstWanted >= oldestKept;
            var toResend = new List<Entry>();
            for (var i = 0; i < replay.Count; i++)
            {
                var e = replay[i];
                if (e.Message.Seq > last)
                {
                    toResend.Add(e);
                }
            }

            foreach (var e in toResend)
            {
                if (!sink.TrySend(e.Message, e.Json))
                {
                    sink = null;
                    return complete;
                }
            }
        }

        Flush();
        return complete;
    }

    /// <summary>Forgets every kept message (the session ended: nobody can resume it).</summary>
    public void Clear()
    {
        pending.Clear();
        replay.Clear();
    }

    /// <summary>The sink went away; messages wait again.</summary>
    public void Detach() => sink = null;

    /// <summary>Delivers pending messages while a sink is attached.</summary>
    public void Flush()
    {
        while (sink is not null && pending.Count > 0)
        {
            if (!Deliver(pending.Peek()))
            {
                return;
            }

            pending.Dequeue();
        }
    }

    private bool Deliver(Entry entry)
    {
        if (!sink!.TrySend(entry.Message, entry.Json))
        {
            sink = null;
            return false;
        }

        replay.Add(entry);
        return true;
    }

    private readonly record struct Entry(CaptionMessage Message, string Json);
}
