using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>The steady-state audio path of a server peer (SRTP in, decrypted RTP event out) allocates nothing.</summary>
public sealed class PeerConnectionAllocationTests
{
    [Fact]
    public void Receiving_audio_allocates_nothing_per_packet()
    {
        using var pair = new InMemoryPeerPair();
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Connected && pair.Client.State == PeerConnectionState.Connected));

        // Protect the packets on the client side first; only the server's work is measured.
        const int count = 2000;
        var datagrams = ClientAudio.Protect(pair, count);

        var server = pair.Server;
        var from = InMemoryPeerPair.ClientAddress;
        long now = pair.Now;
        int received = 0;
        for (int i = 0; i < 200; i++)
        {
            received += Receive(server, datagrams[i], from, now); // warm-up: pools, SRTP stream state
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 200; i < count; i++)
        {
            received += Receive(server, datagrams[i], from, now);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(count, received);
        Assert.Equal(0, allocated);
    }

    private static int Receive(Rtc.PeerConnection.PeerConnection server, byte[] datagram, System.Net.IPEndPoint from, long now)
    {
        server.HandleReceive(datagram, from, now);
        int audio = 0;
        while (server.TryPollEvent(out var e))
        {
            audio += e.Kind == PeerConnectionEventKind.AudioRtp && e.RtpPayload.Length == 120 ? 1 : 0;
        }

        return audio;
    }
}
