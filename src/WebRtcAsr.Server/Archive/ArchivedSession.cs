namespace WebRtcAsr.Server.Archive;

/// <summary>An ended session's final Results, each already serialised as the JSON sent to the client.</summary>
public sealed record ArchivedSession(
    string SessionId,
    string? KeyId,
    DateTimeOffset Created,
    DateTimeOffset Ended,
    string EndReason,
    IReadOnlyList<string> FinalResults);
