namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// The AES-CM pseudo-random function that derives session keys from a master key (RFC 3711 4.3.3),
/// with key derivation rate 0 (the only one DTLS-SRTP uses): the PRF input is the master salt,
/// left-aligned in a 16-byte block, with the label XORed into byte 7. A 12-byte AEAD salt
/// (RFC 7714 section 11) is padded with zeros the same way libsrtp and the browsers do.
/// </summary>
public static class SrtpKeyDerivation
{
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpLabel label, Span<byte> destination)
    {
        if (masterSalt.Length > 14)
        {
            throw new ArgumentException("master salt longer than 112 bits", nameof(masterSalt));
        }

        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= (byte)label;
        destination.Clear();
        using var prf = new AesCounterMode(masterKey);
        prf.Transform(iv, destination);
    }

    public static byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpLabel label, int length)
    {
        var result = new byte[length];
        Derive(masterKey, masterSalt, label, result);
        return result;
    }
}
