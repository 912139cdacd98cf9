namespace WebRtcAsr.Rtc.Tests;

/// <summary>Hex strings as they are printed in RFCs (spaces and line breaks allowed).</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex)
    {
        var compact = new System.Text.StringBuilder(hex.Length);
        foreach (char c in hex)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
            }
        }

        return Convert.FromHexString(compact.ToString());
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
