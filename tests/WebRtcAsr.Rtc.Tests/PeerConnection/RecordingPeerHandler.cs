using System.Collections.Concurrent;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>Keeps every event a transport hands over (audio copied), for assertions from the test thread.</summary>
internal sealed class RecordingPeerHandler : IPeerEventHandler
{
    public ConcurrentQueue<(TransportPeer Peer, PeerConnectionEvent Event)> Events { get; } = new();

    public ConcurrentQueue<byte[]> Audio { get; } = new();

    public ConcurrentQueue<TransportPeer> Removed { get; } = new();

    /// <summary>Runs on the worker for each event (e.g. to answer or to block it).</summary>
    public Action<TransportPeer, PeerConnectionEvent>? OnEach { get; set; }

    public void OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent)
    {
        if (peerEvent.Kind == PeerConnectionEventKind.AudioRtp)
        {
            Audio.Enqueue(peerEvent.Data.ToArray());
        }

        Events.Enqueue((peer, peerEvent));
        OnEach?.Invoke(peer, peerEvent);
    }

    public void OnRemoved(TransportPeer peer) => Removed.Enqueue(peer);

    public int Count(PeerConnectionEventKind kind) => Events.Count(e => e.Event.Kind == kind);

    public int Count(PeerConnectionState state) => Events.Count(e => e.Event.Kind == PeerConnectionEventKind.StateChanged && e.Event.State == state);

    /// <summary>Polls <paramref name="condition"/> without blocking a thread (a blocked pool thread would slow the workers under test).</summary>
    public static async Task<bool> WaitFor(Func<bool> condition, TimeSpan? limit = null)
    {
        var end = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }
}
