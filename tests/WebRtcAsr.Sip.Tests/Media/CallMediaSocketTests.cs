using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Media.Rtp;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// The socket driver of one call on 127.0.0.1: RTP sent before the call start (whether it reaches the owner before
/// or after the Start command, none is lost), RTCP reports out from port + 1, ports released on close.
/// </summary>
public sealed class CallMediaSocketTests
{
    [Fact]
    public async Task Rtp_sent_before_and_after_the_call_start_is_all_kept_and_receiver_reports_reach_the_callers_rtcp_port()
    {
        using var callerRtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var callerRtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        callerRtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        callerRtcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var events = new List<SipCallEvent>();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        int port = CallMediaFixture.MediaPortRange(5);
        var local = new IPEndPoint(IPAddress.Loopback, port);
        await using var media = new CallMedia("s1", local, new CallMediaOptions { RtcpInterval = TimeSpan.FromMilliseconds(100) },
            () => (long)clock.Elapsed.TotalMicroseconds,
            e =>
            {
                lock (events)
                {
                    events.Add(e);
                }

                if (e is CallMediaClosed)
                {
                    closed.TrySetResult();
                }
            });
        media.Open();

        var payload = new byte[160];
        G711.EncodeMuLaw(Enumerable.Range(0, 160).Select(i => 0.25f * MathF.Sin(i * 0.3f)).ToArray(), payload);
        var packet = new byte[172];
        void Send(int index)
        {
            RtpPacketWriter.Write(packet, new RtpHeader(0, (ushort)(100 + index), (uint)(index * 160), 0xAB), payload);
            callerRtp.SendTo(packet, local);
        }

        for (var i = 0; i < 10; i++)
        {
            Send(i); // the caller got our 200 OK and talks before its ACK reached us
        }

        var consumer = new RecordingConsumer();
        var sdp = new SipMediaSession(port, (IPEndPoint)callerRtp.LocalEndPoint!, (IPEndPoint)callerRtcp.LocalEndPoint!, SdpDirection.SendRecv,
            false, [new NegotiatedCodec(0, "PCMU", 8000, 1, null)], null, 20);
        media.Start(sdp, consumer);
        for (var i = 10; i < 20; i++)
        {
            Send(i);
        }

        // A receiver report comes from our RTCP port (RTP + 1) to the caller's RTCP address.
        var buffer = new byte[1500];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await callerRtcp.ReceiveFromAsync(buffer, SocketFlags.None, from, timeout.Token);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port + 1), received.RemoteEndPoint);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, received.ReceivedBytes));
        Assert.True(reader.MoveNext());
        Assert.Equal((byte)RtcpPacketType.ReceiverReport, reader.Current.PacketType);

        await media.CloseAsync();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var statistics = Assert.IsType<CallMediaClosed>(events[^1]).Statistics;
        Assert.Equal(20, statistics.AudioPackets);
        Assert.Equal(0, statistics.RtpBeforeStart);
        Assert.Equal(20 * 320, consumer.Length);
        Assert.True(statistics.RtcpSent >= 1);

        // Closed: the ports are free again.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(local);
    }
}
