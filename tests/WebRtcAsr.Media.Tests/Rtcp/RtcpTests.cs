using System.Text;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Media.Tests.Rtp;

namespace WebRtcAsr.Media.Tests.Rtcp;

public class RtcpTests
{
    // SR with one report block followed by SDES CNAME: the compound every RTP sender emits
    // (RFC 3550 6.1), laid out byte by byte from the figures of 6.4.1 and 6.5.
    private const string SenderReportHex =
        "81 c8 00 0c" +                  // V=2 RC=1 PT=200 length=12
        "11 22 33 44" +                  // SSRC of sender
        "e1 b2 c3 d4 a5 b6 c7 d8" +      // NTP timestamp
        "00 0f 42 40" +                  // RTP timestamp 1000000
        "00 00 00 64" +                  // packet count 100
        "00 00 3e 80" +                  // octet count 16000
        "55 66 77 88 19 00 00 05" +      // block: SSRC, fraction 25/256, cumulative lost 5
        "00 01 00 10 00 00 00 2a" +      // extended highest seq 65552, jitter 42
        "12 34 56 78 00 01 80 00";       // LSR, DLSR 1.5 s
    private const string SdesHex =
        "81 ca 00 06 11 22 33 44" +      // V=2 SC=1 PT=202 length=6, chunk SSRC
        "01 10 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70" + // CNAME, 16 chars
        "00 00";                         // end of items + padding to 32 bits

    private static readonly byte[] SrSdesCompound = Hex.Bytes(SenderReportHex + SdesHex);

    [Fact]
    public void Parses_an_sr_plus_sdes_compound()
    {
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(SrSdesCompound));
        var reader = new RtcpCompoundReader(SrSdesCompound);

        Assert.True(reader.MoveNext());
        var srPacket = reader.Current;
        Assert.True(SenderReportView.TryParse(srPacket, out var sr, out _));
        Assert.Equal(0x11223344u, sr.Ssrc);
        Assert.Equal(0xE1B2C3D4A5B6C7D8ul, sr.NtpTimestamp);
        Assert.Equal(1_000_000u, sr.RtpTimestamp);
        Assert.Equal(100u, sr.PacketCount);
        Assert.Equal(16000u, sr.OctetCount);
        Assert.Equal(1, sr.ReportCount);
        Assert.Equal(new ReportBlock(0x55667788, 25, 5, 65552, 42, 0x12345678, 0x18000), sr.GetReport(0));

        Assert.True(reader.MoveNext());
        var sdes = new SdesReader(reader.Current);
        Assert.True(sdes.MoveNext());
        Assert.Equal(0x11223344u, sdes.Source);
        Assert.Equal(SdesItemType.CName, sdes.ItemType);
        Assert.Equal("abcdefghijklmnop", Encoding.UTF8.GetString(sdes.Text));
        Assert.False(sdes.MoveNext());
        Assert.Equal(RtcpParseError.None, sdes.Error);

        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
    }

    [Fact]
    public void Writer_produces_the_same_bytes_as_the_hand_built_compound()
    {
        var buffer = new byte[256];
        int n = RtcpWriter.WriteSenderReport(buffer, 0x11223344, 0xE1B2C3D4A5B6C7D8, 1_000_000, 100, 16000,
            new[] { new ReportBlock(0x55667788, 25, 5, 65552, 42, 0x12345678, 0x18000) });
        n += RtcpWriter.WriteSourceDescription(buffer.AsSpan(n), 0x11223344, SdesItemType.CName, "abcdefghijklmnop"u8);
        Assert.Equal(SrSdesCompound, buffer.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void Parses_rr_with_two_blocks_sdes_with_two_chunks_unknown_feedback_and_padded_bye()
    {
        var datagram = Hex.Bytes(
            "82 c9 00 0d 00 00 00 01" +                             // RR, 2 blocks
            "00 00 00 0a 00 ff ff ff 00 00 00 64 00 00 00 00 00 00 00 00 00 00 00 00" + // cumulative -1
            "00 00 00 0b 80 80 00 00 00 02 00 00 00 00 01 00 00 00 00 00 00 00 00 00" + // cumulative -8388608
            "82 ca 00 06" +                                           // SDES, 2 chunks
            "00 00 00 01 01 02 61 62 00 00 00 00" +                  // CNAME "ab" + 4 nulls (ends on boundary)
            "00 00 00 02 02 03 78 79 7a 00 00 00" +                   // NAME "xyz" + null + padding
            "8f cd 00 03 00 00 00 01 00 00 00 0a 00 01 00 01" +     // transport-cc (unknown here): skipped
            "a1 cb 00 03 00 00 00 01 03 62 79 65 00 00 00 04");    // BYE + "bye", P=1 with 4 padding bytes
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(datagram));

        var reader = new RtcpCompoundReader(datagram);
        Assert.True(reader.MoveNext());
        Assert.True(ReceiverReportView.TryParse(reader.Current, out var rr, out _));
        Assert.Equal(1u, rr.Ssrc);
        Assert.Equal(2, rr.ReportCount);
        Assert.Equal(-1, rr.GetReport(0).CumulativeLost);
        Assert.Equal(100u, rr.GetReport(0).ExtendedHighestSequence);
        Assert.Equal(-8388608, rr.GetReport(1).CumulativeLost);
        Assert.Equal(128, rr.GetReport(1).FractionLost);

        Assert.True(reader.MoveNext());
        var sdes = new SdesReader(reader.Current);
        Assert.True(sdes.MoveNext());
        Assert.Equal((1u, SdesItemType.CName, "ab"), (sdes.Source, sdes.ItemType, Encoding.UTF8.GetString(sdes.Text)));
        Assert.True(sdes.MoveNext());
        Assert.Equal((2u, SdesItemType.Name, "xyz"), (sdes.Source, sdes.ItemType, Encoding.UTF8.GetString(sdes.Text)));
        Assert.False(sdes.MoveNext());
        Assert.Equal(RtcpParseError.None, sdes.Error);

        Assert.True(reader.MoveNext());
        Assert.Equal(205, reader.Current.PacketType); // unknown to us: the caller skips it
        Assert.Equal(15, reader.Current.Count);

        Assert.True(reader.MoveNext());
        Assert.True(reader.Current.HasPadding);
        Assert.True(ByeView.TryParse(reader.Current, out var bye, out _));
        Assert.Equal(1, bye.SourceCount);
        Assert.Equal(1u, bye.GetSource(0));
        Assert.Equal("bye", Encoding.UTF8.GetString(bye.Reason));
        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
    }

    [Fact]
    public void Writer_round_trips_rr_and_bye_and_clamps_cumulative_loss()
    {
        var buffer = new byte[256];
        int n = RtcpWriter.WriteReceiverReport(buffer, 7, new[]
        {
            new ReportBlock(1, 10, 9_000_000, 5, 6, 7, 8),
            new ReportBlock(2, 0, -9_000_000, 5, 6, 7, 8),
        });
        n += RtcpWriter.WriteGoodbye(buffer.AsSpan(n), new uint[] { 7 }, "done"u8);
        var datagram = buffer.AsSpan(0, n);
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(datagram));

        var reader = new RtcpCompoundReader(datagram);
        Assert.True(reader.MoveNext());
        Assert.True(ReceiverReportView.TryParse(reader.Current, out var rr, out _));
        Assert.Equal(ReportBlock.MaxCumulativeLost, rr.GetReport(0).CumulativeLost);
        Assert.Equal(ReportBlock.MinCumulativeLost, rr.GetReport(1).CumulativeLost);
        Assert.True(reader.MoveNext());
        Assert.True(ByeView.TryParse(reader.Current, out var bye, out _));
        Assert.Equal("done", Encoding.UTF8.GetString(bye.Reason));
        Assert.Equal(16, reader.Current.Length); // header 4 + SSRC 4 + (length octet + 4 -> padded to 8)
    }

    [Fact]
    public void Writer_returns_zero_when_the_destination_is_too_small()
    {
        Assert.Equal(0, RtcpWriter.WriteReceiverReport(new byte[7], 1, default));
        Assert.Equal(0, RtcpWriter.WriteSourceDescription(new byte[8], 1, SdesItemType.CName, "x"u8));
    }

    [Theory]
    [InlineData("81 c8 00 0c 11 22", RtcpParseError.LengthOverrun)]
    [InlineData("41 c9 00 01 00 00 00 01", RtcpParseError.BadVersion)]
    [InlineData("81 ca 00 01 00 00 00 01", RtcpParseError.FirstNotReport)]
    [InlineData("a0 c9 00 01 00 00 00 01 80 c9 00 01 00 00 00 02", RtcpParseError.BadPadding)] // padding not last
    [InlineData("a0 c9 00 01 00 00 00 00", RtcpParseError.BadPadding)] // padding count 0
    [InlineData("80 c9 00 01 00 00 00 01 80", RtcpParseError.TooShort)] // trailing garbage
    public void Validation_rejects_malformed_compounds(string hex, RtcpParseError expected)
    {
        Assert.Equal(expected, RtcpCompoundReader.Validate(Hex.Bytes(hex)));
    }

    [Fact]
    public void Count_larger_than_the_body_is_rejected_by_the_typed_parsers()
    {
        var reader = new RtcpCompoundReader(Hex.Bytes("83 c9 00 01 00 00 00 01"));
        Assert.True(reader.MoveNext());
        Assert.False(ReceiverReportView.TryParse(reader.Current, out _, out var error));
        Assert.Equal(RtcpParseError.BodyTooShort, error);
        Assert.False(SenderReportView.TryParse(reader.Current, out _, out _));
    }

    [Fact]
    public void Sdes_item_running_past_the_packet_is_reported()
    {
        var reader = new RtcpCompoundReader(Hex.Bytes("81 ca 00 02 00 00 00 01 01 09 61 62"));
        Assert.True(reader.MoveNext());
        var sdes = new SdesReader(reader.Current);
        Assert.False(sdes.MoveNext());
        Assert.Equal(RtcpParseError.BadSdes, sdes.Error);
    }

    [Fact]
    public void Receiver_compound_from_statistics_is_a_valid_rr_plus_cname()
    {
        var stats = new WebRtcAsr.Media.Rtp.RtpReceiveStatistics(8000, minSequential: 0);
        for (ushort s = 1; s <= 50; s++)
        {
            if (s != 10)
            {
                stats.Update(s, s * 160u, 0xABCD, s * 20_000L);
            }
        }

        stats.OnSenderReport(NtpTime.FromUnixMicros(1_700_000_000_000_000), arrivalMicros: 900_000);
        var buffer = new byte[128];
        int n = ReceiverReportBuilder.WriteCompound(buffer, 0x1111, "asr@host"u8, stats, nowMicros: 1_000_000);
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(buffer.AsSpan(0, n)));

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, n));
        Assert.True(reader.MoveNext());
        Assert.True(ReceiverReportView.TryParse(reader.Current, out var rr, out _));
        var block = rr.GetReport(0);
        Assert.Equal(0xABCDu, block.Ssrc);
        Assert.Equal(1, block.CumulativeLost);
        Assert.Equal((byte)(256 / 50), block.FractionLost);
        Assert.Equal(50u, block.ExtendedHighestSequence);
        Assert.Equal(6553u, block.DelaySinceLastSenderReport); // 100 ms in 1/65536 s
        Assert.True(reader.MoveNext());
        var sdes = new SdesReader(reader.Current);
        Assert.True(sdes.MoveNext());
        Assert.Equal("asr@host", Encoding.UTF8.GetString(sdes.Text));
        Assert.Equal(0, ReceiverReportBuilder.WriteCompound(new byte[20], 1, "x"u8, stats, 0));
    }

    [Fact]
    public void Ntp_time_from_unix_micros()
    {
        ulong ntp = NtpTime.FromUnixMicros(1_500_000);
        Assert.Equal((ulong)NtpTime.UnixEpochOffsetSeconds + 1, ntp >> 32);
        Assert.Equal(0x80000000ul, ntp & 0xFFFFFFFF);
        Assert.Equal((uint)((ntp >> 16) & 0xFFFFFFFF), NtpTime.Middle32(ntp));
    }

    [Fact]
    public void Mutated_compounds_never_crash_the_parsers()
    {
        var random = new Random(99);
        var valid = SrSdesCompound;
        var buffer = new byte[valid.Length];
        for (int i = 0; i < 20000; i++)
        {
            valid.CopyTo(buffer, 0);
            int n = random.Next(0, buffer.Length + 1);
            for (int f = random.Next(1, 4); f > 0 && n > 0; f--)
            {
                buffer[random.Next(n)] = (byte)random.Next(256);
            }

            var datagram = buffer.AsSpan(0, n);
            RtcpCompoundReader.Validate(datagram);
            var reader = new RtcpCompoundReader(datagram);
            while (reader.MoveNext())
            {
                var packet = reader.Current;
                if (SenderReportView.TryParse(packet, out var sr, out _))
                {
                    for (int r = 0; r < sr.ReportCount; r++)
                    {
                        sr.GetReport(r);
                    }
                }

                if (ReceiverReportView.TryParse(packet, out var rr, out _))
                {
                    for (int r = 0; r < rr.ReportCount; r++)
                    {
                        rr.GetReport(r);
                    }
                }

                var sdes = new SdesReader(packet);
                while (sdes.MoveNext())
                {
                }

                if (ByeView.TryParse(packet, out var bye, out _))
                {
                    for (int s = 0; s < bye.SourceCount; s++)
                    {
                        bye.GetSource(s);
                    }
                }
            }
        }
    }
}
