using System.Globalization;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Transactions;

/// <summary>
/// Identifies a transaction (RFC 3261 §17.2.3): for RFC 3261 branches the branch, sent-by and method (ACK
/// counts as INVITE); for RFC 2543 peers without the magic cookie, Call-ID, CSeq number, From tag,
/// Request-URI and top Via — enough to match retransmissions, ACK and CANCEL.
/// </summary>
public readonly record struct SipTransactionKey(string Id, string SentBy, string Method)
{
    public static SipTransactionKey ForRequest(SipRequest request)
    {
        var method = request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method;
        var via = request.TopVia!;
        if (via.HasRfc3261Branch)
        {
            return new SipTransactionKey(via.Branch!, via.SentBy, method);
        }

        var id = string.Join('|', "2543", request.CallId, request.CSeq.Number.ToString(CultureInfo.InvariantCulture),
            request.From?.Tag ?? string.Empty, request.RequestUri.Text, via.Branch ?? string.Empty);
        return new SipTransactionKey(id, via.SentBy, method);
    }

    /// <summary>The key of the INVITE that a CANCEL (same branch, §9.2) cancels.</summary>
    public SipTransactionKey WithMethod(string method) => this with { Method = method };

    /// <summary>The key a response to one of our client transactions maps to (its top Via branch and CSeq method).</summary>
    public static SipTransactionKey ForResponse(SipResponse response) =>
        new(response.TopVia?.Branch ?? string.Empty, string.Empty, response.CSeq.Method);
}
