using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// Our SIP endpoint with call media, as the server composes it, on 127.0.0.1 (ephemeral SIP port, a media port
/// range of its own): SipTransportHost → CallMediaHost → one <see cref="RecordingConsumer"/> per call.
/// </summary>
internal sealed class CallMediaFixture : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RecordingConsumer> _consumers = new();

    private CallMediaFixture(SipTransportHost sip, CallMediaHost media)
    {
        Sip = sip;
        Media = media;
    }

    public SipTransportHost Sip { get; }

    public CallMediaHost Media { get; }

    public static async Task<CallMediaFixture> StartAsync(int mediaPortFirst, CallMediaOptions? options = null)
    {
        int port = FreeUdpPort();
        var server = new SipServer(new SipServerOptions
        {
            SignalingHost = "127.0.0.1",
            SignalingPort = port,
            MediaAddress = IPAddress.Loopback,
            MediaPortFirst = mediaPortFirst,
            MediaPortLast = mediaPortFirst + 19,

            // The media host binds a call's port when it reads CallOffered, on its own loop; a 200 OK sent at once
            // can be answered with RTP (on loopback, within microseconds) before that bind. Ringing briefly first
            // is what a trunk sees anyway, and leaves the bind time to happen.
            RingingDuration = TimeSpan.FromMilliseconds(100),
        });
        var sip = new SipTransportHost(server, new SipTransportOptions { Udp = new IPEndPoint(IPAddress.Loopback, port), Tcp = null });
        CallMediaFixture? fixture = null;
        var media = new CallMediaHost(sip, started => fixture!._consumers.GetOrAdd(started.CallId, _ => new RecordingConsumer()),
            new CallMediaHostOptions { BindAddress = IPAddress.Loopback, MaxCalls = 4, Media = options ?? new CallMediaOptions() });
        fixture = new CallMediaFixture(sip, media);
        sip.Start();
        media.Start();

        // Warm the SIP path (JIT) so the peer's first INVITE is answered before it would retransmit.
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var options_ = $"OPTIONS sip:100@127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP {probe.Client.LocalEndPoint};branch=z9hG4bK-warm;rport\r\n"
            + "From: <sip:warm@127.0.0.1>;tag=w\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: warm-up\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await probe.SendAsync(Encoding.ASCII.GetBytes(options_), sip.UdpEndpoint!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await probe.ReceiveAsync(timeout.Token);
        return fixture;
    }

    /// <summary>Reads events until a call's media is closed; returns them and the call's consumer.</summary>
    public async Task<(List<SipCallEvent> Events, RecordingConsumer Consumer)> NextClosedCallAsync(TimeSpan timeout)
    {
        var events = new List<SipCallEvent>();
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            SipCallEvent callEvent;
            try
            {
                callEvent = await Media.Events.ReadAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("no call media closed in time; events: " + string.Join(", ", events));
                throw;
            }

            events.Add(callEvent);
            if (callEvent is CallMediaClosed closed)
            {
                Assert.True(_consumers.TryGetValue(closed.CallId, out var consumer), "the call never started");
                return (events, consumer);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Media.DisposeAsync();
        await Sip.DisposeAsync();
    }

    /// <summary>A port range unlikely to be taken: an even start in a band no other test uses, away from other runs.</summary>
    public static int MediaPortRange(int band) => 40_000 + (band * 2000) + (2 * Random.Shared.Next(0, 800));

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
