using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

public class DtlsDemultiplexingTests
{
    [Theory]
    [InlineData(new byte[] { 22, 0xFE, 0xFD }, true)] // handshake
    [InlineData(new byte[] { 23 }, true)] // application data
    [InlineData(new byte[] { 20 }, true)]
    [InlineData(new byte[] { 63 }, true)]
    [InlineData(new byte[] { 0, 1 }, false)] // STUN binding request
    [InlineData(new byte[] { 0x80, 0x6F }, false)] // RTP
    [InlineData(new byte[] { 64 }, false)]
    [InlineData(new byte[] { }, false)]
    public void Dtls_is_recognised_by_its_first_byte_as_rfc7983_says(byte[] datagram, bool isDtls) =>
        Assert.Equal(isDtls, DtlsEndpoint.LooksLikeDtls(datagram));
}
