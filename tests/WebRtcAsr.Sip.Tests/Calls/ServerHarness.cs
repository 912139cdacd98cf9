using System.Net;
using System.Text;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip.Tests.Calls;

/// <summary>Drives a <see cref="SipServer"/> in memory on a manual clock, as a trunk would.</summary>
internal sealed class ServerHarness
{
    public static readonly IPEndPoint Trunk = new(IPAddress.Parse("198.51.100.7"), 5060);

    public ServerHarness(SipServerOptions? options = null)
    {
        Server = new SipServer(options ?? Options());
    }

    public SipServer Server { get; }

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(1000);

    public List<SipCallEvent> Events { get; } = [];

    public static SipServerOptions Options() => new()
    {
        SignalingHost = "192.0.2.1",
        SignalingPort = 5060,
        MediaAddress = IPAddress.Parse("192.0.2.1"),
        MediaPortFirst = 40000,
        MediaPortLast = 40099,
    };

    /// <summary>Delivers bytes from the trunk over UDP and returns what the server sent in reply.</summary>
    public List<(SipMessage Message, SipTransmit Raw)> Send(string message, IPEndPoint? from = null) => Send(SipText.Wire(message), from);

    public List<(SipMessage Message, SipTransmit Raw)> Send(byte[] message, IPEndPoint? from = null)
    {
        Server.HandleDatagram(message, new SipFlow(SipTransportKind.Udp, from ?? Trunk), Now);
        return Drain();
    }

    /// <summary>Moves the clock on by <paramref name="by"/>, firing timers on the way; returns what was sent and when.</summary>
    public List<(TimeSpan At, SipMessage Message)> Advance(TimeSpan by)
    {
        var until = Now + by;
        var sent = new List<(TimeSpan, SipMessage)>();
        while (Server.NextTimeout is { } due && due <= until)
        {
            Now = due > Now ? due : Now;
            Server.HandleTimeout(Now);
            sent.AddRange(Drain().Select(m => (Now, m.Message)));
        }

        Now = until;
        return sent;
    }

    public List<(SipMessage Message, SipTransmit Raw)> Drain()
    {
        var sent = new List<(SipMessage, SipTransmit)>();
        while (Server.TryPollTransmit(out var transmit))
        {
            var parsed = SipMessageParser.Parse(transmit.Data, SipLimits.Default, datagram: true);
            Assert.True(parsed.IsMessage, "server sent an unparseable message: " + parsed.Error + "\n" + Encoding.UTF8.GetString(transmit.Data));
            sent.Add((parsed.Message!, transmit));
        }

        while (Server.TryPollEvent(out var callEvent))
        {
            Events.Add(callEvent);
        }

        return sent;
    }

    public static SipResponse Single(List<(SipMessage Message, SipTransmit Raw)> sent, int status)
    {
        var response = Assert.IsType<SipResponse>(Assert.Single(sent).Message);
        Assert.Equal(status, response.StatusCode);
        return response;
    }
}

/// <summary>Builds the requests of one call from the trunk's side (a minimal UAC).</summary>
internal sealed class TrunkCall(string callId)
{
    public const string Offer = """
        v=0
        o=trunk 1 1 IN IP4 198.51.100.7
        s=-
        c=IN IP4 198.51.100.7
        t=0 0
        m=audio 30000 RTP/AVP 8 0 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=sendrecv

        """;

    public string CallId { get; } = callId;

    public string FromTag { get; } = "trunk-" + callId;

    public string? ToTag { get; set; }

    public int CSeq { get; set; } = 1;

    public string InviteBranch { get; private set; } = "z9hG4bK-inv-" + callId;

    public string Invite(string? sdp = Offer, string extraHeaders = "", string contentType = "application/sdp", string? branch = null)
    {
        InviteBranch = branch ?? InviteBranch;
        return Request(SipMethods.Invite, InviteBranch, CSeq, extraHeaders + (sdp is null ? string.Empty : $"Content-Type: {contentType}\n"), sdp ?? string.Empty);
    }

    public string ReInvite(string sdp, string branch)
    {
        CSeq++;
        InviteBranch = branch;
        return Request(SipMethods.Invite, branch, CSeq, "Content-Type: application/sdp\n", sdp);
    }

    public string Ack(string? sdp = null, string? branch = null) =>
        Request(SipMethods.Ack, branch ?? "z9hG4bK-ack-" + CSeq + CallId, CSeq, sdp is null ? string.Empty : "Content-Type: application/sdp\n", sdp ?? string.Empty);

    /// <summary>ACK for a non-2xx final: same branch as the INVITE (§17.1.1.3).</summary>
    public string AckNon2xx() => Request(SipMethods.Ack, InviteBranch, CSeq, string.Empty, string.Empty);

    public string Cancel() => Request(SipMethods.Cancel, InviteBranch, CSeq, string.Empty, string.Empty, withToTag: false);

    public string Bye()
    {
        CSeq++;
        return Request(SipMethods.Bye, "z9hG4bK-bye-" + CSeq + CallId, CSeq, string.Empty, string.Empty);
    }

    public string Request(string method, string branch, int cseq, string extraHeaders, string body, bool withToTag = true)
    {
        var toTag = withToTag && ToTag is not null ? ";tag=" + ToTag : string.Empty;
        var bodyBytes = Encoding.UTF8.GetByteCount(body.ReplaceLineEndings("\r\n"));
        return $"""
            {method} sip:100@192.0.2.1:5060 SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:5060;branch={branch};rport
            Max-Forwards: 70
            From: "Caller" <sip:+15551230000@198.51.100.7>;tag={FromTag}
            To: <sip:100@192.0.2.1>{toTag}
            Call-ID: {CallId}
            CSeq: {cseq} {method}
            Contact: <sip:+15551230000@198.51.100.7:5060>
            {extraHeaders}Content-Length: {bodyBytes}

            {body}
            """;
    }
}
