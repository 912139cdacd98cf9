using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>Opus-sized RTP from the client role of a pair, protected ahead of time so that only the server's work is measured.</summary>
internal static class ClientAudio
{
    /// <summary>An RTP packet of the client's audio SSRC with a 120-byte payload; sequence number and timestamp are the caller's.</summary>
    public static byte[] Packet(uint ssrc)
    {
        var rtp = new byte[12 + 120];
        rtp[0] = 0x80;
        rtp[1] = Rtc.PeerConnection.PeerConnection.ClientOpusPayloadType;
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), ssrc);
        return rtp;
    }

    /// <summary>SRTP datagrams of <paramref name="count"/> packets, sequence 0 on, timestamps 20 ms apart.</summary>
    public static List<byte[]> Protect(InMemoryPeerPair pair, int count)
    {
        var datagrams = new List<byte[]>(count);
        var buffer = new byte[Rtc.PeerConnection.PeerConnection.MaxDatagramLength];
        var rtp = Packet(pair.Client.AudioSsrc);
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), (ushort)i);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), (uint)(i * 960));
            Assert.True(pair.Client.SendRtp(rtp, pair.Now));
            Assert.True(pair.Client.TryPollTransmit(buffer, out int length, out _));
            datagrams.Add(buffer.AsSpan(0, length).ToArray());
        }

        return datagrams;
    }
}
