using System.Net;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>What this server puts in its answer: its ICE credentials, certificate fingerprint and addresses.</summary>
public sealed record SdpAnswerOptions
{
    public required string IceUfrag { get; init; }

    public required string IcePwd { get; init; }

    /// <summary>Fingerprint of the DTLS certificate this server presents (see <see cref="SdpFingerprint.Sha256OfCertificate"/>).</summary>
    public required SdpFingerprint Fingerprint { get; init; }

    /// <summary>
    /// Addresses the UDP socket is reachable at, best first. Each becomes a host candidate (an ICE-lite
    /// agent has only host candidates, RFC 8445 2.5).
    /// </summary>
    public IReadOnlyList<IPEndPoint> Candidates { get; init; } = [];

    /// <summary>
    /// A public address for 1:1 NAT (a cloud VM's elastic IP): announced as the first host candidate
    /// with the port of the first entry of <see cref="Candidates"/>, ahead of them.
    /// </summary>
    public IPAddress? AnnouncedAddress { get; init; }

    /// <summary>The candidates the answer lists, best first: the announced address, then <see cref="Candidates"/>.</summary>
    public IReadOnlyList<IPEndPoint> EffectiveCandidates =>
        AnnouncedAddress is { } announced && Candidates.Count > 0
            ? [new IPEndPoint(announced, Candidates[0].Port), .. Candidates.Where(c => !c.Address.Equals(announced))]
            : Candidates;

    /// <summary>The o= line's session id; the caller picks it (sans-IO code draws no randomness of its own for the SDP).</summary>
    public ulong SessionId { get; init; } = 1;

    public ulong SessionVersion { get; init; } = 1;

    /// <summary>Whether to accept an offered data channel (application m-line).</summary>
    public bool AcceptDataChannel { get; init; } = true;

    /// <summary>Our SCTP port (RFC 8841); 5000 as browsers use.</summary>
    public int SctpPort { get; init; } = 5000;

    /// <summary>Largest data channel message we accept (RFC 8841 6).</summary>
    public long MaxMessageSize { get; init; } = 262144;

    /// <summary>Accept PCMU/PCMA in addition to Opus when offered (they are always accepted when Opus is not).</summary>
    public bool AcceptG711WithOpus { get; init; } = true;
}
