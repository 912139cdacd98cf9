using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Browser;

/// <summary>
/// A browser stand-in: our client-role PeerConnection on its own UDP transport, signaling through the hub like the
/// web page (Offer(sdp), or Offer(sdp, sessionId, lastSeq) to resume), sending Opus RTP (20 ms frames at 16 kHz, a 48 kHz RTP
/// clock) and keeping the caption messages the "captions" channel brings, parsed back from their JSON.
/// </summary>
internal sealed class CaptionPeerClient : IPeerEventHandler, IAsyncDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
    private readonly UdpPeerTransport transport = new(new UdpPeerTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
    private readonly List<CaptionMessage> messages = [];
    private readonly ConcurrentQueue<PeerConnectionState> states = new();
    private readonly OpusEncoder encoder = new(sampleRate: 16000);
    private readonly PeerConnection connection;
    private DataChannel? captions;
    private TransportPeer? peer;
    private ushort sequence = 1000;
    private uint timestamp = 12345;

    private CaptionPeerClient(bool openCaptionsFirst)
    {
        long now = StopwatchClock.Instance.NowMicros;
        connection = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = Certificate }, now);
        if (openCaptionsFirst)
        {
            captions = connection.OpenDataChannel("captions", now);
        }

        transport.Start();
    }

    public string PeerId { get; private set; } = "";

    public string SessionId { get; private set; } = "";

    public IReadOnlyList<CaptionMessage> Messages
    {
        get
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
    }

    public bool ChannelOpen { get; private set; }

    public bool Removed { get; private set; }

    public bool Has(PeerConnectionState state) => states.Contains(state);

    /// <summary>Offers through <paramref name="signaling"/> (Resume when <paramref name="resume"/> is given) and starts the peer.</summary>
    public static async Task<CaptionPeerClient> ConnectAsync(SignalRJsonClient signaling, IPEndPoint server, bool openCaptionsFirst = true,
        (string SessionId, long LastSeq)? resume = null)
    {
        var client = new CaptionPeerClient(openCaptionsFirst);
        var reply = resume is { } r
            ? await signaling.InvokeAsync("Offer", client.connection.LocalDescription, r.SessionId, r.LastSeq) // the page's reconnect overload
            : await signaling.InvokeAsync("Offer", client.connection.LocalDescription);
        client.PeerId = reply.GetProperty("peerId").GetString()!;
        client.SessionId = reply.GetProperty("sessionId").GetString()!;
        Assert.True(client.connection.SetRemoteAnswer(reply.GetProperty("sdp").GetString()!, StopwatchClock.Instance.NowMicros, out var error), error);
        Assert.True(client.transport.TryAddPeer(client.connection, client, out client.peer, out error, knownRemotes: [server]), error);
        Assert.True(await PeerEventLog.WaitForAsync(() => client.Has(PeerConnectionState.Connected)), "the peer did not connect");
        return client;
    }

    public Task<bool> WaitForChannelAsync() => PeerEventLog.WaitForAsync(() => ChannelOpen);

    public Task<bool> WaitForAsync(Func<IReadOnlyList<CaptionMessage>, bool> condition) => PeerEventLog.WaitForAsync(() => condition(Messages), TimeSpan.FromSeconds(30));

    /// <summary>Opens the captions channel now (for a client that connected without it).</summary>
    public void OpenCaptions() => Assert.True(peer!.TryPost((pc, now) => captions = pc.OpenDataChannel("captions", now)));

    /// <summary>Sends a control message (KeepAlive, Finalize, CloseStream...) on the captions channel.</summary>
    public void Send(string json) => Assert.True(peer!.TryPost((pc, now) => pc.SendDataChannelMessage(captions!, json, now)));

    /// <summary>Sends 16 kHz audio as Opus RTP, 20 ms a packet, at about ten times real time (in steps the server's queues absorb).</summary>
    public async Task SendAudioAsync(float[] audio)
    {
        var packet = new byte[12 + OpusEncoder.MaxPacketBytes];
        for (var at = 0; at + 320 <= audio.Length; at += 320)
        {
            int length = encoder.Encode(audio.AsSpan(at, 320), packet.AsSpan(12));
            packet[0] = 0x80;
            packet[1] = PeerConnection.ClientOpusPayloadType;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
            timestamp += 960;
            byte[] rtp = packet.AsSpan(0, 12 + length).ToArray();
            var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Assert.True(peer!.TryPost((pc, now) =>
            {
                BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), pc.AudioSsrc);
                sent.TrySetResult(pc.SendRtp(rtp, now));
            }));
            Assert.True(await sent.Task, "SendRtp refused a packet");
            if (at / 320 % 10 == 9)
            {
                await Task.Delay(20);
            }
        }
    }

    public void OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent)
    {
        switch (peerEvent.Kind)
        {
            case PeerConnectionEventKind.StateChanged:
                states.Enqueue(peerEvent.State);
                break;
            case PeerConnectionEventKind.DataChannelOpened when peerEvent.Channel!.Label == "captions":
                captions = peerEvent.Channel;
                ChannelOpen = true;
                break;
            case PeerConnectionEventKind.DataChannelMessage when peerEvent.Channel!.Label == "captions":
                var json = System.Text.Encoding.UTF8.GetString(peerEvent.Data.Span);
                var message = CaptionJson.Deserialize(json) ?? throw new JsonException("not a caption message: " + json);
                lock (messages)
                {
                    messages.Add(message);
                }

                break;
        }
    }

    public void OnRemoved(TransportPeer peer) => Removed = true;

    public async ValueTask DisposeAsync()
    {
        await transport.DisposeAsync();
        encoder.Dispose();
    }
}
