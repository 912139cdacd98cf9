using System.Diagnostics;
using WebRtcAsr.Rtc.Srtp;
using Xunit.Abstractions;

namespace WebRtcAsr.Rtc.Tests.Srtp;

/// <summary>
/// Unprotect + RTP header parse of a 100-byte Opus payload: asserts zero allocations and prints the
/// time per packet (speed is reported, not asserted).
/// </summary>
public class SrtpPerformanceTests(ITestOutputHelper output)
{
    private const int Packets = 20000;

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Unprotect_allocates_nothing_per_packet(SrtpProfile profile)
    {
        var p = SrtpProfileParameters.Of(profile);
        byte[] key = Enumerable.Range(1, p.KeyLength).Select(i => (byte)i).ToArray();
        byte[] salt = Enumerable.Range(100, p.SaltLength).Select(i => (byte)i).ToArray();
        using var sender = new SrtpContext(profile, key, salt);
        using var receiver = new SrtpContext(profile, key, salt);

        int size = 12 + 100 + sender.RtpOverhead;
        var all = new byte[Packets * size];
        for (int i = 0; i < Packets; i++)
        {
            byte[] rtp = SrtpPackets.Rtp((ushort)(60000 + i), payloadLength: 100);
            Span<byte> slot = all.AsSpan(i * size, size);
            rtp.CopyTo(slot);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(slot, rtp.Length, out _));
        }

        // Warm-up (JIT, first-SSRC state) on the first 1000 packets.
        long payloadBytes = 0;
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(all.AsSpan(i * size, size), out _, out int n));
            payloadBytes += n;
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        int failures = 0;
        for (int i = 1000; i < Packets; i++)
        {
            if (receiver.UnprotectRtp(all.AsSpan(i * size, size), out var header, out int n) != SrtpStatus.Ok || header.PayloadType != 111)
            {
                failures++;
            }

            payloadBytes += n;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        double nsPerPacket = elapsed.TotalNanoseconds / (Packets - 1000);
        output.WriteLine($"{profile}: {nsPerPacket:F0} ns and {(double)allocated / (Packets - 1000):F2} bytes allocated per unprotect+parse of a 100-byte Opus payload");
        Assert.Equal(0, failures);
        Assert.Equal(100L * Packets, payloadBytes);
        Assert.Equal(0, allocated);
    }
}
