using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>The RFC 4733 §2.3 payload (figure 1) and the §3.2 DTMF event table.</summary>
public class TelephoneEventTests
{
    [Fact]
    public void Parses_the_figure_1_layout_event_end_reserved_volume_duration()
    {
        // Event 9, E=1, R=1 (must be ignored by receivers), volume 10 (−10 dBm0), duration 1600 (200 ms at 8 kHz).
        Assert.True(TelephoneEvent.TryParse([0x09, 0xCA, 0x06, 0x40], out var value, out var error), error);
        Assert.Equal(new TelephoneEvent(9, true, 10, 1600), value);
        Assert.Equal('9', value.Key);
        Assert.True(value.IsDtmf);
    }

    [Fact]
    public void Writes_the_reserved_bit_as_zero_and_round_trips()
    {
        Span<byte> bytes = stackalloc byte[4];
        Assert.Equal(4, new TelephoneEvent(11, true, 63, 0xFFFF).WriteTo(bytes));
        Assert.Equal([0x0B, 0xBF, 0xFF, 0xFF], bytes.ToArray());
        Assert.True(TelephoneEvent.TryParse(bytes, out var back, out _));
        Assert.Equal(new TelephoneEvent(11, true, 63, 0xFFFF), back);
        Assert.Equal(0, back.WriteTo(stackalloc byte[3]));
    }

    [Theory]
    [InlineData(0, '0')]
    [InlineData(9, '9')]
    [InlineData(10, '*')]
    [InlineData(11, '#')]
    [InlineData(12, 'A')]
    [InlineData(15, 'D')]
    [InlineData(16, '\0')] // flash (RFC 4734), not a key
    [InlineData(255, '\0')]
    public void Maps_event_codes_to_keys_per_table_7(int code, char key) => Assert.Equal(key, TelephoneEvent.ToKey(code));

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x01, 0x80, 0x00 })]
    public void Refuses_short_payloads(byte[] payload)
    {
        Assert.False(TelephoneEvent.TryParse(payload, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Reads_the_first_block_of_a_multi_event_payload()
    {
        Assert.True(TelephoneEvent.TryParse([0x01, 0x0A, 0x03, 0x20, 0x02, 0x8A, 0x01, 0x90], out var value, out _));
        Assert.Equal(new TelephoneEvent(1, false, 10, 800), value);
    }
}
