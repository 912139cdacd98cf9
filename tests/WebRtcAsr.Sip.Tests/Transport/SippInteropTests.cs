using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Sip.Tests.Transport;

/// <summary>
/// Interop with a real peer: SIPp drives our UDP/TCP transports on 127.0.0.1 (ephemeral ports) through
/// full calls, OPTIONS, CANCEL before answer and a retransmitted INVITE.
/// </summary>
public sealed class SippInteropTests : IAsyncLifetime
{
    private SipTransportHost _host = null!;

    public async Task InitializeAsync()
    {
        Sipp.Executable();
        var port = Sipp.FreePort();
        var server = new SipServer(new SipServerOptions
        {
            SignalingHost = "127.0.0.1",
            SignalingPort = port,
            MediaAddress = IPAddress.Loopback,
            MediaPortFirst = 41000,
            MediaPortLast = 41999,
            RingingDuration = TimeSpan.FromMilliseconds(300),
        });
        _host = new SipTransportHost(server, new SipTransportOptions
        {
            Udp = new IPEndPoint(IPAddress.Loopback, port),
            Tcp = new IPEndPoint(IPAddress.Loopback, port),
        });
        _host.Start();

        // Warm the path up (JIT) with one OPTIONS, so SIPp's first request is not answered late enough to be
        // retransmitted: SIPp answers duplicate responses by resending, which would muddle the scenarios.
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var options = $"OPTIONS sip:100@127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP {probe.Client.LocalEndPoint};branch=z9hG4bK-warm;rport\r\n"
            + "From: <sip:warm@127.0.0.1>;tag=w\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: warm-up\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await probe.SendAsync(Encoding.ASCII.GetBytes(options), _host.UdpEndpoint!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = await probe.ReceiveAsync(timeout.Token);
        Assert.StartsWith("SIP/2.0 200 OK", Encoding.ASCII.GetString(reply.Buffer), StringComparison.Ordinal);
        Assert.Empty(await EventsAsync());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<List<SipCallEvent>> EventsAsync()
    {
        var events = new List<SipCallEvent>();
        await _host.InspectAsync(_ => 0); // everything sipp caused has been processed and flushed
        while (_host.Events.TryRead(out var callEvent))
        {
            events.Add(callEvent);
        }

        return events;
    }

    private static void AssertSucceeded((int ExitCode, string Output) run) =>
        Assert.True(run.ExitCode == 0, $"sipp exited with {run.ExitCode}:\n{run.Output}");

    [Fact]
    public async Task Builtin_uac_call_over_udp_invite_ringing_ok_ack_bye()
    {
        AssertSucceeded(Sipp.Run(_host.UdpEndpoint!, "uac"));
        var events = await EventsAsync();
        Assert.Collection(events,
            e => Assert.IsType<CallOffered>(e),
            e => Assert.Equal("PCMU", Assert.IsType<CallStarted>(e).Media.Primary.Encoding),
            e => Assert.Equal(CallEndReason.RemoteHangup, Assert.IsType<CallEnded>(e).Reason));
        Assert.Equal(0, await _host.InspectAsync(s => s.ActiveCalls));
    }

    [Fact]
    public async Task Builtin_uac_calls_over_tcp()
    {
        AssertSucceeded(Sipp.Run(_host.TcpEndpoint!, "uac", transport: "t1", calls: 3));
        var events = await EventsAsync();
        Assert.Equal(3, events.OfType<CallStarted>().Count());
        Assert.Equal(3, events.OfType<CallEnded>().Count(e => e.Reason == CallEndReason.RemoteHangup));
    }

    [Fact]
    public async Task Options_keepalive_is_answered()
    {
        AssertSucceeded(Sipp.Run(_host.UdpEndpoint!, "options.xml"));
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task Cancel_before_answer_gets_200_and_487()
    {
        AssertSucceeded(Sipp.Run(_host.UdpEndpoint!, "cancel.xml"));
        var events = await EventsAsync();
        Assert.Equal(CallEndReason.Cancelled, Assert.IsType<CallEnded>(events[^1]).Reason);
        Assert.DoesNotContain(events, e => e is CallStarted);
    }

    [Fact]
    public async Task Retransmitted_invite_yields_one_call()
    {
        AssertSucceeded(Sipp.Run(_host.UdpEndpoint!, "invite_retransmit.xml"));
        var events = await EventsAsync();
        Assert.Single(events.OfType<CallOffered>());
        Assert.Single(events.OfType<CallStarted>());
        Assert.True(await _host.InspectAsync(s => s.Counters.RequestRetransmissions) >= 1);
    }

    [Fact]
    public async Task Re_invite_hold_and_unhold_are_answered_and_reported()
    {
        AssertSucceeded(Sipp.Run(_host.UdpEndpoint!, "reinvite_hold.xml"));
        var updates = (await EventsAsync()).OfType<CallUpdated>().ToList();
        Assert.Equal([true, false], updates.Select(u => u.Media.OnHold));
        Assert.Equal("PCMA", updates[^1].Media.Primary.Encoding);
    }

    [Fact]
    public async Task Server_ends_the_call_with_bye_and_sipp_answers_200()
    {
        var sipp = Task.Run(() => Sipp.Run(_host.UdpEndpoint!, "server_bye.xml"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? callId = null;
        while (callId is null)
        {
            if (await _host.Events.ReadAsync(timeout.Token) is CallStarted started)
            {
                callId = started.CallId;
            }
        }

        Assert.True(_host.EndCall(callId));
        AssertSucceeded(await sipp);
        Assert.Equal(CallEndReason.LocalHangup, Assert.IsType<CallEnded>((await EventsAsync())[^1]).Reason);
        Assert.Equal(0, await _host.InspectAsync(s => s.Counters.StrayResponses)); // its 200 matched our BYE transaction
    }
}
