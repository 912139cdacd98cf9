using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>Application data records (the carrier of SCTP for data channels) and close_notify.</summary>
public class DtlsApplicationDataTests
{
    private static InMemoryDtlsLink ConnectedLink()
    {
        var link = new InMemoryDtlsLink();
        link.Handshake();
        Assert.Equal(DtlsEndpointState.Connected, link.Client.State);
        link.ServerEvents.Clear();
        link.ClientEvents.Clear();
        return link;
    }

    private static byte[] Pattern(int length, int salt)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 31 + salt);
        }
        return data;
    }

    [Fact]
    public void Data_flows_both_ways_one_record_per_send_up_to_16384_bytes()
    {
        using var link = ConnectedLink();
        int[] sizes = [0, 1, 1200, 16_384];
        foreach (int size in sizes)
        {
            Assert.True(link.Client.Send(Pattern(size, 1)));
            Assert.True(link.Server.Send(Pattern(size, 2)));
        }
        link.Run();
        Assert.Equal(sizes.Select(n => Pattern(n, 1)), link.ServerEvents.Select(e => e.Data!));
        Assert.Equal(sizes.Select(n => Pattern(n, 2)), link.ClientEvents.Select(e => e.Data!));
        Assert.All(link.ServerEvents, e => Assert.Equal(DtlsEventKind.ApplicationData, e.Kind));
        // One record per datagram: 13-byte header, 8-byte explicit nonce, 16-byte tag.
        Assert.Equal(16_384 + 37, link.ToServerLog[^1].Length);
    }

    [Fact]
    public void Send_refuses_more_than_one_record_and_sending_before_the_handshake()
    {
        using var link = new InMemoryDtlsLink();
        Assert.False(link.Client.Send([1, 2, 3]));
        link.Handshake();
        Assert.False(link.Client.Send(new byte[DtlsEndpoint.MaxApplicationDataLength + 1]));
        Assert.True(link.Client.Send(new byte[DtlsEndpoint.MaxApplicationDataLength]));
    }

    [Fact]
    public void Replayed_and_tampered_records_are_dropped()
    {
        using var link = ConnectedLink();
        Assert.True(link.Client.Send("once"u8));
        link.Run();
        byte[] record = link.ToServerLog[^1];
        link.Deliver(toServer: true, record); // replay
        byte[] tampered = (byte[])record.Clone();
        tampered[^1] ^= 1;
        link.Deliver(toServer: true, tampered);
        byte[] wrongEpoch = (byte[])record.Clone();
        wrongEpoch[4] = 2;
        link.Deliver(toServer: true, wrongEpoch);
        link.DrainEvents();
        var only = Assert.Single(link.ServerEvents);
        Assert.Equal("once"u8.ToArray(), only.Data);
        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
        Assert.True(link.Server.DroppedRecords >= 3);
    }

    [Fact]
    public void Records_arriving_out_of_order_within_the_window_are_all_delivered()
    {
        using var link = ConnectedLink();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(link.Client.Send([(byte)i]));
        }
        link.ReverseEachBatch = true;
        link.Run();
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => (byte)i), link.ServerEvents.Select(e => e.Data![0]));
    }

    [Fact]
    public void Plaintext_alerts_and_data_are_ignored_once_the_peer_encrypts()
    {
        using var link = ConnectedLink();
        // A forged, unprotected fatal alert in epoch 0 and unprotected application data.
        byte[] alert = [21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 99, 0, 2, 2, 40];
        byte[] data = [23, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 100, 0, 1, 42];
        link.Deliver(toServer: true, alert);
        link.Deliver(toServer: true, data);
        link.DrainEvents();
        Assert.Empty(link.ServerEvents);
        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
    }

    [Fact]
    public void Close_notify_closes_both_sides()
    {
        using var link = ConnectedLink();
        link.Client.Close();
        link.Run();
        Assert.Equal(DtlsEndpointState.Closed, link.Client.State);
        Assert.Equal(DtlsEndpointState.Closed, link.Server.State);
        var closed = Assert.Single(link.ServerEvents);
        Assert.Equal(DtlsEventKind.Closed, closed.Kind);
        Assert.Contains("close_notify", closed.Reason, StringComparison.Ordinal);
        Assert.Equal(DtlsEventKind.Closed, Assert.Single(link.ClientEvents).Kind);
        Assert.False(link.Server.Send([1]));
    }

    [Fact]
    public void Event_queue_is_bounded_and_counts_what_it_drops()
    {
        var options = new DtlsOptions { MaxQueuedEvents = 8 };
        using var link = new InMemoryDtlsLink(serverOptions: options);
        link.Handshake();
        link.ServerEvents.Clear();
        var buffer = new byte[DtlsEndpoint.MaxDatagramLength];
        while (link.Server.PollEvent(out _)) { }
        for (int i = 0; i < 20; i++)
        {
            Assert.True(link.Client.Send([(byte)i]));
            Assert.True(link.Client.PollTransmit(buffer, out int n));
            link.Server.HandleReceive(buffer.AsSpan(0, n), link.NowMicros);
        }
        int events = 0;
        while (link.Server.PollEvent(out _)) { events++; }
        Assert.Equal(8, events);
        Assert.Equal(12, link.Server.DroppedApplicationData);
    }
}
