using System.Net;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Tests.Stun;

public class StunParserTests
{
    [Fact]
    public void Every_truncation_of_a_valid_message_is_rejected_without_throwing()
    {
        byte[] data = Rfc5769Vectors.Request;
        for (int n = 0; n < data.Length; n++)
        {
            Assert.False(StunMessage.TryParse(data.AsSpan(0, n), out _, out var error));
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(1234);
        var buffer = new byte[120];
        for (int i = 0; i < 20000; i++)
        {
            random.NextBytes(buffer);
            int length = random.Next(20, buffer.Length + 1) & ~3;
            buffer[0] &= 0x3F;
            buffer[2] = 0;
            buffer[3] = (byte)(length - 20);
            buffer[4] = 0x21;
            buffer[5] = 0x12;
            buffer[6] = 0xa4;
            buffer[7] = 0x42;
            _ = StunMessage.TryParse(buffer.AsSpan(0, length), out _, out _);
        }
    }

    [Fact]
    public void Wrong_cookie_and_bad_length_are_reasons()
    {
        byte[] data = (byte[])Rfc5769Vectors.Request.Clone();
        data[4] = 0;
        Assert.False(StunMessage.TryParse(data, out _, out var error));
        Assert.Contains("cookie", error, StringComparison.Ordinal);

        data = (byte[])Rfc5769Vectors.Request.Clone();
        data[3] = 0x59;
        Assert.False(StunMessage.TryParse(data, out _, out _));
    }

    [Fact]
    public void Message_type_round_trips_for_all_classes()
    {
        Assert.Equal(0x0001, StunMessageType.BindingRequest.ToWire());
        Assert.Equal(0x0101, StunMessageType.BindingSuccess.ToWire());
        Assert.Equal(0x0111, StunMessageType.BindingError.ToWire());
        Assert.Equal(0x0011, StunMessageType.BindingIndication.ToWire());
        for (ushort method = 0; method < 0x1000; method += 0x0AB)
        {
            foreach (StunClass c in Enum.GetValues<StunClass>())
            {
                var t = new StunMessageType(method, c);
                Assert.Equal(t, StunMessageType.FromWire(t.ToWire()));
            }
        }
    }

    [Fact]
    public void Error_response_with_unknown_attributes_round_trips()
    {
        var tid = StunTransactionId.NewRandom();
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingError, tid);
        writer.AddErrorCode(420, "Unknown Attribute");
        writer.AddUnknownAttributes([0x0042, 0x0043]);
        writer.AddFingerprint();
        byte[] data = writer.Written.ToArray();

        Assert.True(StunMessage.TryParse(data, out var m, out var error), error);
        Assert.Equal(StunClass.ErrorResponse, m!.Type.Class);
        Assert.Equal(tid, m.TransactionId);
        Assert.Equal(420, m.ErrorCode);
        Assert.Equal("Unknown Attribute", m.ErrorReason);
        Assert.Equal(new ushort[] { 0x42, 0x43 }, m.UnknownAttributes);
        Assert.True(m.VerifyFingerprint(data));
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_listed_and_optional_ones_ignored()
    {
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddBytes(0x0042, [1, 2, 3]);
        writer.AddBytes(0xC001, [4]);
        writer.AddUseCandidate();
        writer.AddIceControlling(7);
        Assert.True(StunMessage.TryParse(writer.Written, out var m, out _));
        Assert.Equal(new ushort[] { 0x0042 }, m!.UnknownComprehensionRequired);
        Assert.True(m.UseCandidate);
        Assert.Equal(7ul, m.IceControlling);
    }

    [Fact]
    public void Message_integrity_sha256_is_built_and_verified()
    {
        byte[] key = StunIntegrity.ShortTermKey("secret-password");
        var buffer = new byte[200];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, StunTransactionId.NewRandom());
        writer.AddXorMappedAddress(new IPEndPoint(IPAddress.Loopback, 5000));
        writer.AddMessageIntegrity(key);
        writer.AddMessageIntegritySha256(key);
        writer.AddFingerprint();
        byte[] data = writer.Written.ToArray();
        Assert.True(StunMessage.TryParse(data, out var m, out _));
        Assert.True(m!.VerifyMessageIntegrity(data, key));
        Assert.True(m.VerifyMessageIntegritySha256(data, key));
        Assert.False(m.VerifyMessageIntegritySha256(data, StunIntegrity.ShortTermKey("other")));
        Assert.True(m.VerifyFingerprint(data));
    }

    [Fact]
    public void Attributes_after_fingerprint_are_rejected()
    {
        byte[] data = [.. Rfc5769Vectors.Request, 0x80, 0x22, 0x00, 0x00];
        data[3] += 4;
        Assert.False(StunMessage.TryParse(data, out _, out var error));
        Assert.Contains("FINGERPRINT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Username_reader_finds_the_local_ufrag_without_parsing()
    {
        Assert.True(StunUsernameReader.TryReadLocalUfrag(Rfc5769Vectors.Request, out var ufrag));
        Assert.Equal("evtj"u8.ToArray(), ufrag.ToArray());
        Assert.False(StunUsernameReader.TryReadLocalUfrag(Rfc5769Vectors.ResponseIPv4, out _)); // not a request
        Assert.False(StunUsernameReader.TryReadLocalUfrag(Rfc5769Vectors.Request.AsSpan(0, 60), out _));
    }
}
