using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.Sctp;
using WebRtcAsr.Rtc.Tests.Sctp;

namespace WebRtcAsr.Rtc.Tests.DataChannels;

internal sealed class DataChannelEndpoint(DataChannelTransport transport) : IPacketEndpoint
{
    public DataChannelTransport Transport { get; } = transport;

    public List<DataChannelEvent> Events { get; } = [];

    public long NextTimeoutMicros => Transport.NextTimeoutMicros;

    public int PollTransmit(Span<byte> destination, long nowMicros) => Transport.PollTransmit(destination, nowMicros);

    public void HandleReceive(ReadOnlySpan<byte> packet, long nowMicros) => Transport.HandleReceive(packet, nowMicros);

    public void HandleTimeout(long nowMicros) => Transport.HandleTimeout(nowMicros);

    public void DrainEvents()
    {
        while (Transport.PollEvent(out var ev))
        {
            Events.Add(ev);
        }
    }

    public List<DataChannelEvent> Of(DataChannelEventKind kind) => Events.Where(e => e.Kind == kind).ToList();

    public List<DataChannelEvent> MessagesOn(ushort id) =>
        Events.Where(e => e.Kind == DataChannelEventKind.Message && e.Channel!.Id == id).ToList();
}

/// <summary>Browser-like DTLS client (SCTP initiator, even ids) and our server (DTLS server, odd ids).</summary>
internal sealed class DataChannelPair
{
    public DataChannelPair(int seed = 1, DataChannelTransportOptions? serverOptions = null)
    {
        var clientOptions = new DataChannelTransportOptions { Sctp = new SctpOptions { InitialTsn = (uint)(seed * 0x9E3779B1) } };
        serverOptions ??= new DataChannelTransportOptions { Sctp = new SctpOptions { InitialTsn = (uint)(seed * 0x7F4A7C15) + 1 } };
        Client = new DataChannelEndpoint(new DataChannelTransport(isDtlsClient: true, clientOptions));
        Server = new DataChannelEndpoint(new DataChannelTransport(isDtlsClient: false, serverOptions));
        Link = new InMemoryLink(Client, Server, seed);
    }

    public DataChannelEndpoint Client { get; }

    public DataChannelEndpoint Server { get; }

    public InMemoryLink Link { get; }

    public long Now => Link.Now;

    public void Connect()
    {
        Client.Transport.Connect(Link.Now);
        Assert.True(Link.RunUntil(() => Client.Of(DataChannelEventKind.AssociationEstablished).Count == 1
            && Server.Of(DataChannelEventKind.AssociationEstablished).Count == 1));
    }

    /// <summary>Opens a channel from one side and waits until both sides report it open.</summary>
    public (DataChannel Local, DataChannel Remote) Open(bool fromClient, string label, DataChannelOptions? options = null)
    {
        var (local, remote) = fromClient ? (Client, Server) : (Server, Client);
        var channel = local.Transport.CreateChannel(label, options, Link.Now, out string? error);
        Assert.True(channel is not null, error);
        Assert.True(Link.RunUntil(() => channel!.State == DataChannelState.Open
            && remote.Of(DataChannelEventKind.ChannelOpened).Any(e => e.Channel!.Id == channel.Id && e.Channel.State == DataChannelState.Open)));
        var peer = remote.Of(DataChannelEventKind.ChannelOpened).Last(e => e.Channel!.Id == channel!.Id).Channel!;
        return (channel!, peer);
    }
}
