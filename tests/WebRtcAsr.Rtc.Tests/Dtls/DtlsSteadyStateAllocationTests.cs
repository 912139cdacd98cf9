using WebRtcAsr.TestSupport;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>Design principle 4: protecting and unprotecting application data allocates nothing once warm.</summary>
public class DtlsSteadyStateAllocationTests
{
    [Fact]
    public void Send_transmit_receive_and_poll_allocate_nothing_in_steady_state()
    {
        using var link = new InMemoryDtlsLink();
        link.Handshake();
        link.ServerEvents.Clear();
        var payload = new byte[1100];
        var datagram = new byte[DtlsEndpoint.MaxDatagramLength];
        long received = 0;
        void RoundTrip()
        {
            link.Client.Send(payload);
            link.Client.PollTransmit(datagram, out int n);
            link.Server.HandleReceive(datagram.AsSpan(0, n), link.NowMicros);
            while (link.Server.PollEvent(out var e))
            {
                received += e.Data.Length;
            }
        }

        for (int i = 0; i < 200; i++)
        {
            RoundTrip();
        }
        int runs = 0;
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            runs++;
            for (int i = 0; i < 2000; i++)
            {
                RoundTrip();
            }
        });
        Assert.Equal((200L + (2000L * runs)) * payload.Length, received);
        Assert.Equal(0, allocated);
    }
}
