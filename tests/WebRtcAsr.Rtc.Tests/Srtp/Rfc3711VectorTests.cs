using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.Tests.Srtp;

/// <summary>RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation).</summary>
public class Rfc3711VectorTests
{
    [Fact]
    public void B2_aes_cm_keystream_matches_first_and_last_blocks()
    {
        byte[] key = Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] salt = Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        Span<byte> iv = stackalloc byte[16];
        // ROC, SEQ and SSRC are zero: the IV is the shifted salt.
        SrtpCmHmacCipher.BuildIv(iv, salt, ssrc: 0, index: 0);
        Assert.Equal("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", Hex.Of(iv));

        var keystream = new byte[1044512]; // 65282 blocks, as the RFC says
        using var cm = new AesCounterMode(key);
        cm.Transform(iv, keystream);
        Assert.Equal(
            "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0",
            Hex.Of(keystream.AsSpan(0, 48)));
        Assert.Equal(
            "ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae6a2cc3787889374fbeb4c81b17ba6c44",
            Hex.Of(keystream.AsSpan(keystream.Length - 48)));
    }

    [Fact]
    public void B2_keystream_is_the_same_when_produced_in_small_pieces()
    {
        byte[] key = Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] iv = Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        using var cm = new AesCounterMode(key);
        var whole = new byte[3000];
        cm.Transform(iv, whole);
        var pieces = new byte[3000];
        for (int block = 0; block < 3000 / 16; block += 7)
        {
            int end = Math.Min(3000, (block + 7) * 16);
            cm.Transform(iv, pieces.AsSpan(block * 16, end - block * 16), block);
        }

        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void B3_key_derivation_gives_cipher_key_salt_and_auth_key()
    {
        byte[] masterKey = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");
        Assert.Equal("c61e7a93744f39ee10734afe3ff7a087", Hex.Of(SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpLabel.RtpEncryption, 16)));
        Assert.Equal("30cbbc08863d8c85d49db34a9ae1", Hex.Of(SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpLabel.RtpSalt, 14)));
        Assert.Equal(
            "cebe321f6ff7716b6fd4ab49af256a156d38baa48f0a0acf3c34e2359e6cdbce"
            + "e049646c43d9327ad175578ef72270986371c10c9a369ac2f94a8c5fbcdddc25"
            + "6d6e919a48b610ef17c2041e474035766b68642c59bbfc2f34db60dbdfb2",
            Hex.Of(SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpLabel.RtpAuthentication, 94)));

        var keys = SrtpSessionKeys.DeriveRtp(SrtpProfile.AesCm128HmacSha1_80, masterKey, masterSalt);
        Assert.Equal("cebe321f6ff7716b6fd4ab49af256a156d38baa4", Hex.Of(keys.AuthenticationKey));
    }
}
