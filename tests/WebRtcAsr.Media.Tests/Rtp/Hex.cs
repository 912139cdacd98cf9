namespace WebRtcAsr.Media.Tests.Rtp;

/// <summary>Test vectors are written as spaced hex, as in the RFC figures.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
}
