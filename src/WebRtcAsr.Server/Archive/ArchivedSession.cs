namespace WebRtcAsr.Server.Archive;

/// <summary>An ended session's final Results, each already serialised as the JSON sent to the client.</summary>
public sealed record ArchivedSession(
    string SessionId,
    string? KeyId,
    DateTimeOffset Created,
    DateTimeOffset Ended,
    string EndReason,
    IReadOnlyList<string> FinalResults)
{
    /// <summary>The phone call the session transcribed (null for a browser session).</summary>
    public ArchivedCall? Call { get; init; }
}

/// <summary>Who called whom: a SIP call's Call-ID and its From and To URIs.</summary>
public sealed record ArchivedCall(string CallId, string From, string To);
