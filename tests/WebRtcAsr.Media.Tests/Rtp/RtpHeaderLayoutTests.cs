using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Rtp;

/// <summary>
/// The header-only parse SRTP uses: it reads what RtpPacketView reads up to the payload, and does not read the
/// last octet as a padding count (on an SRTP packet that octet is part of the authentication tag).
/// </summary>
public class RtpHeaderLayoutTests
{
    // V=2 P=1 X=1 CC=1, M=1 PT 111, seq 0x1a2b, ts 123456, ssrc, one CSRC, a one-byte extension of 1 word,
    // 3 payload bytes, then 10 bytes standing for an SRTP tag whose last byte (0) is not a valid padding count.
    private static readonly byte[] SrtpLike = Hex.Bytes(
        "b1 ef 1a 2b 00 01 e2 40 4b 2c 3d 4e" +
        "00 00 00 07" +
        "be de 00 01 10 ba 00 00" +
        "78 01 02" +
        "11 22 33 44 55 66 77 88 99 00");

    [Fact]
    public void Reads_the_header_of_a_packet_whose_last_byte_is_a_tag()
    {
        Assert.True(RtpHeaderLayout.TryParse(SrtpLike, out var h, out var error));
        Assert.Equal(RtpParseError.None, error);
        Assert.True(h.Padding);
        Assert.True(h.Marker);
        Assert.Equal(111, h.PayloadType);
        Assert.Equal(0x1a2b, h.SequenceNumber);
        Assert.Equal(123456u, h.Timestamp);
        Assert.Equal(0x4b2c3d4eu, h.Ssrc);
        Assert.Equal(1, h.CsrcCount);
        Assert.True(h.HasExtension);
        Assert.Equal(0xBEDE, h.ExtensionProfile);
        Assert.Equal(20, h.ExtensionOffset);
        Assert.Equal(4, h.ExtensionLength);
        Assert.Equal(24, h.HeaderLength);

        // The whole packet as plain RTP has a bad padding count; RtpPacketView says so, the header parse does not look.
        Assert.False(RtpPacketView.TryParse(SrtpLike, out _, out var viewError));
        Assert.Equal(RtpParseError.BadPadding, viewError);
        Assert.False(h.TryGetPaddingLength(SrtpLike, out _));

        // Without the "tag", and with the last payload byte a count of 2: the padding is found.
        var plain = SrtpLike[..27];
        plain[^1] = 2;
        Assert.True(h.TryGetPaddingLength(plain, out var padding));
        Assert.Equal(2, padding);
        Assert.True(RtpPacketView.TryParse(plain, out var view, out _));
        Assert.Equal(2, view.PaddingLength);
        Assert.Equal(new byte[] { 0x78 }, view.Payload.ToArray());
    }

    [Theory]
    [InlineData("80 00 00 01 00 00 00 02 00 00 00", RtpParseError.TooShort)]
    [InlineData("40 00 00 01 00 00 00 02 00 00 00 03", RtpParseError.BadVersion)]
    [InlineData("82 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04", RtpParseError.CsrcOverrun)]
    [InlineData("90 00 00 01 00 00 00 02 00 00 00 03 be de", RtpParseError.ExtensionOverrun)]
    [InlineData("90 00 00 01 00 00 00 02 00 00 00 03 be de 00 02 10 aa 00 00", RtpParseError.ExtensionOverrun)]
    public void Rejects_headers_that_overrun_with_the_reason_the_packet_view_gives(string hex, RtpParseError expected)
    {
        var bytes = Hex.Bytes(hex);
        Assert.False(RtpHeaderLayout.TryParse(bytes, out _, out var error));
        Assert.Equal(expected, error);
        Assert.False(RtpPacketView.TryParse(bytes, out _, out var viewError));
        Assert.Equal(expected, viewError);
    }

    [Fact]
    public void Padding_must_count_itself_and_stay_out_of_the_header()
    {
        Assert.True(RtpHeaderLayout.TryParse(Hex.Bytes("a0 00 00 01 00 00 00 02 00 00 00 03 00"), out var h, out _));
        Assert.False(h.TryGetPaddingLength(Hex.Bytes("a0 00 00 01 00 00 00 02 00 00 00 03 00"), out _)); // count 0
        Assert.False(h.TryGetPaddingLength(Hex.Bytes("a0 00 00 01 00 00 00 02 00 00 00 03"), out _)); // no payload
        Assert.False(h.TryGetPaddingLength(Hex.Bytes("a0 00 00 01 00 00 00 02 00 00 00 03 00 03"), out _)); // reaches the header
        Assert.True(h.TryGetPaddingLength(Hex.Bytes("a0 00 00 01 00 00 00 02 00 00 00 03 00 02"), out var two));
        Assert.Equal(2, two);
    }

    [Fact]
    public void Every_truncation_agrees_with_the_packet_view_up_to_the_payload()
    {
        for (var n = 0; n <= SrtpLike.Length; n++)
        {
            var bytes = SrtpLike.AsSpan(0, n);
            bool header = RtpHeaderLayout.TryParse(bytes, out var h, out _);
            if (RtpPacketView.TryParse(bytes, out var view, out _))
            {
                Assert.True(header);
                Assert.Equal(view.Length - view.Payload.Length - view.PaddingLength, h.HeaderLength);
                Assert.Equal(view.SequenceNumber, h.SequenceNumber);
            }

            Assert.Equal(n >= 24, header);
        }
    }
}
