using System.Net;

namespace WebRtcAsr.Rtc.Ice;

/// <summary>A remote transport address that sent at least one valid check (RFC 8445 7.3.1.3: peer-reflexive if not signalled).</summary>
internal sealed class IceRemoteAddress(IPEndPoint endPoint, uint priority, long nowMicros)
{
    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>The PRIORITY of the latest check: the remote candidate's priority as a peer-reflexive candidate.</summary>
    public uint Priority { get; set; } = priority;

    public bool Nominated { get; set; }

    public long LastValidCheckMicros { get; set; } = nowMicros;
}
