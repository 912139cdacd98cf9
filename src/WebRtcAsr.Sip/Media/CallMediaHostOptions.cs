using System.Net;

namespace WebRtcAsr.Sip.Media;

/// <summary>Settings of a <see cref="CallMediaHost"/>.</summary>
public sealed record CallMediaHostOptions
{
    /// <summary>The address RTP/RTCP sockets bind to (the SIP server's media address, or any).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Calls with media at once; a call beyond it is ended (480 while ringing, BYE after).</summary>
    public int MaxCalls { get; init; } = 100;

    /// <summary>Per-call settings.</summary>
    public CallMediaOptions Media { get; init; } = new();

    /// <summary>Capacity of <see cref="CallMediaHost.Events"/>; beyond it events are dropped and counted.</summary>
    public int EventQueueCapacity { get; init; } = 1024;
}
