using System.Net;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Tests.Ice;

public class IceLiteAgentTests
{
    private const long Second = 1_000_000;
    private static readonly IceCredentials Server = new("sRvR", "serverpasswordserverpw1");
    private static readonly IPEndPoint Browser = IPEndPoint.Parse("192.0.2.10:50000");
    private static readonly IPEndPoint Relayed = IPEndPoint.Parse("[2001:db8::7]:61000");

    private readonly ControllingPeer _peer = new(Server.Ufrag, Server.Pwd);

    private static IceLiteAgent NewAgent(long now = 0, IceAgentOptions? options = null) => new(Server, now, options);

    private static (StunMessage Message, byte[] Bytes, IPEndPoint To) PollResponse(IceLiteAgent agent)
    {
        var buffer = new byte[1500];
        Assert.True(agent.TryPollTransmit(buffer, out int length, out var to));
        byte[] bytes = buffer[..length];
        Assert.True(StunMessage.TryParse(bytes, out var message, out var error), error);
        return (message!, bytes, to!);
    }

    private static List<IceEvent> Events(IceLiteAgent agent)
    {
        var events = new List<IceEvent>();
        while (agent.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public void Valid_check_gets_an_authenticated_success_with_the_source_address()
    {
        var agent = NewAgent();
        byte[] request = _peer.Request(out var tid);
        Assert.True(agent.HandleReceive(request, Browser, 1 * Second));

        var (response, bytes, to) = PollResponse(agent);
        Assert.Equal(Browser, to);
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(tid, response.TransactionId);
        Assert.Equal(Browser, response.XorMappedAddress);
        Assert.True(response.VerifyMessageIntegrity(bytes, StunIntegrity.ShortTermKey(Server.Pwd)));
        Assert.True(response.VerifyFingerprint(bytes));
        Assert.False(agent.TryPollTransmit(new byte[1500], out _, out _));

        Assert.Equal(IceConnectionState.Checking, agent.State);
        Assert.Null(agent.SelectedRemote);
        var events = Events(agent);
        Assert.Contains(new IceEvent(IceEventKind.RemoteAddressValidated, IceConnectionState.New, Browser), events);
        Assert.Contains(events, e => e.Kind == IceEventKind.StateChanged && e.State == IceConnectionState.Checking);
    }

    [Fact]
    public void Use_candidate_nominates_the_source_address_and_connects()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _), Browser, 0);
        agent.HandleReceive(_peer.Request(out _, useCandidate: true), Browser, 1000);
        Assert.Equal(IceConnectionState.Connected, agent.State);
        Assert.Equal(Browser, agent.SelectedRemote);
        var events = Events(agent);
        Assert.Contains(events, e => e.Kind == IceEventKind.SelectedPairChanged && Browser.Equals(e.Remote));
        Assert.Equal(IceConnectionState.Connected, events[^1].State);
        Assert.Equal(2, agent.ValidChecks);
    }

    [Fact]
    public void Wrong_password_gets_401_without_integrity_and_does_not_connect()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out var tid, useCandidate: true, password: "not-the-password-at-all"), Browser, 0);
        var (response, bytes, _) = PollResponse(agent);
        Assert.Equal(StunMessageType.BindingError, response.Type);
        Assert.Equal(tid, response.TransactionId);
        Assert.Equal(401, response.ErrorCode);
        Assert.False(response.HasMessageIntegrity);
        Assert.True(response.VerifyFingerprint(bytes));
        Assert.Equal(IceConnectionState.New, agent.State);
        Assert.Null(agent.SelectedRemote);
        Assert.Equal(1, agent.RejectedMessages);
    }

    [Fact]
    public void Username_for_another_agent_gets_401()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, username: "other:cLnT"), Browser, 0);
        Assert.Equal(401, PollResponse(agent).Message.ErrorCode);
    }

    [Fact]
    public void Known_remote_ufrag_must_match()
    {
        var agent = NewAgent();
        agent.SetRemoteUfrag("expected");
        agent.HandleReceive(_peer.Request(out _), Browser, 0);
        Assert.Equal(401, PollResponse(agent).Message.ErrorCode);
        agent.HandleReceive(_peer.Request(out _, username: $"{Server.Ufrag}:expected"), Browser, 0);
        Assert.Equal(StunClass.SuccessResponse, PollResponse(agent).Message.Type.Class);
    }

    [Fact]
    public void Missing_integrity_gets_400()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, integrity: false), Browser, 0);
        Assert.Equal(400, PollResponse(agent).Message.ErrorCode);
    }

    [Fact]
    public void Missing_or_bad_fingerprint_is_dropped_silently()
    {
        var agent = NewAgent();
        Assert.True(agent.HandleReceive(_peer.Request(out _, fingerprint: false), Browser, 0));
        byte[] corrupt = _peer.Request(out _);
        corrupt[^1] ^= 0xFF;
        Assert.True(agent.HandleReceive(corrupt, Browser, 0));
        Assert.False(agent.TryPollTransmit(new byte[1500], out _, out _));
        Assert.Equal(2, agent.RejectedMessages);
        Assert.Equal(IceConnectionState.New, agent.State);
    }

    [Fact]
    public void Unknown_comprehension_required_attribute_gets_420_listing_it()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, extraAttribute: 0x0077), Browser, 0);
        var (response, bytes, _) = PollResponse(agent);
        Assert.Equal(420, response.ErrorCode);
        Assert.Equal(new ushort[] { 0x0077 }, response.UnknownAttributes);
        Assert.True(response.VerifyMessageIntegrity(bytes, StunIntegrity.ShortTermKey(Server.Pwd)));
    }

    [Fact]
    public void Unknown_optional_attribute_is_ignored()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, extraAttribute: 0xC057), Browser, 0);
        Assert.Equal(StunClass.SuccessResponse, PollResponse(agent).Message.Type.Class);
    }

    [Fact]
    public void Peer_claiming_the_controlled_role_gets_487_and_is_not_selected()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, controlled: true), Browser, 0);
        var (response, bytes, _) = PollResponse(agent);
        Assert.Equal(487, response.ErrorCode);
        Assert.True(response.VerifyMessageIntegrity(bytes, StunIntegrity.ShortTermKey(Server.Pwd)));
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void Higher_priority_nomination_wins_and_lower_is_ignored()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 1000), Browser, 0);
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 500), Relayed, 10);
        Assert.Equal(Browser, agent.SelectedRemote);
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 2000), Relayed, 20);
        Assert.Equal(Relayed, agent.SelectedRemote);
        Assert.Equal(2, agent.RemoteAddresses.Count());
    }

    [Fact]
    public void Nomination_elsewhere_replaces_a_selection_that_went_quiet()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 2000), Browser, 0);
        agent.HandleReceive(_peer.Request(out _), Browser, 4 * Second);

        // The selection is still alive 2 s later: a lower-priority nomination does not move it.
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 1000), Relayed, 6 * Second);
        Assert.Equal(Browser, agent.SelectedRemote);

        // Quiet for 3 s (the browser changed networks): the new nomination wins.
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 1000), Relayed, 7 * Second);
        Assert.Equal(Relayed, agent.SelectedRemote);
        Assert.Equal(IceConnectionState.Connected, agent.State);
    }

    [Fact]
    public void Consent_expires_30_seconds_after_the_last_valid_check()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, useCandidate: true), Browser, 0);
        Assert.Equal(30 * Second, agent.NextTimeoutMicros);

        agent.HandleReceive(_peer.Request(out _), Browser, 20 * Second); // consent refresh
        Assert.Equal(50 * Second, agent.NextTimeoutMicros);
        agent.HandleTimeout(30 * Second);
        Assert.Equal(IceConnectionState.Connected, agent.State);

        // A bad check does not refresh consent.
        agent.HandleReceive(_peer.Request(out _, password: "wrong-password-wrong-pw"), Browser, 40 * Second);
        agent.HandleTimeout(50 * Second - 1);
        Assert.Equal(IceConnectionState.Connected, agent.State);
        agent.HandleTimeout(50 * Second);
        Assert.Equal(IceConnectionState.Failed, agent.State);
        Assert.Null(agent.NextTimeoutMicros);
        Assert.Contains(Events(agent), e => e.Kind == IceEventKind.StateChanged && e.State == IceConnectionState.Failed);

        // A failed agent answers nothing.
        while (agent.TryPollTransmit(new byte[1500], out _, out _))
        {
        }

        Assert.True(agent.HandleReceive(_peer.Request(out _, useCandidate: true), Browser, 51 * Second));
        Assert.False(agent.TryPollTransmit(new byte[1500], out _, out _));
    }

    [Fact]
    public void Consent_moves_to_another_nominated_address_that_is_still_alive()
    {
        var agent = NewAgent();
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 2000), Browser, 0);
        agent.HandleReceive(_peer.Request(out _), Browser, 9 * Second);
        agent.HandleReceive(_peer.Request(out _, useCandidate: true, priority: 1000), Relayed, 10 * Second);
        Assert.Equal(Browser, agent.SelectedRemote);
        agent.HandleReceive(_peer.Request(out _), Relayed, 25 * Second);
        agent.HandleTimeout(39 * Second - 1);
        Assert.Equal(Browser, agent.SelectedRemote);
        agent.HandleTimeout(39 * Second);
        Assert.Equal(IceConnectionState.Connected, agent.State);
        Assert.Equal(Relayed, agent.SelectedRemote);
        Assert.Equal(55 * Second, agent.NextTimeoutMicros);
    }

    [Fact]
    public void Never_checked_agent_fails_after_the_connect_timeout()
    {
        var agent = NewAgent(now: 5 * Second);
        Assert.Equal(35 * Second, agent.NextTimeoutMicros);
        agent.HandleTimeout(34 * Second);
        Assert.Equal(IceConnectionState.New, agent.State);
        agent.HandleTimeout(35 * Second);
        Assert.Equal(IceConnectionState.Failed, agent.State);
    }

    [Fact]
    public void Ipv4_mapped_source_is_answered_as_ipv4()
    {
        var agent = NewAgent();
        var mapped = new IPEndPoint(IPAddress.Parse("192.0.2.10").MapToIPv6(), 50000);
        agent.HandleReceive(_peer.Request(out _, useCandidate: true), mapped, 0);
        var (response, _, to) = PollResponse(agent);
        Assert.Equal(Browser, response.XorMappedAddress);
        Assert.Equal(Browser, to);
        Assert.Equal(Browser, agent.SelectedRemote);
    }

    [Fact]
    public void Transmit_queue_is_bounded()
    {
        var agent = NewAgent(options: new IceAgentOptions { MaxPendingTransmits = 4 });
        for (int i = 0; i < 6; i++)
        {
            agent.HandleReceive(_peer.Request(out _), Browser, i);
        }

        int sent = 0;
        while (agent.TryPollTransmit(new byte[1500], out _, out _))
        {
            sent++;
        }

        Assert.Equal(4, sent);
        Assert.Equal(2, agent.DroppedTransmits);
    }

    [Fact]
    public void Non_stun_is_left_to_the_caller_and_garbage_never_throws()
    {
        var agent = NewAgent();
        Assert.False(agent.HandleReceive([0x80, 111, 0, 1], Browser, 0));
        Assert.False(agent.HandleReceive([22, 254, 253], Browser, 0));
        var random = new Random(7);
        var buffer = new byte[100];
        for (int i = 0; i < 5000; i++)
        {
            random.NextBytes(buffer);
            buffer[0] &= 0x03;
            buffer[4] = 0x21;
            buffer[5] = 0x12;
            buffer[6] = 0xa4;
            buffer[7] = 0x42;
            buffer[2] = 0;
            buffer[3] = 80;
            agent.HandleReceive(buffer, Browser, 0);
        }

        Assert.Equal(0, agent.ValidChecks);
    }

    [Fact]
    public void Remote_address_table_is_bounded_and_keeps_the_selected_one()
    {
        var agent = NewAgent(options: new IceAgentOptions { MaxRemoteAddresses = 3 });
        agent.HandleReceive(_peer.Request(out _, useCandidate: true), Browser, 0);
        for (int port = 1; port <= 10; port++)
        {
            agent.HandleReceive(_peer.Request(out _), new IPEndPoint(IPAddress.Parse("198.51.100.1"), port), port);
        }

        Assert.Equal(3, agent.RemoteAddresses.Count());
        Assert.Contains(Browser, agent.RemoteAddresses);
        Assert.Equal(Browser, agent.SelectedRemote);
    }

    [Fact]
    public void Software_attribute_is_optional_and_bounded()
    {
        var agent = NewAgent(options: new IceAgentOptions { Software = "WebRtcAsr" });
        agent.HandleReceive(_peer.Request(out _), Browser, 0);
        Assert.Equal("WebRtcAsr", PollResponse(agent).Message.Software);
        Assert.Throws<ArgumentException>(() => NewAgent(options: new IceAgentOptions { Software = new string('x', 200) }));
    }

    [Fact]
    public void Close_reports_closed_and_stops_timers()
    {
        var agent = NewAgent();
        agent.Close();
        Assert.Equal(IceConnectionState.Closed, agent.State);
        Assert.Null(agent.NextTimeoutMicros);
        Assert.Contains(Events(agent), e => e.State == IceConnectionState.Closed);
    }

    [Fact]
    public void Generated_credentials_use_ice_chars_and_rfc_lengths()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 100; i++)
        {
            var credentials = IceCredentials.Generate();
            Assert.True(IceCredentials.IsValid(credentials.Ufrag, 4));
            Assert.True(IceCredentials.IsValid(credentials.Pwd, 22));
            Assert.True(seen.Add(credentials.Ufrag));
        }

        Assert.False(IceCredentials.IsValid("ab:c", 4));
        Assert.False(IceCredentials.IsValid("abc", 4));
    }
}
