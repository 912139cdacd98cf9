namespace WebRtcAsr.Sip.Sdp;

/// <summary>A parsed session description (RFC 4566): what a telephony offer/answer needs of it.</summary>
public sealed class SdpSession
{
    public required string OriginUser { get; init; }

    public required ulong SessionId { get; init; }

    public required ulong SessionVersion { get; init; }

    /// <summary>Session-level c= address, if any.</summary>
    public string? ConnectionAddress { get; init; }

    /// <summary>Session-level direction attribute, if any (a media-level one overrides it).</summary>
    public SdpDirection? Direction { get; init; }

    public required IReadOnlyList<SdpMedia> Media { get; init; }

    public SdpDirection DirectionOf(SdpMedia media) => media.Direction ?? Direction ?? SdpDirection.SendRecv;

    public string? ConnectionOf(SdpMedia media) => media.ConnectionAddress ?? ConnectionAddress;
}
