using System.Collections.Concurrent;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Browser;

/// <summary>
/// The application's <see cref="IPeerEventHandler"/>: routes each peer's events (on the peer's worker) to the
/// <see cref="BrowserCall"/> bound to it when its offer was accepted. Peers without a call (none bound) are ignored.
/// Also ends the peer when its session ends, and hands a session over to the newest peer on a reconnect.
/// </summary>
public sealed class BrowserCallBinder(ServerMetrics metrics) : IPeerEventHandler
{
    private readonly ConcurrentDictionary<string, BrowserCall> calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BrowserCall> callOfSession = new(StringComparer.Ordinal);

    /// <summary>Peers bound to a session now (drops to zero once every peer is gone).</summary>
    public int CallCount => calls.Count;

    /// <summary>
    /// Binds a new peer (not yet served) to <paramref name="session"/>. A peer that held the session before (the
    /// client reconnected) is closed and no longer detaches it; <paramref name="resumeAfterSeq"/> is the last seq
    /// the client received, replayed from when the new captions channel opens.
    /// </summary>
    internal BrowserCall Bind(PeerConnection connection, CaptionSession session, long? resumeAfterSeq, IMonotonicClock clock)
    {
        var call = new BrowserCall(connection.LocalCredentials.Ufrag, session, resumeAfterSeq, BrowserCall.PayloadTypes(connection), metrics, clock);
        calls[call.PeerId] = call;
        if (callOfSession.TryGetValue(session.Id, out var previous))
        {
            previous.Superseded = true;
            previous.Peer?.TryPost(static (pc, now) => pc.Close(now));
        }

        callOfSession[session.Id] = call;
        return call;
    }

    /// <summary>The transport serves the call's peer: from now on the session's end closes it.</summary>
    internal static void Served(BrowserCall call, TransportPeer peer)
    {
        call.Peer = peer;
        _ = call.Session.Completion.ContinueWith(
            static (_, state) => ((TransportPeer)state!).TryPost(static (pc, now) => pc.Close(now)),
            peer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The peer was never served (the accept failed after binding).</summary>
    internal void Unbind(BrowserCall call)
    {
        calls.TryRemove(new KeyValuePair<string, BrowserCall>(call.PeerId, call));
        callOfSession.TryRemove(new KeyValuePair<string, BrowserCall>(call.Session.Id, call));
        call.Dispose();
    }

    public void OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!calls.TryGetValue(peer.Id, out var call))
        {
            return;
        }

        call.Peer ??= peer;
        switch (peerEvent.Kind)
        {
            case PeerConnectionEventKind.AudioRtp:
                call.OnAudio(peerEvent.Data.Span);
                break;
            case PeerConnectionEventKind.DataChannelOpened:
                call.OnChannelOpened(peerEvent.Channel!);
                break;
            case PeerConnectionEventKind.DataChannelMessage:
                call.OnChannelMessage(peerEvent.Channel!, peerEvent.Data.Span);
                break;
            case PeerConnectionEventKind.DataChannelClosed:
                call.OnChannelClosed(peerEvent.Channel!);
                break;
        }
    }

    public void OnRemoved(TransportPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (calls.TryRemove(peer.Id, out var call))
        {
            callOfSession.TryRemove(new KeyValuePair<string, BrowserCall>(call.Session.Id, call));
            call.OnRemoved();
        }
    }
}
