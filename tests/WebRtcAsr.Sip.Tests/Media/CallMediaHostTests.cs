using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>The glue's own rules: call limit, a port that cannot be bound, event order, release on CallEnded.</summary>
public sealed class CallMediaHostTests : IAsyncLifetime
{
    private readonly Channel<SipCallEvent> _sip = Channel.CreateUnbounded<SipCallEvent>();
    private readonly ConcurrentQueue<string> _ended = new();
    private readonly ConcurrentQueue<string> _mediaStopped = new();
    private CallMediaHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new CallMediaHost(_sip.Reader, id => { _ended.Enqueue(id); return true; }, id => { _mediaStopped.Enqueue(id); return true; },
            _ => new RecordingConsumer(), new CallMediaHostOptions { BindAddress = IPAddress.Loopback, MaxCalls = 1 });
        _host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<SipCallEvent> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _host.Events.ReadAsync(timeout.Token);
    }

    private static CallOffered Offered(string id, int port) => new(id, "<sip:a@x>", "<sip:b@y>", new IPEndPoint(IPAddress.Loopback, 5060), port);

    [Fact]
    public async Task Calls_beyond_the_limit_and_calls_whose_port_is_taken_are_ended_and_counted()
    {
        int port = CallMediaFixture.MediaPortRange(4);
        await _sip.Writer.WriteAsync(Offered("a", port));
        await _sip.Writer.WriteAsync(Offered("b", port + 2));
        Assert.Equal("a", (await NextAsync()).CallId);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), Assert.IsType<CallMediaOpened>(await NextAsync()).LocalRtp);
        Assert.Equal("b", Assert.IsType<CallOffered>(await NextAsync()).CallId);
        await WaitUntilAsync(() => !_ended.IsEmpty); // events are passed on before they are acted on
        Assert.Equal(["b"], _ended);
        Assert.Equal(1, _host.CallsRefused);
        Assert.Equal(1, _host.ActiveCalls);

        // The call's media is bound: its RTP port is taken now.
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            Assert.Throws<SocketException>(() => probe.Bind(new IPEndPoint(IPAddress.Loopback, port)));
        }

        // Ended: CallEnded is passed on first, then the media closes and the port is free again.
        await _sip.Writer.WriteAsync(new CallEnded("a", CallEndReason.RemoteHangup));
        Assert.IsType<CallEnded>(await NextAsync());
        var closed = Assert.IsType<CallMediaClosed>(await NextAsync());
        Assert.Equal("a", closed.CallId);
        Assert.Equal(0, _host.ActiveCalls);
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }

        // A port some other program holds: the call cannot have media and is ended.
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, port + 5));
        await _sip.Writer.WriteAsync(Offered("c", port + 4));
        Assert.Equal("c", (await NextAsync()).CallId);
        await WaitUntilAsync(() => _ended.Contains("c"));
        Assert.Equal(1, _host.BindFailures);
        Assert.Equal(0, _host.ActiveCalls);
    }

    [Fact]
    public async Task A_started_call_without_rtp_reports_media_stopped_to_the_sip_core()
    {
        await using var host = new CallMediaHost(_sip.Reader, _ => true, id => { _mediaStopped.Enqueue(id); return true; },
            _ => new RecordingConsumer(),
            new CallMediaHostOptions { BindAddress = IPAddress.Loopback, Media = new CallMediaOptions { InactivityTimeout = TimeSpan.FromMilliseconds(200) } });
        await _host.DisposeAsync(); // this test reads the channel with its own host
        host.Start();
        int port = CallMediaFixture.MediaPortRange(4) + 100;
        var media = new SipMediaSession(port, new IPEndPoint(IPAddress.Loopback, 9), null, SdpDirection.SendRecv, false,
            [new NegotiatedCodec(0, "PCMU", 8000, 1, null)], null, 20);
        await _sip.Writer.WriteAsync(Offered("d", port));
        await _sip.Writer.WriteAsync(new CallStarted("d", "<sip:a@x>", "<sip:b@y>", media));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        SipCallEvent e;
        do
        {
            e = await host.Events.ReadAsync(timeout.Token);
        }
        while (e is not CallMediaStopped);

        Assert.Equal(["d"], _mediaStopped);
        Assert.Equal(1, host.MediaTimeouts);
    }

    [Fact]
    public async Task A_call_whose_consumer_cannot_be_made_is_ended()
    {
        var sip = Channel.CreateUnbounded<SipCallEvent>();
        var ended = new ConcurrentQueue<string>();
        await using var host = new CallMediaHost(sip.Reader, id => { ended.Enqueue(id); return true; }, _ => true,
            _ => throw new InvalidOperationException("no caption session for this trunk"),
            new CallMediaHostOptions { BindAddress = IPAddress.Loopback });
        host.Start();
        int port = CallMediaFixture.MediaPortRange(4) + 200;
        var media = new SipMediaSession(port, new IPEndPoint(IPAddress.Loopback, 9), null, SdpDirection.SendRecv, false,
            [new NegotiatedCodec(0, "PCMU", 8000, 1, null)], null, 20);
        await sip.Writer.WriteAsync(Offered("e", port));
        await sip.Writer.WriteAsync(new CallStarted("e", "<sip:a@x>", "<sip:b@y>", media));
        await WaitUntilAsync(() => ended.Contains("e"));
        await sip.Writer.WriteAsync(new CallEnded("e", CallEndReason.LocalHangup));
        await WaitUntilAsync(() => host.ActiveCalls == 0);
    }

    [Fact]
    public async Task A_call_the_application_refuses_is_ended_before_its_port_is_bound()
    {
        var sip = Channel.CreateUnbounded<SipCallEvent>();
        var ended = new ConcurrentQueue<string>();
        await using var host = new CallMediaHost(sip.Reader, id => { ended.Enqueue(id); return true; }, _ => true, _ => new RecordingConsumer(),
            new CallMediaHostOptions { BindAddress = IPAddress.Loopback })
        {
            Admission = offered => offered.CallId == "refuse-me" ? new CallRefusal(503, "session_limit") : null,
        };
        host.Start();
        int port = CallMediaFixture.MediaPortRange(4) + 300;
        await sip.Writer.WriteAsync(Offered("refuse-me", port));
        await WaitUntilAsync(() => ended.Contains("refuse-me"));
        Assert.Equal(1, host.CallsRefused);
        Assert.Equal(0, host.ActiveCalls);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, port)); // never bound

        await sip.Writer.WriteAsync(Offered("take-me", port + 2));
        await WaitUntilAsync(() => host.ActiveCalls == 1);
        Assert.Equal(["refuse-me"], ended);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
