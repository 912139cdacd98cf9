using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.Tests.Srtp;

public class SrtpContextTests
{
    private static readonly byte[] MasterKey128 = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterKey256 = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] Salt14 = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");

    public static TheoryData<SrtpProfile> Profiles =>
        [SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AesCm128HmacSha1_32, SrtpProfile.AeadAes128Gcm, SrtpProfile.AeadAes256Gcm];

    private static (SrtpContext Sender, SrtpContext Receiver) Pair(SrtpProfile profile, SrtpContextOptions? options = null)
    {
        var p = SrtpProfileParameters.Of(profile);
        byte[] key = p.KeyLength == 32 ? MasterKey256 : MasterKey128;
        byte[] salt = Salt14[..p.SaltLength];
        return (new SrtpContext(profile, key, salt, options), new SrtpContext(profile, key, salt, options));
    }

    private static byte[] Protect(SrtpContext sender, byte[] rtp)
    {
        byte[] buffer = SrtpPackets.WithRoom(rtp, sender.RtpOverhead);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, rtp.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtp_round_trips_and_the_payload_is_encrypted(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            foreach (bool extension in new[] { false, true })
            {
                byte[] rtp = SrtpPackets.Rtp(1000, audioLevelExtension: extension);
                byte[] srtp = Protect(sender, rtp);
                Assert.Equal(rtp.AsSpan(0, extension ? 20 : 12).ToArray(), srtp.AsSpan(0, extension ? 20 : 12).ToArray());
                Assert.NotEqual(rtp.AsSpan(20).ToArray(), srtp.AsSpan(20, rtp.Length - 20).ToArray());

                Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(srtp, out var header, out int payloadLength));
                Assert.Equal(rtp.Length - header.HeaderLength, payloadLength);
                Assert.Equal(rtp, srtp.AsSpan(0, rtp.Length).ToArray());
                rtp = SrtpPackets.Rtp(1001);
                srtp = Protect(sender, rtp);
                Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(srtp, out int rtpLength));
                Assert.Equal(rtp, srtp.AsSpan(0, rtpLength).ToArray());
                sender.RemoveStream(0x11223344);
                receiver.RemoveStream(0x11223344);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rollover_counter_follows_the_sequence_number_across_the_wrap(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            ushort seq = 65520;
            for (int i = 0; i < 40; i++, seq++)
            {
                byte[] rtp = SrtpPackets.Rtp(seq);
                byte[] srtp = Protect(sender, rtp);
                Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(srtp, out int length));
                Assert.Equal(rtp, srtp.AsSpan(0, length).ToArray());
            }

            // Highest index is now 2^16 + 23. A late, never-seen packet from before the wrap
            // (59 behind) authenticates under ROC 0; one 69 behind is outside the window.
            var (lateSender, _) = Pair(profile);
            using (lateSender)
            {
                byte[] inside = Protect(lateSender, SrtpPackets.Rtp(65500));
                byte[] outside = Protect(lateSender, SrtpPackets.Rtp(65490));
                Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(inside, out int length));
                Assert.Equal(SrtpPackets.Rtp(65500), inside.AsSpan(0, length).ToArray());
                Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(outside, out _));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Reordered_packet_across_the_wrap_uses_the_previous_rollover_counter(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] beforeWrap = Protect(sender, SrtpPackets.Rtp(65535));
            byte[] afterWrap = Protect(sender, SrtpPackets.Rtp(0));
            byte[] first = Protect(sender, SrtpPackets.Rtp(1));
            // The receiver saw 65534 first (to start), then the post-wrap packets, then the late one.
            var (starter, _) = Pair(profile);
            using (starter)
            {
                Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(Protect(starter, SrtpPackets.Rtp(65534)), out _));
            }

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(afterWrap, out _));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(first, out _));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(beforeWrap, out int length));
            Assert.Equal(SrtpPackets.Rtp(65535), beforeWrap.AsSpan(0, length).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_replayed_packet_is_refused(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] srtp = Protect(sender, SrtpPackets.Rtp(7));
            byte[] copy = (byte[])srtp.Clone();
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(srtp, out _));
            Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(copy, out _));
        }
    }

    [Fact]
    public void Packets_older_than_the_window_are_refused_and_newer_reordered_ones_accepted()
    {
        var (sender, receiver) = Pair(SrtpProfile.AesCm128HmacSha1_80);
        using (sender)
        using (receiver)
        {
            var packets = new List<byte[]>();
            for (ushort seq = 100; seq < 200; seq++)
            {
                packets.Add(Protect(sender, SrtpPackets.Rtp(seq)));
            }

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[99], out _)); // seq 199
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[99 - 63], out _)); // 63 behind: inside
            Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(packets[99 - 64], out _)); // 64 behind: outside
        }
    }

    [Fact]
    public void Replay_window_size_is_configurable()
    {
        var options = new SrtpContextOptions { ReplayWindowSize = 256 };
        var (sender, receiver) = Pair(SrtpProfile.AesCm128HmacSha1_80, options);
        using (sender)
        using (receiver)
        {
            var packets = new List<byte[]>();
            for (ushort seq = 0; seq < 300; seq++)
            {
                packets.Add(Protect(sender, SrtpPackets.Rtp(seq)));
            }

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[299], out _));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[299 - 200], out _));
            Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(packets[299 - 256], out _));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new SrtpReplayWindow(100));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Any_flipped_bit_fails_authentication(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] srtp = Protect(sender, SrtpPackets.Rtp(5));
            for (int i = 0; i < srtp.Length; i++)
            {
                if (i == 0)
                {
                    continue; // the version bits make it a malformed header instead
                }

                byte[] tampered = (byte[])srtp.Clone();
                tampered[i] ^= 0x04;
                var status = receiver.UnprotectRtp(tampered, out _);
                Assert.True(status is SrtpStatus.AuthenticationFailed or SrtpStatus.MalformedHeader or SrtpStatus.TooShort, $"byte {i}: {status}");
            }

            // A failed packet did not advance anything: the genuine one still passes.
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(srtp, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Every_truncation_is_refused_without_throwing(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] srtp = Protect(sender, SrtpPackets.Rtp(5));
            for (int n = 0; n < srtp.Length; n++)
            {
                byte[] cut = srtp[..n];
                Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(cut, out _));
                Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(cut, out _));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_round_trips_with_increasing_index_and_refuses_replay_and_tampering(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            for (int i = 0; i < 3; i++)
            {
                byte[] rtcp = SrtpPackets.ReceiverReport(0xCAFEBABE);
                byte[] buffer = SrtpPackets.WithRoom(rtcp, sender.RtcpOverhead);
                Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, rtcp.Length, out int srtcpLength));
                Assert.Equal(buffer.Length, srtcpLength);
                Assert.NotEqual(rtcp.AsSpan(8).ToArray(), buffer.AsSpan(8, rtcp.Length - 8).ToArray());
                byte[] copy = (byte[])buffer.Clone();
                byte[] tampered = (byte[])buffer.Clone();
                tampered[10] ^= 1;

                Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtcp(tampered, out _));
                Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer, out int length));
                Assert.Equal(rtcp, buffer.AsSpan(0, length).ToArray());
                Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtcp(copy, out _));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Padding_is_left_out_of_the_payload_length(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] rtp = SrtpPackets.Rtp(9, payloadLength: 20);
            rtp[0] |= 0x20;       // P bit
            rtp[^1] = 4;          // last 4 bytes are padding
            byte[] srtp = Protect(sender, rtp);
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(srtp, out var header, out int payloadLength));
            Assert.True(header.Padding);
            Assert.Equal(16, payloadLength);

            byte[] bad = SrtpPackets.Rtp(10, payloadLength: 20);
            bad[0] |= 0x20;
            bad[^1] = 21;         // more padding than payload
            Assert.Equal(SrtpStatus.MalformedHeader, receiver.UnprotectRtp(Protect(sender, bad), out _, out _));
        }
    }

    [Fact]
    public void Stream_table_is_bounded()
    {
        var options = new SrtpContextOptions { MaxStreams = 2 };
        var (sender, receiver) = Pair(SrtpProfile.AesCm128HmacSha1_80, options);
        using (sender)
        using (receiver)
        {
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(Protect(sender, SrtpPackets.Rtp(1, ssrc: 1)), out _));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(Protect(sender, SrtpPackets.Rtp(1, ssrc: 2)), out _));
            byte[] third = SrtpPackets.WithRoom(SrtpPackets.Rtp(1, ssrc: 3), 10);
            Assert.Equal(SrtpStatus.TooManyStreams, sender.ProtectRtp(third, third.Length - 10, out _));
            Assert.True(sender.RemoveStream(1));
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(third, third.Length - 10, out _));
            Assert.Equal(SrtpStatus.TooManyStreams, receiver.UnprotectRtp(third, out _));
            Assert.Equal(2, receiver.StreamCount);
        }
    }

    [Fact]
    public void Index_estimation_follows_rfc3711_appendix_a()
    {
        Assert.Equal(5L, SrtpIndexEstimator.Estimate(0, 3, 5));
        Assert.Equal((1L << 16) | 2, SrtpIndexEstimator.Estimate(0, 65530, 2));       // wrapped forward
        Assert.Equal((0L << 16) | 65530, SrtpIndexEstimator.Estimate(1, 2, 65530));   // late, before the wrap
        Assert.Equal(-1L, SrtpIndexEstimator.Estimate(0, 2, 65530));                  // would need ROC -1
        Assert.Equal((7L << 16) | 40000, SrtpIndexEstimator.Estimate(7, 39000, 40000));
    }
}
