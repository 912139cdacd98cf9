using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Rtp;

public class RtpPacketViewTests
{
    // A Chrome-style Opus packet: PT 111, one-byte extensions as Chrome negotiates them
    // (1 = ssrc-audio-level, 2 = abs-send-time, 3 = transport-wide-cc), 2 bytes of padding
    // inside the extension block, and a 5-byte Opus payload.
    private static readonly byte[] ChromeOpus = Hex.Bytes(
        "90 6f 1a 2b 00 01 e2 40 4b 2c 3d 4e" + // V=2 X=1, PT 111, seq 0x1a2b, ts 123456, ssrc
        "be de 00 03" +                         // one-byte profile, 3 words
        "10 ba" +                               // id 1, len 1: V=1, level 58 -dBov
        "22 12 34 56" +                         // id 2, len 3: abs-send-time
        "31 00 2a" +                            // id 3, len 2: transport-wide seq 42
        "00 00 00" +                            // padding to 32 bits
        "78 01 02 03 04");                      // Opus TOC + data

    [Fact]
    public void Parses_a_chrome_opus_packet_with_one_byte_extensions()
    {
        Assert.True(RtpPacketView.TryParse(ChromeOpus, out var p, out var error));
        Assert.Equal(RtpParseError.None, error);
        Assert.Equal(2, p.Version);
        Assert.True(p.HasExtension);
        Assert.False(p.HasPadding);
        Assert.False(p.Marker);
        Assert.Equal(111, p.PayloadType);
        Assert.Equal(0x1a2b, p.SequenceNumber);
        Assert.Equal(123456u, p.Timestamp);
        Assert.Equal(0x4b2c3d4eu, p.Ssrc);
        Assert.Equal(0xBEDE, p.ExtensionProfile);
        Assert.Equal(12, p.ExtensionData.Length);
        Assert.Equal(new byte[] { 0x78, 1, 2, 3, 4 }, p.Payload.ToArray());

        var reader = p.Extensions;
        Assert.True(reader.MoveNext());
        Assert.Equal(1, reader.Id);
        Assert.Equal(new byte[] { 0xba }, reader.Data.ToArray());
        Assert.True(reader.MoveNext());
        Assert.Equal(2, reader.Id);
        Assert.Equal(new byte[] { 0x12, 0x34, 0x56 }, reader.Data.ToArray());
        Assert.True(reader.MoveNext());
        Assert.Equal(3, reader.Id);
        Assert.Equal(new byte[] { 0x00, 0x2a }, reader.Data.ToArray());
        Assert.False(reader.MoveNext());
        Assert.Equal(RtpParseError.None, reader.Error);

        Assert.True(AudioLevel.TryRead(p, 1, out var level));
        Assert.True(level.VoiceActivity);
        Assert.Equal(58, level.LevelMinusDbov);
        Assert.False(AudioLevel.TryRead(p, 4, out _)); // not present
        Assert.False(AudioLevel.TryRead(p, 0, out _)); // not negotiated
    }

    [Fact]
    public void Reads_the_rfc_8285_one_byte_example_with_padding_between_elements()
    {
        // RFC 8285 4.2 example shape: ID 1 L=0 (1 byte), ID 2 L=1 (2 bytes), two padding bytes,
        // ID 3 L=3 (4 bytes); 3 words in all.
        var block = Hex.Bytes("10 aa 21 bb cc 00 00 33 01 02 03 04");
        var reader = new RtpHeaderExtensionReader(0xBEDE, block);
        Assert.True(reader.MoveNext());
        Assert.Equal(1, reader.Id);
        Assert.Equal(new byte[] { 0xaa }, reader.Data.ToArray());
        Assert.True(reader.MoveNext());
        Assert.Equal(2, reader.Id);
        Assert.Equal(new byte[] { 0xbb, 0xcc }, reader.Data.ToArray());
        Assert.True(reader.MoveNext());
        Assert.Equal(3, reader.Id);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, reader.Data.ToArray());
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void One_byte_id_15_stops_parsing()
    {
        var block = Hex.Bytes("10 aa f0 11 20 22 00 00");
        var reader = new RtpHeaderExtensionReader(0xBEDE, block);
        Assert.True(reader.MoveNext());
        Assert.False(reader.MoveNext());
        Assert.Equal(RtpParseError.None, reader.Error);
    }

    [Fact]
    public void Reads_two_byte_elements_including_zero_length_and_appbits()
    {
        // RFC 8285 4.3: profile 0x100 + appbits, id(8) length(8); zero-length elements are allowed.
        var packet = Hex.Bytes(
            "90 00 00 01 00 00 00 02 00 00 00 03" +
            "10 05 00 03" +
            "01 00 10 02 ab cd 00 20 01 7f 00 00" +
            "ff");
        Assert.True(RtpPacketView.TryParse(packet, out var p, out _));
        var reader = p.Extensions;
        Assert.True(reader.MoveNext());
        Assert.Equal(1, reader.Id);
        Assert.Equal(0, reader.Data.Length);
        Assert.True(reader.MoveNext());
        Assert.Equal(16, reader.Id);
        Assert.Equal(new byte[] { 0xab, 0xcd }, reader.Data.ToArray());
        Assert.True(reader.MoveNext()); // after one padding byte
        Assert.Equal(32, reader.Id);
        Assert.Equal(new byte[] { 0x7f }, reader.Data.ToArray());
        Assert.False(reader.MoveNext());
        Assert.Equal(RtpParseError.None, reader.Error);
    }

    [Fact]
    public void Two_byte_element_overrun_is_reported()
    {
        var block = Hex.Bytes("05 08 01 02 03 04 05 06"); // declares 8 data bytes, 6 present
        var reader = new RtpHeaderExtensionReader(0x1000, block);
        Assert.False(reader.MoveNext());
        Assert.Equal(RtpParseError.ExtensionElementOverrun, reader.Error);
    }

    [Fact]
    public void Unknown_extension_profile_yields_no_elements()
    {
        var reader = new RtpHeaderExtensionReader(0xABCD, Hex.Bytes("10 aa 00 00"));
        Assert.False(reader.MoveNext());
        Assert.Equal(RtpParseError.None, reader.Error);
    }

    [Fact]
    public void Parses_csrcs_marker_and_padding()
    {
        // CC=2, P=1 with 3 padding bytes (last byte counts itself), M=1, PT 0 (PCMU).
        var packet = Hex.Bytes("a2 80 ff ff ff ff ff ff 00 00 00 01 00 00 00 0a 00 00 00 0b d5 d5 d5 d5 00 00 03");
        Assert.True(RtpPacketView.TryParse(packet, out var p, out _));
        Assert.True(p.Marker);
        Assert.True(p.HasPadding);
        Assert.Equal(3, p.PaddingLength);
        Assert.Equal(0, p.PayloadType);
        Assert.Equal(65535, p.SequenceNumber);
        Assert.Equal(uint.MaxValue, p.Timestamp);
        Assert.Equal(2, p.CsrcCount);
        Assert.Equal(10u, p.GetCsrc(0));
        Assert.Equal(11u, p.GetCsrc(1));
        Assert.Equal(4, p.Payload.Length);
    }

    [Theory]
    [InlineData("80 00 00 01 00 00 00 02 00 00", RtpParseError.TooShort)]
    [InlineData("40 00 00 01 00 00 00 02 00 00 00 03 aa", RtpParseError.BadVersion)]
    [InlineData("8f 00 00 01 00 00 00 02 00 00 00 03 aa bb cc dd", RtpParseError.CsrcOverrun)]
    [InlineData("90 00 00 01 00 00 00 02 00 00 00 03 be de", RtpParseError.ExtensionOverrun)]
    [InlineData("90 00 00 01 00 00 00 02 00 00 00 03 be de ff ff 10 aa 00 00", RtpParseError.ExtensionOverrun)]
    [InlineData("a0 00 00 01 00 00 00 02 00 00 00 03 aa bb 00", RtpParseError.BadPadding)]
    [InlineData("a0 00 00 01 00 00 00 02 00 00 00 03 aa bb 04", RtpParseError.BadPadding)]
    public void Rejects_malformed_packets_with_a_reason(string hex, RtpParseError expected)
    {
        Assert.False(RtpPacketView.TryParse(Hex.Bytes(hex), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Padding_that_takes_the_whole_payload_leaves_it_empty()
    {
        var packet = Hex.Bytes("a0 00 00 01 00 00 00 02 00 00 00 03 00 00 03");
        Assert.True(RtpPacketView.TryParse(packet, out var p, out _));
        Assert.Equal(0, p.Payload.Length);
    }

    [Fact]
    public void Every_truncation_of_a_valid_packet_is_rejected_or_parsed_inside_bounds()
    {
        for (int n = 0; n <= ChromeOpus.Length; n++)
        {
            var slice = ChromeOpus.AsSpan(0, n);
            if (RtpPacketView.TryParse(slice, out var p, out _))
            {
                Assert.True(p.Payload.Length <= n);
                var reader = p.Extensions;
                while (reader.MoveNext())
                {
                }
            }
        }
    }

    [Fact]
    public void Writer_round_trips_header_csrcs_extensions_and_padding()
    {
        var buffer = new byte[200];
        var header = new RtpHeader(111, 65535, 0xFFFFFF00, 0xCAFEBABE, Marker: true);
        var writer = new RtpPacketWriter(buffer, header, new uint[] { 7, 8, 9 });
        writer.AddExtension(1, new byte[] { 0x85 });
        writer.AddExtension(3, new byte[] { 0x01, 0x02 });
        int length = writer.Complete(new byte[] { 1, 2, 3, 4, 5, 6 }, paddingLength: 4);

        Assert.Equal(12 + 12 + 4 + 8 + 6 + 4, length);
        Assert.True(RtpPacketView.TryParse(buffer.AsSpan(0, length), out var p, out _));
        Assert.Equal((111, (ushort)65535, 0xFFFFFF00u, 0xCAFEBABEu, true), (p.PayloadType, p.SequenceNumber, p.Timestamp, p.Ssrc, p.Marker));
        Assert.Equal(3, p.CsrcCount);
        Assert.Equal(9u, p.GetCsrc(2));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, p.Payload.ToArray());
        Assert.True(AudioLevel.TryRead(p, 1, out var level));
        Assert.Equal(new AudioLevel(true, 5), level);
        Assert.True(RtpHeaderExtensionReader.TryFind(p.ExtensionProfile, p.ExtensionData, 3, out var ext3));
        Assert.Equal(new byte[] { 1, 2 }, ext3.ToArray());
    }

    [Fact]
    public void Writer_uses_the_two_byte_form_when_asked()
    {
        var buffer = new byte[100];
        var writer = new RtpPacketWriter(buffer, new RtpHeader(0, 1, 2, 3), twoByteExtensions: true);
        writer.AddExtension(200, new byte[20]);
        int length = writer.Complete(new byte[] { 9 });
        Assert.True(RtpPacketView.TryParse(buffer.AsSpan(0, length), out var p, out _));
        Assert.Equal(0x1000, p.ExtensionProfile);
        Assert.True(RtpHeaderExtensionReader.TryFind(p.ExtensionProfile, p.ExtensionData, 200, out var data));
        Assert.Equal(20, data.Length);
    }

    [Fact]
    public void Mutated_valid_packets_never_crash_the_parser()
    {
        var random = new Random(1234);
        var buffer = new byte[ChromeOpus.Length + 8];
        int accepted = 0;
        for (int i = 0; i < 20000; i++)
        {
            ChromeOpus.CopyTo(buffer, 0);
            int n = random.Next(1, buffer.Length + 1);
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                buffer[random.Next(n)] ^= (byte)(1 << random.Next(8));
            }

            if (RtpPacketView.TryParse(buffer.AsSpan(0, n), out var p, out _))
            {
                accepted++;
                Assert.InRange(p.Payload.Length, 0, n - 12);
                var reader = p.Extensions;
                while (reader.MoveNext())
                {
                    Assert.InRange(reader.Data.Length, 0, 255);
                }

                AudioLevel.TryRead(p, 1, out _);
            }
        }

        Assert.InRange(accepted, 1, 19999); // some mutations survive, many do not
    }
}
