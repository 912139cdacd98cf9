namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// NTP timestamps for sender reports (RFC 3550 4): 32.32 fixed-point seconds since 1900.
/// The wall-clock origin is supplied by the caller; protocol code never reads the clock.
/// </summary>
public static class NtpTime
{
    /// <summary>Seconds from 1900-01-01 to 1970-01-01.</summary>
    public const long UnixEpochOffsetSeconds = 2_208_988_800;

    /// <summary>The NTP timestamp of a Unix time in microseconds.</summary>
    public static ulong FromUnixMicros(long unixMicros)
    {
        long seconds = Math.DivRem(unixMicros, 1_000_000, out long micros);
        if (micros < 0)
        {
            seconds--;
            micros += 1_000_000;
        }

        ulong fraction = (ulong)((micros << 32) / 1_000_000);
        return ((ulong)(seconds + UnixEpochOffsetSeconds) << 32) | fraction;
    }

    /// <summary>The middle 32 bits, as used in LSR (RFC 3550 6.4.1).</summary>
    public static uint Middle32(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 16);
}
