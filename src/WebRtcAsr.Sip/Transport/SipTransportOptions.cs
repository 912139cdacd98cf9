using System.Net;

namespace WebRtcAsr.Sip.Transport;

/// <summary>Where the SIP drivers listen and how much they buffer.</summary>
public sealed record SipTransportOptions
{
    /// <summary>UDP listen address; port 0 picks an ephemeral one. Null disables UDP.</summary>
    public IPEndPoint? Udp { get; init; } = new(IPAddress.Any, 5060);

    /// <summary>TCP listen address; port 0 picks an ephemeral one. Null disables TCP.</summary>
    public IPEndPoint? Tcp { get; init; } = new(IPAddress.Any, 5060);

    /// <summary>Concurrent TCP connections; more are closed at once.</summary>
    public int MaxTcpConnections { get; init; } = 256;

    /// <summary>A TCP connection without any message for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Messages waiting for the core; when full, new ones are dropped and counted.</summary>
    public int InboundQueueCapacity { get; init; } = 4_096;

    /// <summary>Call events waiting for the host; when full, new ones are dropped and counted.</summary>
    public int EventQueueCapacity { get; init; } = 4_096;

    /// <summary>Segments waiting to be written on one TCP connection.</summary>
    public int TcpSendQueueCapacity { get; init; } = 256;
}
