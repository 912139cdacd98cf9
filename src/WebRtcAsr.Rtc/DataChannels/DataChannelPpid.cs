namespace WebRtcAsr.Rtc.DataChannels;

/// <summary>SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).</summary>
public static class DataChannelPpid
{
    public const uint Dcep = 50;
    public const uint String = 51;

    /// <summary>Deprecated partial binary message (old Chrome); a final 53 ends it.</summary>
    public const uint BinaryPartial = 52;
    public const uint Binary = 53;

    /// <summary>Deprecated partial string message (old Chrome); a final 51 ends it.</summary>
    public const uint StringPartial = 54;
    public const uint StringEmpty = 56;
    public const uint BinaryEmpty = 57;
}
