using System.Text.Json.Serialization;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Server.Calls;

/// <summary>Who called whom: the SIP Call-ID and the From and To URIs (display names and tags left out).</summary>
public sealed record CallIdentity(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To)
{
    /// <summary>From the header values of the INVITE: their URIs when they parse, else the text as received.</summary>
    public static CallIdentity FromHeaders(string callId, string fromHeader, string toHeader) => new(callId, UriOf(fromHeader), UriOf(toHeader));

    private static string UriOf(string header) =>
        SipNameAddress.TryParse(header, out var address, out _) ? address.Uri.Text : header.Trim();
}

/// <summary>What watchers get when a call is over ("CallEnded"): the call and why it ended.</summary>
public sealed record CallEndedNotice(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("ended")] DateTimeOffset Ended);
