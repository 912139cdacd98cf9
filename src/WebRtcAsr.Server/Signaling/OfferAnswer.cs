namespace WebRtcAsr.Server.Signaling;

/// <summary>
/// What <see cref="SignalingHub.Offer"/> returns: the new peer's id, the SDP answer and, when the peer carries a
/// caption session, that session's id (the client presents it to resume after a dropped connection).
/// </summary>
public sealed record OfferAnswer(string PeerId, string Sdp)
{
    public string? SessionId { get; init; }
}
