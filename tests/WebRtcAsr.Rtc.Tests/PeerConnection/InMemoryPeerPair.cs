using System.Net;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>
/// A client and a server <see cref="Rtc.PeerConnection.PeerConnection"/> wired through a simulated
/// network on a virtual clock: datagrams are delayed (base delay plus jitter, which reorders them),
/// dropped at a seeded random rate, and delivered in time order; timers fire exactly when due.
/// Nothing sleeps: a simulated minute runs in milliseconds of CPU.
/// </summary>
internal sealed class InMemoryPeerPair : IDisposable
{
    public static readonly IPEndPoint ServerAddress = new(IPAddress.Parse("10.0.0.1"), 3478);
    public static readonly IPEndPoint ClientAddress = new(IPAddress.Parse("10.0.0.2"), 50000);

    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);

    private readonly Random _random;
    private readonly PriorityQueue<(byte[] Data, IPEndPoint From, IPEndPoint To), (long, long)> _inFlight = new();
    private readonly byte[] _buffer = new byte[Rtc.PeerConnection.PeerConnection.MaxDatagramLength];
    private long _sequence;

    public InMemoryPeerPair(double lossRate = 0, long delayMicros = 10_000, long jitterMicros = 0, int seed = 1,
        Func<string, string>? offerRewrite = null)
    {
        _random = new Random(seed);
        LossRate = lossRate;
        DelayMicros = delayMicros;
        JitterMicros = jitterMicros;
        var clientOptions = Options(ClientCertificate, []);
        var server = Options(ServerCertificate, [ServerAddress]) with { ReceiverReports = new() { RandomSeed = seed } }; // reproducible report times
        Client = Rtc.PeerConnection.PeerConnection.CreateOffer(clientOptions, Now);
        Offer = offerRewrite?.Invoke(Client.LocalDescription) ?? Client.LocalDescription;
        Assert.True(Rtc.PeerConnection.PeerConnection.TryAccept(Offer, server, Now, out var accepted, out var error), error);
        Server = accepted!;
        Assert.True(Client.SetRemoteAnswer(Server.LocalDescription, Now, out error), error);
        Flush();
    }

    public static DtlsCertificate ClientCert => ClientCertificate;

    public static DtlsCertificate ServerCert => ServerCertificate;

    public Rtc.PeerConnection.PeerConnection Client { get; }

    public Rtc.PeerConnection.PeerConnection Server { get; }

    public string Offer { get; }

    public long Now { get; private set; } = 1_000_000;

    public double LossRate { get; set; }

    public long DelayMicros { get; set; }

    public long JitterMicros { get; set; }

    /// <summary>When set, datagrams from the client are dropped (a vanished browser).</summary>
    public bool ClientSilenced { get; set; }

    /// <summary>Datagrams from the client for which this returns true are dropped.</summary>
    public Func<byte[], bool>? DropFromClient { get; set; }

    public List<PeerConnectionEvent> ClientEvents { get; } = [];

    public List<PeerConnectionEvent> ServerEvents { get; } = [];

    /// <summary>Decrypted RTP packets the server received, copied.</summary>
    public List<byte[]> ServerRtp { get; } = [];

    public long DatagramsDropped { get; private set; }

    public static PeerConnectionOptions Options(DtlsCertificate certificate, IReadOnlyList<IPEndPoint> hosts) => new()
    {
        Certificate = certificate,
        HostCandidates = hosts,
        SctpRtoMinMicros = 100_000,
        SctpRtoInitialMicros = 300_000,
        SctpDelayedAckMicros = 20_000,
    };

    /// <summary>Runs the simulation until <paramref name="done"/> holds or <paramref name="limitMicros"/> of virtual time pass.</summary>
    public bool RunUntil(Func<bool> done, long limitMicros = 60_000_000)
    {
        long end = Now + limitMicros;
        while (!done())
        {
            long next = end;
            if (_inFlight.TryPeek(out _, out var due))
            {
                next = Math.Min(next, due.Item1);
            }

            next = Math.Min(next, Client.NextTimeoutMicros ?? long.MaxValue);
            next = Math.Min(next, Server.NextTimeoutMicros ?? long.MaxValue);
            if (next >= end)
            {
                Now = end;
                return done();
            }

            Now = Math.Max(Now, next);
            while (_inFlight.TryPeek(out var datagram, out due) && due.Item1 <= Now)
            {
                _inFlight.Dequeue();
                var to = datagram.To.Equals(ServerAddress) ? Server : Client;
                to.HandleReceive(datagram.Data, datagram.From, Now);
            }

            if (Client.NextTimeoutMicros <= Now)
            {
                Client.HandleTimeout(Now);
            }

            if (Server.NextTimeoutMicros <= Now)
            {
                Server.HandleTimeout(Now);
            }

            Flush();
        }

        return true;
    }

    /// <summary>Moves everything both peers want to send onto the wire, and collects their events.</summary>
    public void Flush()
    {
        Drain(Client, ClientAddress, ClientEvents, null);
        Drain(Server, ServerAddress, ServerEvents, ServerRtp);
    }

    private void Drain(Rtc.PeerConnection.PeerConnection peer, IPEndPoint self, List<PeerConnectionEvent> events, List<byte[]>? rtp)
    {
        while (peer.TryPollTransmit(_buffer, out int length, out var to))
        {
            bool fromClient = self.Equals(ClientAddress);
            if ((fromClient && (ClientSilenced || DropFromClient?.Invoke(_buffer[..length]) == true)) || _random.NextDouble() < LossRate)
            {
                DatagramsDropped++;
                continue;
            }

            long due = Now + DelayMicros + (JitterMicros > 0 ? _random.NextInt64(JitterMicros) : 0);
            _inFlight.Enqueue((_buffer.AsSpan(0, length).ToArray(), self, to!), (due, _sequence++));
        }

        while (peer.TryPollEvent(out var peerEvent))
        {
            if (peerEvent.Kind == PeerConnectionEventKind.AudioRtp)
            {
                rtp?.Add(peerEvent.Data.ToArray());
            }

            events.Add(peerEvent);
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
