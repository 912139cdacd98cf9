namespace WebRtcAsr.Rtc.Srtp;

/// <summary>The session keys for one of SRTP or SRTCP in one direction (RFC 3711 4.3).</summary>
public sealed record SrtpSessionKeys(byte[] EncryptionKey, byte[] Salt, byte[] AuthenticationKey)
{
    /// <summary>SHA1 HMAC keys are 160 bits (RFC 3711 4.2.1 n_a).</summary>
    public const int AuthenticationKeyLength = 20;

    public static SrtpSessionKeys DeriveRtp(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt) =>
        Derive(profile, masterKey, masterSalt, SrtpLabel.RtpEncryption, SrtpLabel.RtpAuthentication, SrtpLabel.RtpSalt);

    public static SrtpSessionKeys DeriveRtcp(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt) =>
        Derive(profile, masterKey, masterSalt, SrtpLabel.RtcpEncryption, SrtpLabel.RtcpAuthentication, SrtpLabel.RtcpSalt);

    private static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpLabel encryption, SrtpLabel authentication, SrtpLabel salt)
    {
        var p = SrtpProfileParameters.Of(profile);
        if (masterKey.Length != p.KeyLength || masterSalt.Length != p.SaltLength)
        {
            throw new ArgumentException($"{profile} needs a {p.KeyLength}-byte key and a {p.SaltLength}-byte salt");
        }

        return new SrtpSessionKeys(
            SrtpKeyDerivation.Derive(masterKey, masterSalt, encryption, p.KeyLength),
            SrtpKeyDerivation.Derive(masterKey, masterSalt, salt, p.SaltLength),
            p.IsAead ? [] : SrtpKeyDerivation.Derive(masterKey, masterSalt, authentication, AuthenticationKeyLength));
    }
}
