using System.Security.Cryptography;
using System.Text;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Tests.Signaling;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The server as the interop tests run it: real signaling hub and UDP transport on 127.0.0.1, and an
/// application that echoes every data channel message back ("echo: " before text; binary as is when
/// the peer's max-message-size allows, else its length and SHA-256 as text) and, when the client's
/// "captions" channel opens, opens its own "server-push" channel, greets on it and pushes a binary
/// message of the pattern i % 251, as large as the peer accepts up to 100 000 bytes.
/// </summary>
internal sealed class EchoingServer : IAsyncDisposable
{
    private EchoingServer(SignalingTestServer host, PeerEventLog log)
    {
        Host = host;
        Log = log;
    }

    public SignalingTestServer Host { get; }

    public PeerEventLog Log { get; }

    public static async Task<EchoingServer> StartAsync(Action<Microsoft.AspNetCore.Builder.WebApplication>? map = null)
    {
        var log = new PeerEventLog { OnEach = Respond };
        var host = await SignalingTestServer.StartAsync(log, map: map);
        return new EchoingServer(host, log);
    }

    /// <summary>The decoded-RTP packets one peer sent, in arrival order.</summary>
    public List<(byte[] Packet, Rtc.Srtp.RtpPacketHeader Header)> AudioOf(string peerId) =>
        Log.Audio.Where(a => a.PeerId == peerId).Select(a => (a.Packet, a.Header)).ToList();

    public async Task<bool> NothingLeftAsync()
    {
        var transport = Host.Transport;
        return await PeerEventLog.WaitForAsync(() => transport.PeerCount == 0 && transport.ActiveWorkers == 0
            && transport.DemuxPeerCount == 0 && transport.DemuxAddressCount == 0 && transport.ActiveTimers == 0
            && transport.PendingHandshakes == 0 && Host.Host.TrackedPeerCount == 0, TimeSpan.FromSeconds(40));
    }

    public string Counts()
    {
        var t = Host.Transport;
        return $"peers {t.PeerCount}, workers {t.ActiveWorkers}, demux {t.DemuxPeerCount}/{t.DemuxAddressCount}, timers {t.ActiveTimers}, pending {t.PendingHandshakes}, tracked {Host.Host.TrackedPeerCount}";
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }

    private static void Respond(TransportPeer peer, PeerConnectionEvent e)
    {
        var pc = peer.Connection;
        long now = Rtc.Transport.StopwatchClock.Instance.NowMicros;
        switch (e.Kind)
        {
            case PeerConnectionEventKind.DataChannelMessage when e.IsBinary && e.Data.Length <= pc.RemoteMaxMessageSize:
                pc.SendDataChannelMessage(e.Channel!, e.Data.Span, binary: true, now);
                break;
            case PeerConnectionEventKind.DataChannelMessage when e.IsBinary:
                pc.SendDataChannelMessage(e.Channel!, $"binary {e.Data.Length} sha256 {Convert.ToHexStringLower(SHA256.HashData(e.Data.Span))}", now);
                break;
            case PeerConnectionEventKind.DataChannelMessage:
                pc.SendDataChannelMessage(e.Channel!, "echo: " + Encoding.UTF8.GetString(e.Data.Span), now);
                break;
            case PeerConnectionEventKind.DataChannelOpened when e.Channel!.Label == "captions":
                pc.OpenDataChannel("server-push", now);
                break;
            case PeerConnectionEventKind.DataChannelOpened when e.Channel!.Label == "server-push":
                pc.SendDataChannelMessage(e.Channel, "welcome", now);
                pc.SendDataChannelMessage(e.Channel, Pattern((int)Math.Min(pc.RemoteMaxMessageSize, 100_000)), binary: true, now);
                break;
        }
    }
}
