using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using WebRtcAsr.Media.Rtp;
using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Benchmarks.Rtc;

/// <summary>
/// SRTP per packet for a 20 ms Opus packet as Chromium sends it (12-byte header, one-byte
/// audio-level extension, 160 bytes of payload: 64 kb/s): protect, and unprotect with its RTP parse
/// (what the server does to every audio packet: SRTP's header read, then the media path's
/// <see cref="RtpPacketView"/> with its audio-level element), for AES-CM-HMAC-SHA1-80 and AES-128-GCM.
/// Packets run in batches through a sender and a receiver context, so sequence numbers advance
/// (and wrap, exercising the rollover estimate) and the replay window sees a real stream; only the
/// measured loop is inside the stopwatch and the allocation counter.
/// </summary>
internal static class SrtpPacketMeasurement
{
    private const int Batch = 4096;
    private const int Rounds = 5;
    private const int AudioLevelId = 1;
    private const int PayloadBytes = 160;
    private const double TargetMicros = 2.0;

    public static void Run(int packets)
    {
        int perRound = Math.Max(Batch, packets / Rounds);
        Console.WriteLine($"SRTP per 20 ms Opus packet ({12 + 8 + PayloadBytes} bytes of RTP), {Rounds} rounds of {perRound:N0} packets per row, one thread; " +
            "ns: best round (median round), bytes: all rounds");
        Console.WriteLine("| profile             | operation                    | ns/packet best (median) | B/packet | B total | target                  |");
        Console.WriteLine("|---------------------|------------------------------|-------------------------|----------|---------|-------------------------|");
        foreach (var profile in new[] { SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm })
        {
            Measure(profile, Math.Min(perRound, 100_000)); // warm-up: cipher state, caches
            var unprotect = new List<double>();
            var protect = new List<double>();
            long unprotectBytes = 0, protectBytes = 0;
            for (int round = 0; round < Rounds; round++)
            {
                var result = Measure(profile, perRound);
                unprotect.Add(result.UnprotectNanos);
                protect.Add(result.ProtectNanos);
                unprotectBytes += result.UnprotectBytes;
                protectBytes += result.ProtectBytes;
            }

            Row(profile, "unprotect + RTP parse", unprotect, unprotectBytes, perRound * Rounds, true);
            Row(profile, "protect", protect, protectBytes, perRound * Rounds, false);
        }
    }

    private static void Row(SrtpProfile profile, string operation, List<double> nanos, long bytes, long packets, bool hasTarget)
    {
        nanos.Sort();
        double best = nanos[0];
        double median = nanos[nanos.Count / 2];
        string target = hasTarget
            ? $"< {TargetMicros * 1000:F0} ns, 0 B: {(best < TargetMicros * 1000 && bytes == 0 ? "met" : "MISSED")}"
            : "(for completeness)";
        string time = $"{best:F0} ({median:F0})";
        Console.WriteLine($"| {profile,-19} | {operation,-28} | {time,23} | {bytes / (double)packets,8:F3} | {bytes,7} | {target,-23} |");
    }

    // Optimized at once: no tier-0 code with on-stack replacement in the measured loop, whose
    // transitions the allocation counter would otherwise see (it reads 0 with tiering off).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double UnprotectNanos, long UnprotectBytes, double ProtectNanos, long ProtectBytes) Measure(SrtpProfile profile, int packets)
    {
        var parameters = SrtpProfileParameters.Of(profile);
        var key = new byte[parameters.KeyLength];
        var salt = new byte[parameters.SaltLength];
        new Random(7).NextBytes(key);
        new Random(8).NextBytes(salt);
        using var sender = new SrtpContext(profile, key, salt);
        using var receiver = new SrtpContext(profile, key, salt);

        byte[] plain = OpusPacket();
        int capacity = plain.Length + sender.RtpOverhead;
        var batch = new byte[Batch][];
        for (int i = 0; i < Batch; i++)
        {
            batch[i] = new byte[capacity];
        }

        var scratch = new byte[capacity];
        long protectTicks = 0, unprotectTicks = 0, protectBytes = 0, unprotectBytes = 0, payloadSum = 0;
        int done = -Batch; // the first batch is unmeasured: each context's stream state is created on its first packet
        ushort sequence = 0;
        uint timestamp = 0;
        int srtpLength = 0;
        while (done < packets)
        {
            bool measured = done >= 0;
            int count = measured ? Math.Min(Batch, packets - done) : Batch;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                var buffer = batch[i];
                plain.CopyTo(buffer, 0);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence++);
                BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), timestamp += 960);
                if (sender.ProtectRtp(buffer, plain.Length, out srtpLength) != SrtpStatus.Ok)
                {
                    throw new InvalidOperationException("protect failed");
                }
            }

            if (measured)
            {
                protectTicks += Stopwatch.GetTimestamp() - started;
                protectBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread();
            started = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                // A copy first, as the peer does (the socket buffer is reused): part of the real cost.
                var packet = scratch.AsSpan(0, srtpLength);
                batch[i].AsSpan(0, srtpLength).CopyTo(packet);
                if (receiver.UnprotectRtp(packet, out int rtpLength) != SrtpStatus.Ok
                    || !RtpPacketView.TryParse(packet[..rtpLength], out var view, out _)
                    || !AudioLevel.TryRead(view, AudioLevelId, out var level))
                {
                    throw new InvalidOperationException("unprotect or parse failed");
                }

                payloadSum += measured ? view.Payload.Length + view.PayloadType + level.LevelMinusDbov : 0;
            }

            if (measured)
            {
                unprotectTicks += Stopwatch.GetTimestamp() - started;
                unprotectBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
            done += count;
        }

        if (payloadSum != (long)packets * (PayloadBytes + 111 + 40))
        {
            throw new InvalidOperationException("unprotected packets do not match");
        }

        double nanosPerTick = 1e9 / Stopwatch.Frequency;
        return (unprotectTicks * nanosPerTick / packets, unprotectBytes, protectTicks * nanosPerTick / packets, protectBytes);
    }

    /// <summary>Version 2, extension bit, PT 111 (Opus), a fixed SSRC; RFC 8285 one-byte audio level; random payload.</summary>
    private static byte[] OpusPacket()
    {
        var packet = new byte[12 + 8 + PayloadBytes];
        packet[0] = 0x90;
        packet[1] = 111;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234_5678);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(12), 0xBEDE);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 1);
        packet[16] = 0x10; // id 1, length 1
        packet[17] = 0x80 | 40; // voice, -40 dBov
        new Random(9).NextBytes(packet.AsSpan(20));
        return packet;
    }
}
