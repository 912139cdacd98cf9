namespace WebRtcAsr.Rtc.Sdp;

/// <summary>
/// The outcome of answering an offer: either the answer SDP and what was agreed (codecs, mids,
/// the remote transport parameters), or the reason the offer was refused.
/// </summary>
public sealed class SdpNegotiationResult
{
    private SdpNegotiationResult()
    {
    }

    /// <summary>Why the offer was refused; null on success.</summary>
    public string? Error { get; private init; }

    public bool Success => Error is null;

    /// <summary>The answer SDP text (CRLF line ends).</summary>
    public string? Answer { get; private init; }

    public string RemoteIceUfrag { get; private init; } = "";

    public string RemoteIcePwd { get; private init; } = "";

    /// <summary>The remote DTLS certificate fingerprints (usually one; aiortc sends several algorithms).</summary>
    public IReadOnlyList<SdpFingerprint> RemoteFingerprints { get; private init; } = [];

    /// <summary>The offer's a=setup value ("actpass" or "active"); the answer is always passive.</summary>
    public string RemoteSetup { get; private init; } = "actpass";

    public IReadOnlyList<SdpCandidate> RemoteCandidates { get; private init; } = [];

    public string? AudioMid { get; private init; }

    /// <summary>Accepted audio codecs, preferred first, with the offer's payload types.</summary>
    public IReadOnlyList<SdpRtpMap> AudioCodecs { get; private init; } = [];

    /// <summary>The audio-level header extension id (RFC 6464) when offered.</summary>
    public int? AudioLevelExtensionId { get; private init; }

    /// <summary>The remote audio SSRCs announced in the offer (may be empty).</summary>
    public IReadOnlyList<uint> RemoteAudioSsrcs { get; private init; } = [];

    public string? DataChannelMid { get; private init; }

    public int? RemoteSctpPort { get; private init; }

    public long? RemoteMaxMessageSize { get; private init; }

    /// <summary>Mids in the answer's BUNDLE group, in order.</summary>
    public IReadOnlyList<string> BundleMids { get; private init; } = [];

    public static SdpNegotiationResult Refused(string error) => new() { Error = error };

    internal static SdpNegotiationResult Accepted(
        string answer,
        string remoteUfrag,
        string remotePwd,
        IReadOnlyList<SdpFingerprint> remoteFingerprints,
        string remoteSetup,
        IReadOnlyList<SdpCandidate> remoteCandidates,
        string? audioMid,
        IReadOnlyList<SdpRtpMap> audioCodecs,
        int? audioLevelId,
        IReadOnlyList<uint> remoteAudioSsrcs,
        string? dataChannelMid,
        int? remoteSctpPort,
        long? remoteMaxMessageSize,
        IReadOnlyList<string> bundleMids) => new()
        {
            Answer = answer,
            RemoteIceUfrag = remoteUfrag,
            RemoteIcePwd = remotePwd,
            RemoteFingerprints = remoteFingerprints,
            RemoteSetup = remoteSetup,
            RemoteCandidates = remoteCandidates,
            AudioMid = audioMid,
            AudioCodecs = audioCodecs,
            AudioLevelExtensionId = audioLevelId,
            RemoteAudioSsrcs = remoteAudioSsrcs,
            DataChannelMid = dataChannelMid,
            RemoteSctpPort = remoteSctpPort,
            RemoteMaxMessageSize = remoteMaxMessageSize,
            BundleMids = bundleMids,
        };
}
