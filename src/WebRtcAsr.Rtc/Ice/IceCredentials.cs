using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Ice;

/// <summary>ICE username fragment and password (RFC 8445 5.3, RFC 8839 5.4: ice-chars, ufrag 4-256, pwd 22-256).</summary>
public sealed record IceCredentials(string Ufrag, string Pwd)
{
    /// <summary>ice-char = ALPHA / DIGIT / "+" / "/".</summary>
    public const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>
    /// New random credentials: 8-character ufrag (48 bits, to tell peers apart in the demux table) and
    /// 24-character password (144 bits, above the 128 the RFC requires).
    /// </summary>
    public static IceCredentials Generate() =>
        new(RandomNumberGenerator.GetString(IceChars, 8), RandomNumberGenerator.GetString(IceChars, 24));

    /// <summary>Whether <paramref name="value"/> is made of ice-chars only and within the length bounds.</summary>
    public static bool IsValid(string value, int minLength) =>
        value.Length >= minLength && value.Length <= 256 && value.AsSpan().IndexOfAnyExcept(IceChars) < 0;
}
