using System.Net;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Tests.Stun;

public class Rfc5769Tests
{
    private static readonly byte[] Key = StunIntegrity.ShortTermKey(Rfc5769Vectors.ShortTermPassword);
    private static readonly StunTransactionId Tid = StunTransactionId.Read(Rfc5769Vectors.TransactionId);

    [Fact]
    public void Sample_request_parses_and_verifies()
    {
        byte[] data = Rfc5769Vectors.Request;
        Assert.True(StunMessage.TryParse(data, out var m, out var error), error);
        Assert.Equal(StunMessageType.BindingRequest, m!.Type);
        Assert.Equal(Tid, m.TransactionId);
        Assert.Equal("STUN test client", m.Software);
        Assert.Equal(0x6e0001ffu, m.Priority);
        Assert.Equal(0x932ff9b151263b36ul, m.IceControlled);
        Assert.Null(m.IceControlling);
        Assert.Equal("evtj:h6vY", m.Username);
        Assert.True(m.VerifyMessageIntegrity(data, Key));
        Assert.True(m.VerifyFingerprint(data));
        Assert.False(m.VerifyMessageIntegrity(data, StunIntegrity.ShortTermKey("wrong")));
    }

    [Fact]
    public void Sample_request_is_rebuilt_byte_for_byte()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Tid) { PaddingByte = 0x20 };
        writer.AddSoftware("STUN test client");
        writer.AddPriority(0x6e0001ff);
        writer.AddIceControlled(0x932ff9b151263b36);
        writer.AddUsername("evtj:h6vY");
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        Assert.Equal(Hex.Of(Rfc5769Vectors.Request), Hex.Of(writer.Written));
    }

    [Fact]
    public void IPv4_response_parses_verifies_and_is_rebuilt()
    {
        byte[] data = Rfc5769Vectors.ResponseIPv4;
        Assert.True(StunMessage.TryParse(data, out var m, out var error), error);
        Assert.Equal(StunMessageType.BindingSuccess, m!.Type);
        Assert.Equal("test vector", m.Software);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), m.XorMappedAddress);
        Assert.True(m.VerifyMessageIntegrity(data, Key));
        Assert.True(m.VerifyFingerprint(data));

        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, Tid) { PaddingByte = 0x20 };
        writer.AddSoftware("test vector");
        writer.AddXorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        Assert.Equal(Hex.Of(data), Hex.Of(writer.Written));
    }

    [Fact]
    public void IPv6_response_parses_verifies_and_is_rebuilt()
    {
        byte[] data = Rfc5769Vectors.ResponseIPv6;
        var expected = new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        Assert.True(StunMessage.TryParse(data, out var m, out var error), error);
        Assert.Equal(expected, m!.XorMappedAddress);
        Assert.True(m.VerifyMessageIntegrity(data, Key));
        Assert.True(m.VerifyFingerprint(data));

        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, Tid) { PaddingByte = 0x20 };
        writer.AddSoftware("test vector");
        writer.AddXorMappedAddress(expected);
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        Assert.Equal(Hex.Of(data), Hex.Of(writer.Written));
    }

    [Fact]
    public void Long_term_request_parses_and_verifies_with_the_md5_key()
    {
        byte[] data = Rfc5769Vectors.LongTermRequest;
        Assert.True(StunMessage.TryParse(data, out var m, out var error), error);
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", m!.Username);
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", m.Nonce);
        Assert.Equal("example.org", m.Realm);
        Assert.False(m.HasFingerprint);
        // The password "The<U+00AD>M<U+00AA>tr<U+2168>" is "TheMatrIX" after SASLprep.
        byte[] key = StunIntegrity.LongTermKey(m.Username!, m.Realm!, "TheMatrIX");
        Assert.True(m.VerifyMessageIntegrity(data, key));
    }

    [Fact]
    public void A_flipped_bit_breaks_integrity_and_fingerprint()
    {
        byte[] data = (byte[])Rfc5769Vectors.Request.Clone();
        data[30] ^= 0x01; // inside SOFTWARE
        Assert.True(StunMessage.TryParse(data, out var m, out _));
        Assert.False(m!.VerifyMessageIntegrity(data, Key));
        Assert.False(m.VerifyFingerprint(data));
    }
}
