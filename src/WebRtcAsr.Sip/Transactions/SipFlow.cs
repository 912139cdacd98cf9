using System.Net;

namespace WebRtcAsr.Sip.Transactions;

/// <summary>The transport a message travels over.</summary>
public enum SipTransportKind
{
    Udp,
    Tcp,
}

/// <summary>
/// Where a message came from or goes to: transport, remote address, and for TCP the connection it belongs to
/// (responses and in-dialog requests go back over the same connection).
/// </summary>
public readonly record struct SipFlow(SipTransportKind Transport, IPEndPoint Remote, long ConnectionId = 0)
{
    /// <summary>Reliable transports need no retransmissions (RFC 3261 §17.1.1.2, §17.2.1).</summary>
    public bool IsReliable => Transport == SipTransportKind.Tcp;
}

/// <summary>Bytes for the driver to send on a flow.</summary>
public readonly record struct SipTransmit(SipFlow Flow, byte[] Data);
