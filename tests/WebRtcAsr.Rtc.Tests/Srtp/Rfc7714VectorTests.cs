using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.Tests.Srtp;

/// <summary>RFC 7714 sections 16 (SRTP) and 17 (SRTCP) AEAD_AES_GCM vectors.</summary>
public class Rfc7714VectorTests
{
    private static readonly byte[] Key128 = Hex.Bytes("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] Key256 = Hex.Bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] Salt = Hex.Bytes("517569642070726f2071756f"); // "Quid pro quo"

    private const string Rtp =
        "8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";

    private const string Srtp128 =
        "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce";

    private const string Srtp256 =
        "8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13";

    private const string Rtcp =
        "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

    private const string Srtcp128 =
        "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4";

    private const string Srtcp256 =
        "81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4";

    /// <summary>Section 17.3: authenticated, not encrypted (E = 0): the tag follows the clear packet.</summary>
    private const string Srtcp128TagOnly = Rtcp + "841dd9683dd78ec92ae58790125f62b3000005d4";

    private static SrtpContext Context(SrtpProfile profile, byte[] key)
    {
        var keys = new SrtpSessionKeys(key, Salt, []);
        return new SrtpContext(profile, keys, keys);
    }

    [Fact]
    public void Rtp_iv_is_built_as_section_16_shows()
    {
        Span<byte> iv = stackalloc byte[12];
        SrtpGcmCipher.BuildRtpIv(iv, Salt, 0x5501a0b2, 0xf17b);
        Assert.Equal("51753c6580c2726f20718414", Hex.Of(iv));
    }

    [Fact]
    public void Rtcp_iv_is_built_as_section_17_shows()
    {
        Span<byte> iv = stackalloc byte[12];
        SrtpGcmCipher.BuildRtcpIv(iv, Salt, 0x4d617273, 0x5d4);
        Assert.Equal("517524055203726f207170bb", Hex.Of(iv));
    }

    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm, Srtp128)]
    [InlineData(SrtpProfile.AeadAes256Gcm, Srtp256)]
    public void Rtp_encryption_matches(SrtpProfile profile, string expected)
    {
        using var context = Context(profile, profile == SrtpProfile.AeadAes128Gcm ? Key128 : Key256);
        byte[] rtp = Hex.Bytes(Rtp);
        var buffer = new byte[rtp.Length + 16];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, context.ProtectRtp(buffer, rtp.Length, out int length));
        Assert.Equal(expected, Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm, Srtp128)]
    [InlineData(SrtpProfile.AeadAes256Gcm, Srtp256)]
    public void Rtp_decryption_matches(SrtpProfile profile, string srtp)
    {
        using var context = Context(profile, profile == SrtpProfile.AeadAes128Gcm ? Key128 : Key256);
        byte[] packet = Hex.Bytes(srtp);
        Assert.Equal(SrtpStatus.Ok, context.UnprotectRtp(packet, out var header, out int payloadLength));
        Assert.Equal(0xf17b, header.SequenceNumber);
        Assert.Equal(Rtp, Hex.Of(packet.AsSpan(0, header.HeaderLength + payloadLength)));
    }

    [Fact]
    public void Rtcp_encryption_matches_section_17_1()
    {
        var keys = new SrtpSessionKeys(Key128, Salt, []);
        using var cipher = new SrtpGcmCipher(keys, keys);
        byte[] rtcp = Hex.Bytes(Rtcp);
        var buffer = new byte[rtcp.Length + 20];
        rtcp.CopyTo(buffer, 0);
        int length = cipher.ProtectRtcp(buffer, rtcp.Length, 0x4d617273, 0x5d4);
        Assert.Equal(Srtcp128, Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm, Srtcp128)]
    [InlineData(SrtpProfile.AeadAes256Gcm, Srtcp256)]
    public void Rtcp_decryption_matches(SrtpProfile profile, string srtcp)
    {
        using var context = Context(profile, profile == SrtpProfile.AeadAes128Gcm ? Key128 : Key256);
        byte[] packet = Hex.Bytes(srtcp);
        Assert.Equal(SrtpStatus.Ok, context.UnprotectRtcp(packet, out int length));
        Assert.Equal(Rtcp, Hex.Of(packet.AsSpan(0, length)));

        // The same packet again is a replay.
        byte[] again = Hex.Bytes(srtcp);
        Assert.Equal(SrtpStatus.Replayed, context.UnprotectRtcp(again, out _));
    }

    [Fact]
    public void Rtcp_authentication_only_matches_section_17_3()
    {
        using var context = Context(SrtpProfile.AeadAes128Gcm, Key128);
        byte[] packet = Hex.Bytes(Srtcp128TagOnly);
        Assert.Equal(SrtpStatus.Ok, context.UnprotectRtcp(packet, out int length));
        Assert.Equal(Rtcp, Hex.Of(packet.AsSpan(0, length)));

        byte[] tampered = Hex.Bytes(Srtcp128TagOnly);
        tampered[20] ^= 1;
        using var fresh = Context(SrtpProfile.AeadAes128Gcm, Key128);
        Assert.Equal(SrtpStatus.AuthenticationFailed, fresh.UnprotectRtcp(tampered, out _));
    }
}
