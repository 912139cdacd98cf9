using System.Collections.Concurrent;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Browser;

/// <summary>
/// A session's captions onto a peer's "captions" data channel. <see cref="TrySend"/> (the session's worker) only
/// queues the text in a bounded queue and posts one drain command to the peer's worker, which alone sends; so the
/// session never waits on the network. A full queue (a client that stopped reading) or a failed send ends the sink:
/// the session keeps its messages for a reconnect, and the peer is closed so the client reconnects and resumes.
/// </summary>
internal sealed class DataChannelCaptionSink : ICaptionSink
{
    private readonly TransportPeer peer;
    private readonly ConcurrentQueue<string> queue = new();
    private readonly int capacity;
    private readonly Action<PeerConnection, long> drain;
    private int count;
    private int drainPosted;
    private volatile bool closed;

    public DataChannelCaptionSink(TransportPeer peer, DataChannel channel, int capacity)
    {
        this.peer = peer;
        Channel = channel;
        this.capacity = capacity;
        drain = Drain;
    }

    public DataChannel Channel { get; }

    /// <summary>Messages queued and not yet handed to SCTP.</summary>
    public bool HasBacklog => !queue.IsEmpty;

    public bool IsClosed => closed;

    public bool TrySend(CaptionMessage message, string json)
    {
        if (closed)
        {
            return false;
        }

        if (Interlocked.Increment(ref count) > capacity)
        {
            Interlocked.Decrement(ref count);
            Close();
            peer.TryPost(static (pc, now) => pc.Close(now));
            return false;
        }

        queue.Enqueue(json);
        ScheduleDrain();
        return true;
    }

    /// <summary>Stops sending (the channel or the peer went away); queued text is dropped, the session still holds it.</summary>
    public void Close()
    {
        closed = true;
        while (queue.TryDequeue(out _))
        {
            Interlocked.Decrement(ref count);
        }
    }

    /// <summary>Sends what is queued; on the peer's worker. SCTP's full buffer leaves the rest for the next call.</summary>
    public void Drain(PeerConnection connection, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Volatile.Write(ref drainPosted, 0);
        while (!closed && queue.TryPeek(out var json))
        {
            var status = connection.SendDataChannelMessage(Channel, json, nowMicros);
            if (status == DataChannelSendStatus.BufferFull)
            {
                return; // retried by the call's next tick
            }

            queue.TryDequeue(out _);
            Interlocked.Decrement(ref count);
            if (status != DataChannelSendStatus.Ok)
            {
                Close();
                return;
            }
        }
    }

    private void ScheduleDrain()
    {
        if (Interlocked.Exchange(ref drainPosted, 1) == 0 && !peer.TryPost(drain))
        {
            // The peer's inbox is full or the peer is gone: the next message or tick tries again.
            Volatile.Write(ref drainPosted, 0);
        }
    }
}
