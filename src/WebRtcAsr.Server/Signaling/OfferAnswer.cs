namespace WebRtcAsr.Server.Signaling;

/// <summary>What <see cref="SignalingHub.Offer"/> returns: the new peer's id and the SDP answer.</summary>
public sealed record OfferAnswer(string PeerId, string Sdp);
