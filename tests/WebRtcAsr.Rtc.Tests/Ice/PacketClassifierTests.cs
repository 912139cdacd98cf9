using WebRtcAsr.Rtc.Common;

namespace WebRtcAsr.Rtc.Tests.Ice;

public class PacketClassifierTests
{
    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 }, PacketKind.Stun)]
    [InlineData(new byte[] { 0x03, 0x00 }, PacketKind.Stun)]
    [InlineData(new byte[] { 16, 0 }, PacketKind.Unknown)]          // ZRTP
    [InlineData(new byte[] { 20, 0xfe }, PacketKind.Dtls)]          // ChangeCipherSpec
    [InlineData(new byte[] { 22, 0xfe }, PacketKind.Dtls)]          // Handshake
    [InlineData(new byte[] { 63, 0 }, PacketKind.Dtls)]
    [InlineData(new byte[] { 64, 0 }, PacketKind.Unknown)]          // TURN channel
    [InlineData(new byte[] { 0x80, 111 }, PacketKind.Rtp)]          // Opus
    [InlineData(new byte[] { 0x80, 0x80 | 111 }, PacketKind.Rtp)]   // Opus with marker
    [InlineData(new byte[] { 0x80, 0x80 | 96 }, PacketKind.Rtp)]    // 224: just past the RTCP range
    [InlineData(new byte[] { 0x81, 200 }, PacketKind.Rtcp)]         // SR
    [InlineData(new byte[] { 0x81, 201 }, PacketKind.Rtcp)]         // RR
    [InlineData(new byte[] { 0x8f, 206 }, PacketKind.Rtcp)]         // PSFB
    [InlineData(new byte[] { 0x80, 192 }, PacketKind.Rtcp)]
    [InlineData(new byte[] { 0x80, 223 }, PacketKind.Rtcp)]
    [InlineData(new byte[] { 0x80 }, PacketKind.Unknown)]
    [InlineData(new byte[] { 200, 0 }, PacketKind.Unknown)]
    [InlineData(new byte[] { }, PacketKind.Unknown)]
    public void First_byte_ranges_follow_rfc_7983(byte[] datagram, PacketKind expected)
    {
        Assert.Equal(expected, PacketClassifier.Classify(datagram));
    }
}
