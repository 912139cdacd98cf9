using System.Text;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

public class Crc32cTests
{
    // RFC 3720 Appendix B.4 test vectors (iSCSI uses the same CRC-32C as SCTP).
    [Fact]
    public void Rfc3720_vectors()
    {
        Assert.Equal(0x8A9136AAu, Crc32c.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32c.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32c.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32c.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void Check_value_of_123456789()
    {
        Assert.Equal(0xE3069283u, Crc32c.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32c.Compute([]));
    }

    [Fact]
    public void Hardware_path_matches_table_path_on_every_length()
    {
        var random = new Random(7);
        var data = new byte[300];
        random.NextBytes(data);
        for (int length = 0; length <= data.Length; length++)
        {
            Assert.Equal(Crc32c.ComputeWithTable(data.AsSpan(0, length)), Crc32c.Compute(data.AsSpan(0, length)));
        }
    }
}
