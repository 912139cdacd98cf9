using WebRtcAsr.Rtc.DataChannels;

namespace WebRtcAsr.Rtc.Tests.DataChannels;

public class DcepMessageTests
{
    // DATA_CHANNEL_OPEN as Chrome writes it for createDataChannel("captions") with default
    // (reliable, ordered) settings: libwebrtc's WriteDataChannelOpenMessage puts channel type 0x00,
    // priority 0, reliability 0, label length 8, protocol length 0 (RFC 8832 §5.1 layout).
    private static readonly byte[] ChromeCaptionsOpen =
    [
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,
        (byte)'c', (byte)'a', (byte)'p', (byte)'t', (byte)'i', (byte)'o', (byte)'n', (byte)'s',
    ];

    [Fact]
    public void Chrome_captions_open_parses()
    {
        Assert.True(DataChannelOpen.TryParse(ChromeCaptionsOpen, out var open, out string? error), error);
        Assert.Equal("captions", open!.Label);
        Assert.Equal(string.Empty, open.Protocol);
        Assert.Equal(DataChannelType.Reliable, open.ChannelType);
        Assert.True(open.Ordered);
        Assert.Null(open.MaxRetransmits);
        Assert.Null(open.MaxPacketLifeTimeMs);
        Assert.Equal(ChromeCaptionsOpen, open.ToArray());
    }

    [Fact]
    public void Partial_reliability_types_carry_their_parameter()
    {
        var open = new DataChannelOpen(DataChannelOpen.TypeFor(false, 3, null), 256, 3, "ctl", "json");
        var bytes = open.ToArray();
        Assert.Equal(new byte[] { 0x03, 0x81, 0x01, 0x00, 0, 0, 0, 3, 0, 3, 0, 4 }, bytes[..12]);
        Assert.True(DataChannelOpen.TryParse(bytes, out var parsed, out _));
        Assert.Equal(open, parsed);
        Assert.False(parsed!.Ordered);
        Assert.Equal(3, parsed.MaxRetransmits);

        var timed = new DataChannelOpen(DataChannelOpen.TypeFor(true, null, 500), 0, 500, "t", "");
        Assert.True(DataChannelOpen.TryParse(timed.ToArray(), out parsed, out _));
        Assert.Equal(DataChannelType.PartialReliableTimed, parsed!.ChannelType);
        Assert.Equal(500, parsed.MaxPacketLifeTimeMs);
    }

    [Fact]
    public void Malformed_open_messages_are_refused_with_a_reason()
    {
        Assert.False(DataChannelOpen.TryParse(ChromeCaptionsOpen.AsSpan(0, 11), out _, out string? error));
        Assert.Equal("not a DATA_CHANNEL_OPEN", error);

        var lying = (byte[])ChromeCaptionsOpen.Clone();
        lying[9] = 0x20; // label length 32 in a 20-byte message
        Assert.False(DataChannelOpen.TryParse(lying, out _, out error));
        Assert.Equal("label and protocol lengths do not match the message", error);

        var badType = (byte[])ChromeCaptionsOpen.Clone();
        badType[1] = 0x03;
        Assert.False(DataChannelOpen.TryParse(badType, out _, out error));
        Assert.Equal("unknown channel type 0x03", error);

        var badUtf8 = (byte[])ChromeCaptionsOpen.Clone();
        badUtf8[12] = 0xFF;
        Assert.False(DataChannelOpen.TryParse(badUtf8, out _, out error));
        Assert.Equal("label or protocol is not UTF-8", error);
    }

    [Fact]
    public void Mutated_open_messages_never_throw()
    {
        var random = new Random(99);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var message = (byte[])ChromeCaptionsOpen.Clone();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                message[random.Next(message.Length)] = (byte)random.Next(256);
            }

            message = message[..random.Next(message.Length + 1)];
            if (DataChannelOpen.TryParse(message, out var open, out string? error))
            {
                parsed++;
                Assert.Equal(message.Length, open!.ToArray().Length);
            }
            else
            {
                Assert.NotNull(error);
            }
        }

        Assert.InRange(parsed, 1, 19_999);
    }
}
