using System.Buffers.Binary;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

public class ChunkCodecTests
{
    // An INIT as usrsctp (Chrome) sends it, captured by Wireshark and published in dcsctp's and
    // webrtc-rs's test suites: tag 0x0EDDCA08, a_rwnd 131072, 1000/1000 streams, TSN 0x55083637,
    // ECN + Forward-TSN-Supported + Supported Extensions (FORWARD-TSN, AUTH, ASCONF, ASCONF-ACK,
    // RE-CONFIG) + AUTH parameters; the checksum is the sender's.
    private static readonly byte[] ChromeInit =
    [
        0x13, 0x88, 0x13, 0x88, 0x00, 0x00, 0x00, 0x00, 0xaa, 0x01, 0x9d, 0x33,
        0x01, 0x00, 0x00, 0x5a, 0x0e, 0xdd, 0xca, 0x08, 0x00, 0x02, 0x00, 0x00,
        0x03, 0xe8, 0x03, 0xe8, 0x55, 0x08, 0x36, 0x37, 0x80, 0x00, 0x00, 0x04,
        0xc0, 0x00, 0x00, 0x04, 0x80, 0x08, 0x00, 0x09, 0xc0, 0x0f, 0xc1, 0x80,
        0x82, 0x00, 0x00, 0x00, 0x80, 0x02, 0x00, 0x24, 0xc5, 0xa8, 0x61, 0x55,
        0x09, 0x0e, 0x6f, 0x42, 0x00, 0x50, 0x63, 0x4c, 0xc8, 0xd6, 0xb9, 0x08,
        0xdf, 0xd5, 0x3e, 0x17, 0xc9, 0x9c, 0xb1, 0x43, 0x28, 0x4e, 0xaf, 0x64,
        0x68, 0x2a, 0xc2, 0x97, 0x80, 0x04, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00,
        0x80, 0x03, 0x00, 0x06, 0x80, 0xc1, 0x00, 0x00,
    ];

    // A DATA packet built by scapy (an independent SCTP encoder): ports 49152 -> 5000, tag
    // 0xDEADBEEF, DATA B|E, TSN 1, stream 0, SSN 0, PPID 53, payload "hi", padded.
    private static readonly byte[] ScapyData =
    [
        0xc0, 0x00, 0x13, 0x88, 0xde, 0xad, 0xbe, 0xef, 0x94, 0x0b, 0x27, 0x86,
        0x00, 0x03, 0x00, 0x12, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x35, 0x68, 0x69, 0x00, 0x00,
    ];

    [Fact]
    public void Chrome_init_parses_with_its_own_checksum()
    {
        Assert.True(SctpPacket.TryReadHeader(ChromeInit, out ushort src, out ushort dst, out uint tag, out string? error), error);
        Assert.Equal((5000, 5000, 0u), (src, dst, tag));
        var reader = new SctpChunkReader(ChromeInit);
        Assert.True(reader.TryRead(out var chunk));
        Assert.Equal((byte)SctpChunkType.Init, chunk.Type);
        Assert.True(InitChunk.TryParse(chunk.Value, out var init, out error), error);
        Assert.Equal(0x0EDDCA08u, init.InitiateTag);
        Assert.Equal(131072u, init.AdvertisedReceiverWindow);
        Assert.Equal(1000, init.OutboundStreams);
        Assert.Equal(1000, init.InboundStreams);
        Assert.Equal(0x55083637u, init.InitialTsn);
        Assert.True(init.ForwardTsnSupported);
        Assert.True(init.ReconfigSupported);
        Assert.True(init.ParametersToReport.IsEmpty); // all unknown ones have the "skip silently" bits
        Assert.False(reader.TryRead(out _));
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Scapy_data_parses_with_its_own_checksum()
    {
        Assert.True(SctpPacket.TryReadHeader(ScapyData, out ushort src, out _, out uint tag, out _));
        Assert.Equal(49152, src);
        Assert.Equal(0xDEADBEEFu, tag);
        var reader = new SctpChunkReader(ScapyData);
        Assert.True(reader.TryRead(out var chunk));
        Assert.True(DataChunk.TryParse(chunk.Flags, chunk.Value, out var data, out _));
        Assert.Equal((1u, (ushort)0, (ushort)0, 53u), (data.Tsn, data.StreamId, data.Ssn, data.Ppid));
        Assert.True(data.Beginning && data.Ending && !data.Unordered);
        Assert.Equal("hi"u8.ToArray(), data.UserData.ToArray());
    }

    [Fact]
    public void Any_flipped_bit_fails_the_checksum()
    {
        for (int bit = 0; bit < ChromeInit.Length * 8; bit += 7)
        {
            var copy = (byte[])ChromeInit.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SctpPacket.HasValidChecksum(copy));
        }
    }

    // RFC 9260 §3.3.4 SACK layout: cum TSN, a_rwnd, #gaps, #dups, gap (start,end) pairs, dup TSNs.
    [Fact]
    public void Sack_layout_from_the_rfc_figure()
    {
        byte[] value =
        [
            0x00, 0x00, 0x10, 0x00, // cumulative TSN ack 4096
            0x00, 0x01, 0x00, 0x00, // a_rwnd 65536
            0x00, 0x02, 0x00, 0x01, // 2 gap blocks, 1 duplicate
            0x00, 0x02, 0x00, 0x03, // gap 1: 4098..4099
            0x00, 0x05, 0x00, 0x05, // gap 2: 4101
            0x00, 0x00, 0x0f, 0xff, // duplicate 4095
        ];
        Assert.True(SackChunk.TryParse(value, out var sack, out _));
        Assert.Equal(4096u, sack.CumulativeTsnAck);
        Assert.Equal(65536u, sack.AdvertisedReceiverWindow);
        Assert.Equal(((ushort)2, (ushort)3), sack.GapBlock(0));
        Assert.Equal(((ushort)5, (ushort)5), sack.GapBlock(1));
        Assert.Equal(4095u, sack.DuplicateTsn(0));
        Assert.False(SackChunk.TryParse(value.AsSpan(0, 20), out _, out string? error));
        Assert.NotNull(error);
    }

    // RFC 3758 §3.2 FORWARD-TSN: new cumulative TSN then stream/SSN pairs.
    [Fact]
    public void Forward_tsn_layout()
    {
        byte[] value = [0x00, 0x00, 0x00, 0x64, 0x00, 0x03, 0x00, 0x07];
        Assert.True(ForwardTsnChunk.TryParse(value, out var forward, out _));
        Assert.Equal(100u, forward.NewCumulativeTsn);
        Assert.Equal(1, forward.StreamCount);
        Assert.Equal(((ushort)3, (ushort)7), forward.Stream(0));
        Assert.False(ForwardTsnChunk.TryParse(value.AsSpan(0, 6), out _, out _));
    }

    [Fact]
    public void Written_init_is_byte_exact_to_the_rfc_layout()
    {
        var buffer = new byte[128];
        var writer = new SctpPacketWriter(buffer, 5000, 5000, 0);
        InitChunk.Write(ref writer, SctpChunkType.Init, 0x01020304, 0x00100000, 1024, 1024, 0x0A0B0C0D, default, default);
        int length = writer.Finish();
        byte[] expectedChunk =
        [
            0x01, 0x00, 0x00, 0x20, // INIT, flags 0, length 32
            0x01, 0x02, 0x03, 0x04, // initiate tag
            0x00, 0x10, 0x00, 0x00, // a_rwnd
            0x04, 0x00, 0x04, 0x00, // OS, MIS
            0x0a, 0x0b, 0x0c, 0x0d, // initial TSN
            0x80, 0x08, 0x00, 0x06, 0x82, 0xc0, 0x00, 0x00, // Supported Extensions: RE-CONFIG, FORWARD-TSN, padding
            0xc0, 0x00, 0x00, 0x04, // Forward-TSN-Supported
        ];
        Assert.Equal(12 + expectedChunk.Length, length);
        Assert.Equal(expectedChunk, buffer.AsSpan(12, expectedChunk.Length).ToArray());
        Assert.Equal(new byte[] { 0x13, 0x88, 0x13, 0x88, 0, 0, 0, 0 }, buffer.AsSpan(0, 8).ToArray());
        Assert.True(SctpPacket.HasValidChecksum(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Written_data_chunk_round_trips()
    {
        var buffer = new byte[64];
        var writer = new SctpPacketWriter(buffer, 5000, 5000, 0x11223344);
        DataChunk.Write(ref writer, 0xFFFFFFFF, 9, 65535, 51, beginning: true, ending: false, unordered: true, "abcde"u8);
        int length = writer.Finish();
        Assert.Equal(12 + 16 + 8, length); // 5 bytes of data padded to 8
        Assert.Equal(new byte[] { 0x00, 0x06, 0x00, 0x15 }, buffer.AsSpan(12, 4).ToArray()); // type 0, U|B, length 21
        var reader = new SctpChunkReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryRead(out var chunk));
        Assert.True(DataChunk.TryParse(chunk.Flags, chunk.Value, out var data, out _));
        Assert.Equal(0xFFFFFFFFu, data.Tsn);
        Assert.Equal((ushort)65535, data.Ssn);
        Assert.True(data.Unordered && data.Beginning && !data.Ending);
        Assert.Equal("abcde"u8.ToArray(), data.UserData.ToArray());
    }

    [Fact]
    public void Hostile_lengths_are_reported_not_thrown()
    {
        var packet = (byte[])ScapyData.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 0xFFFF); // chunk claims 65535 bytes
        var reader = new SctpChunkReader(packet);
        Assert.False(reader.TryRead(out _));
        Assert.NotNull(reader.Error);

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 2); // shorter than its own header
        reader = new SctpChunkReader(packet);
        Assert.False(reader.TryRead(out _));
        Assert.NotNull(reader.Error);

        Assert.False(SctpPacket.TryReadHeader(packet.AsSpan(0, 10), out _, out _, out _, out string? error));
        Assert.NotNull(error);
        Assert.False(DataChunk.TryParse(3, new byte[12], out _, out error)); // DATA without user data
        Assert.Equal("DATA without user data", error);
        Assert.False(InitChunk.TryParse(new byte[15], out _, out _));
        byte[] badParameter = [.. new byte[16], 0x00, 0x07, 0x00, 0x40]; // cookie claims 64 bytes
        Assert.False(InitChunk.TryParse(badParameter, out _, out _));
    }

    [Fact]
    public void Unknown_init_parameters_with_report_bit_are_collected()
    {
        byte[] value =
        [
            .. new byte[] { 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 1, 0, 1, 0, 0, 0, 1 },
            0x40, 0x55, 0x00, 0x05, 0xAA, 0x00, 0x00, 0x00, // type 0x4055: stop and report
            0xc0, 0x00, 0x00, 0x04, // never reached
        ];
        Assert.True(InitChunk.TryParse(value, out var init, out _));
        Assert.Equal(new byte[] { 0x40, 0x55, 0x00, 0x05, 0xAA, 0, 0, 0 }, init.ParametersToReport.ToArray());
        Assert.False(init.ForwardTsnSupported);
    }
}
