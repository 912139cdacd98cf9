using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>Lossy, duplicating and reordering networks on the simulated clock (RFC 6347 4.2.4).</summary>
public class DtlsRetransmissionTests
{
    private static void AssertBothConnectedWithSameKeys(InMemoryDtlsLink link)
    {
        Assert.DoesNotContain(link.ServerEvents.Concat(link.ClientEvents), e => e.Kind == DtlsEventKind.Failed);
        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
        Assert.Equal(DtlsEndpointState.Connected, link.Client.State);
        var s = Assert.Single(link.ServerEvents, e => e.Kind == DtlsEventKind.Connected).Connection!;
        var c = Assert.Single(link.ClientEvents, e => e.Kind == DtlsEventKind.Connected).Connection!;
        Assert.Equal(s.SrtpKeys!.Exported.ToArray(), c.SrtpKeys!.Exported.ToArray());
        Assert.DoesNotContain(link.ServerEvents, e => e.Kind == DtlsEventKind.Failed);
        Assert.DoesNotContain(link.ClientEvents, e => e.Kind == DtlsEventKind.Failed);
    }

    [Fact]
    public void Lost_client_hello_is_resent_after_one_second()
    {
        using var link = new InMemoryDtlsLink();
        link.Network = (toServer, index, d) => toServer && index == 0 ? [] : [d];
        long start = link.NowMicros;
        link.Handshake();
        AssertBothConnectedWithSameKeys(link);
        Assert.Equal([start + 1_000_000], link.TimeoutsFired);
    }

    [Fact]
    public void Retransmission_timer_doubles_until_the_flight_gets_through()
    {
        using var link = new InMemoryDtlsLink();
        // The server's first flight is lost three times.
        link.Network = (toServer, index, d) => !toServer && index < 3 ? [] : [d];
        long start = link.NowMicros;
        link.Handshake();
        AssertBothConnectedWithSameKeys(link);
        // At 1 s both the server's flight timer and the client's ClientHello timer fire; the server
        // resends twice (own timer, and in answer to the repeated ClientHello), both lost. Both
        // timers doubled to 2 s: at 3 s the fourth copy gets through.
        Assert.Equal([start + 1_000_000, start + 3_000_000], link.TimeoutsFired);
    }

    [Fact]
    public void Lost_final_server_flight_is_resent_when_the_client_retransmits()
    {
        using var link = new InMemoryDtlsLink();
        // Server datagrams: 0 = flight 4, 1 = ChangeCipherSpec+Finished. Drop the Finished once.
        link.Network = (toServer, index, d) => !toServer && index == 1 ? [] : [d];
        link.Handshake();
        AssertBothConnectedWithSameKeys(link);
        Assert.Single(link.TimeoutsFired);
        Assert.Equal(3, link.ToClientLog.Count);
    }

    [Fact]
    public void Lost_client_finished_flight_is_resent_on_the_clients_timer()
    {
        using var link = new InMemoryDtlsLink();
        link.Network = (toServer, index, d) => toServer && index == 1 ? [] : [d];
        link.Handshake();
        AssertBothConnectedWithSameKeys(link);
        Assert.Single(link.TimeoutsFired);
    }

    [Fact]
    public void Every_datagram_duplicated_still_completes_once()
    {
        using var link = new InMemoryDtlsLink();
        link.Network = (_, _, d) => [d, d];
        link.Handshake();
        AssertBothConnectedWithSameKeys(link);
        Assert.Empty(link.TimeoutsFired);
    }

    [Fact]
    public void Reordered_fragments_and_records_still_complete()
    {
        var options = new DtlsOptions { Mtu = 300 };
        using var link = new InMemoryDtlsLink(serverOptions: options, clientOptions: options) { ReverseEachBatch = true };
        link.Handshake();
        AssertBothConnectedWithSameKeys(link);
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 1; seed <= 100; seed++)
        {
            seeds.Add(seed);
        }
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_loss_duplication_and_reordering_still_complete(int seed)
    {
        var random = new Random(seed);
        var options = new DtlsOptions { Mtu = 400, MaxRetransmissions = 20 };
        using var link = new InMemoryDtlsLink(serverOptions: options, clientOptions: options) { ReverseEachBatch = seed % 2 == 0 };
        var held = new byte[]?[2]; // one held-back datagram per direction
        link.Network = (toServer, _, d) =>
        {
            int direction = toServer ? 1 : 0;
            double roll = random.NextDouble();
            if (roll < 0.25)
            {
                return [];
            }
            if (roll < 0.4)
            {
                return [d, d];
            }
            if (roll < 0.55)
            {
                // Hold this one back and release it after the next datagram.
                var previous = held[direction];
                held[direction] = d;
                return previous is null ? [] : [previous];
            }
            var release = held[direction];
            held[direction] = null;
            return release is null ? [d] : [d, release];
        };
        link.Handshake(maxSteps: 10_000);
        AssertBothConnectedWithSameKeys(link);
    }

    [Fact]
    public void Handshake_fails_after_the_configured_retransmissions_when_nothing_gets_through()
    {
        using var link = new InMemoryDtlsLink(clientOptions: new DtlsOptions { MaxRetransmissions = 3 });
        link.Network = (toServer, _, d) => toServer ? [] : [d];
        long start = link.NowMicros;
        link.Handshake();
        var failed = Assert.Single(link.ClientEvents);
        Assert.Equal(DtlsEventKind.Failed, failed.Kind);
        Assert.Contains("timed out", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(DtlsEndpointState.Failed, link.Client.State);
        Assert.Null(link.Client.NextTimeoutMicros);
        // 1 s, 2 s, 4 s retransmissions, then the fourth expiry (8 s later) gives up.
        Assert.Equal([start + 1_000_000, start + 3_000_000, start + 7_000_000, start + 15_000_000], link.TimeoutsFired);
        Assert.Equal(4, link.ToServerLog.Count);
    }

    [Fact]
    public void Timeout_before_the_deadline_does_nothing()
    {
        using var link = new InMemoryDtlsLink();
        link.Client.Start(0);
        Assert.Equal(1_000_000, link.Client.NextTimeoutMicros);
        var buffer = new byte[DtlsEndpoint.MaxDatagramLength];
        Assert.True(link.Client.PollTransmit(buffer, out _));
        link.Client.HandleTimeout(999_999);
        Assert.False(link.Client.PollTransmit(buffer, out _));
        link.Client.HandleTimeout(1_000_000);
        Assert.True(link.Client.PollTransmit(buffer, out _));
        Assert.Equal(3_000_000, link.Client.NextTimeoutMicros);
    }

    [Fact]
    public void Retransmission_interval_is_capped()
    {
        using var link = new InMemoryDtlsLink(clientOptions: new DtlsOptions
        {
            InitialRetransmitMicros = 100_000,
            MaxRetransmitMicros = 300_000,
            MaxRetransmissions = 10,
        });
        link.Client.Start(0);
        var buffer = new byte[DtlsEndpoint.MaxDatagramLength];
        var intervals = new List<long>();
        long now = 0;
        for (int i = 0; i < 5; i++)
        {
            long next = link.Client.NextTimeoutMicros!.Value;
            intervals.Add(next - now);
            now = next;
            link.Client.HandleTimeout(now);
            while (link.Client.PollTransmit(buffer, out _)) { }
        }
        Assert.Equal([100_000, 200_000, 300_000, 300_000, 300_000], intervals);
    }
}
