using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Server.Tests.Calls;

/// <summary>
/// A minimal trunk (UAC) on 127.0.0.1 for the server's own tests: INVITE with a PCMU + telephone-event offer, ACK,
/// RTP sent at its real pace, BYE; signaling over UDP or over one TCP connection. The interop tests use real peers
/// (baresip, sipp); this one lets a test hold a call open, watch it mid-call and read exact statuses.
/// </summary>
internal sealed partial class SipTestCaller : IDisposable
{
    private readonly SipTestTransport sip;
    private readonly UdpClient rtp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint server;
    private readonly string fromTag = "caller-" + Guid.NewGuid().ToString("N")[..8];
    private int cseq = 1;
    private string? toTag;

    public SipTestCaller(IPEndPoint server, string callId, string from = "sip:+15551230000@127.0.0.1", string to = "sip:support@127.0.0.1", bool tcp = false)
    {
        this.server = server;
        sip = tcp ? SipTestTransport.Tcp(server) : SipTestTransport.Udp();
        CallId = callId;
        From = from;
        To = to;
    }

    public string CallId { get; }

    public string From { get; }

    public string To { get; }

    /// <summary>Every response status received, in order.</summary>
    public List<int> Statuses { get; } = [];

    /// <summary>From sending the INVITE to its final response.</summary>
    public TimeSpan AnsweredAfter { get; private set; }

    /// <summary>Where the server wants our RTP (from its SDP answer).</summary>
    public IPEndPoint? ServerRtp { get; private set; }

    private IPEndPoint SipLocal => sip.LocalEndPoint;

    /// <summary>Sends the INVITE and reads responses until a final one; returns it.</summary>
    public async Task<SipResponse> InviteAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await SendInviteAsync();
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var response = await ReceiveResponseAsync(cancel.Token);
            Statuses.Add(response.StatusCode);
            if (response.StatusCode < 200)
            {
                continue;
            }

            toTag = response.To?.Tag;
            AnsweredAfter = clock.Elapsed;
            if (response.StatusCode == 200)
            {
                var answer = Encoding.UTF8.GetString(response.Body.Span);
                var address = ConnectionLine().Match(answer).Groups[1].Value;
                var port = int.Parse(MediaLine().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture);
                ServerRtp = new IPEndPoint(IPAddress.Parse(address), port);
                await SendAsync(Request("ACK", "z9hG4bK-ack-" + CallId, cseq, string.Empty, string.Empty));
            }
            else
            {
                await SendAsync(Request("ACK", "z9hG4bK-inv-" + CallId, cseq, string.Empty, string.Empty));
            }

            return response;
        }
    }

    /// <summary>
    /// Sends the INVITE, waits for 180 Ringing, cancels it (RFC 3261 §9.1: the INVITE's branch and CSeq number) and
    /// acknowledges the INVITE's final response. Returns the CANCEL's status and the INVITE's final status.
    /// </summary>
    public async Task<(int Cancel, int Invite)> InviteThenCancelAsync(TimeSpan timeout)
    {
        await SendInviteAsync();
        using var cancel = new CancellationTokenSource(timeout);
        while ((await ReceiveResponseAsync(cancel.Token)) is { StatusCode: < 180 } provisional)
        {
            Statuses.Add(provisional.StatusCode);
        }

        Statuses.Add(180);
        await SendAsync(Request("CANCEL", "z9hG4bK-inv-" + CallId, cseq, string.Empty, string.Empty));
        int? cancelled = null, final = null;
        while (cancelled is null || final is null)
        {
            var response = await ReceiveResponseAsync(cancel.Token);
            Statuses.Add(response.StatusCode);
            if (response.CSeq.Method == "CANCEL")
            {
                cancelled = response.StatusCode;
            }
            else if (response.StatusCode >= 200)
            {
                final = response.StatusCode;
                toTag = response.To?.Tag;
                await SendAsync(Request("ACK", "z9hG4bK-inv-" + CallId, cseq, string.Empty, string.Empty));
            }
        }

        return (cancelled.Value, final.Value);
    }

    /// <summary>Sends RTP packets at the times they carry (microseconds from the first), as a phone would.</summary>
    public async Task SendRtpAsync(IReadOnlyList<(long Micros, byte[] Packet)> packets)
    {
        var target = ServerRtp ?? throw new InvalidOperationException("no call");
        var clock = Stopwatch.StartNew();
        foreach (var (micros, packet) in packets)
        {
            var wait = TimeSpan.FromTicks(micros * 10) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            await rtp.SendAsync(packet, target);
        }
    }

    /// <summary>Hangs up and waits for the 200.</summary>
    public async Task ByeAsync(TimeSpan timeout)
    {
        cseq++;
        await SendAsync(Request("BYE", "z9hG4bK-bye-" + CallId, cseq, string.Empty, string.Empty));
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var response = await ReceiveResponseAsync(cancel.Token);
            if (response.CSeq.Method == "BYE")
            {
                Statuses.Add(response.StatusCode);
                return;
            }
        }
    }

    /// <summary>Waits for the server's BYE (it hangs up) and answers it; false when none came in time.</summary>
    public async Task<bool> ByeSeenAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var (message, text) = await sip.ReceiveAsync(cancel.Token);
                if (message is SipRequest request)
                {
                    await SendAsync(OkFor(text));
                    if (request.Method == "BYE")
                    {
                        return true;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        sip.Dispose();
        rtp.Dispose();
    }

    private async Task<SipResponse> ReceiveResponseAsync(CancellationToken cancel)
    {
        while (true)
        {
            var (message, text) = await sip.ReceiveAsync(cancel);
            if (message is SipResponse response)
            {
                return response;
            }

            if (message is SipRequest)
            {
                // The server may hang up on its own (shutdown, media timeout): answer its BYE.
                await SendAsync(OkFor(text));
            }
        }
    }

    private Task SendInviteAsync()
    {
        var sdp = string.Join("\r\n",
            "v=0", "o=caller 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
            $"m=audio {((IPEndPoint)rtp.Client.LocalEndPoint!).Port} RTP/AVP 0 101",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendrecv", "");
        return SendAsync(Request("INVITE", "z9hG4bK-inv-" + CallId, cseq, "Content-Type: application/sdp\r\n", sdp));
    }

    private static string OkFor(string text)
    {
        var headers = text.Split("\r\n").Where(l => l.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("To:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase));
        return "SIP/2.0 200 OK\r\n" + string.Join("\r\n", headers) + "\r\nContent-Length: 0\r\n\r\n";
    }

    private string Request(string method, string branch, int number, string extraHeaders, string body)
    {
        var tag = toTag is null || method == "INVITE" ? string.Empty : ";tag=" + toTag;
        return $"{method} sip:support@{server.Address}:{server.Port} SIP/2.0\r\n"
            + $"Via: SIP/2.0/{sip.ViaName} {SipLocal};branch={branch};rport\r\n"
            + "Max-Forwards: 70\r\n"
            + $"From: \"Caller\" <{From}>;tag={fromTag}\r\n"
            + $"To: <{To}>{tag}\r\n"
            + $"Call-ID: {CallId}\r\n"
            + $"CSeq: {number} {method}\r\n"
            + $"Contact: <sip:caller@{SipLocal}{sip.ContactParameter}>\r\n"
            + extraHeaders
            + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n"
            + body;
    }

    private Task SendAsync(string message) => sip.SendAsync(Encoding.UTF8.GetBytes(message), server);

    [GeneratedRegex(@"c=IN IP4 (\S+)")]
    private static partial Regex ConnectionLine();

    [GeneratedRegex(@"m=audio (\d+)")]
    private static partial Regex MediaLine();
}
