namespace WebRtcAsr.Rtc.Sctp;

/// <summary>Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit SSNs, which wrap.</summary>
internal static class SerialNumber
{
    public static bool Less(uint a, uint b) => a != b && (int)(a - b) < 0;

    public static bool LessOrEqual(uint a, uint b) => (int)(a - b) <= 0;

    public static bool Greater(uint a, uint b) => Less(b, a);

    /// <summary>True when a is at or beyond next (i.e. a was never assigned when next is the next TSN).</summary>
    public static bool GreaterOrEqualNext(uint a, uint next) => LessOrEqual(next, a);

    public static bool Less16(ushort a, ushort b) => a != b && (short)(a - b) < 0;

    public static bool LessOrEqual16(ushort a, ushort b) => (short)(a - b) <= 0;
}
