using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// Wires a DtlsClient and a DtlsServer together in memory with a simulated clock. Every datagram
/// passes through <see cref="Network"/>, which may drop, duplicate, delay or mangle it; time only
/// moves when nothing is in flight, straight to the earliest NextTimeoutMicros.
/// </summary>
internal sealed class InMemoryDtlsLink : IDisposable
{
    private readonly byte[] _buffer = new byte[DtlsEndpoint.MaxDatagramLength];

    public InMemoryDtlsLink(DtlsOptions? serverOptions = null, DtlsOptions? clientOptions = null,
        CertificateFingerprint? clientExpects = null, CertificateFingerprint? serverExpects = null)
    {
        ServerCertificate = DtlsCertificate.Generate(Epoch);
        ClientCertificate = DtlsCertificate.Generate(Epoch);
        Server = new DtlsServer(ServerCertificate, serverExpects ?? ClientCertificate.FingerprintSha256, serverOptions);
        Client = new DtlsClient(ClientCertificate, clientExpects ?? ServerCertificate.FingerprintSha256, clientOptions);
    }

    public static DateTimeOffset Epoch { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DtlsCertificate ServerCertificate { get; }
    public DtlsCertificate ClientCertificate { get; }
    public DtlsServer Server { get; }
    public DtlsClient Client { get; }
    public long NowMicros { get; private set; } = 1_000_000;
    public List<DtlsRecordedEvent> ServerEvents { get; } = [];
    public List<DtlsRecordedEvent> ClientEvents { get; } = [];
    public List<byte[]> ToServerLog { get; } = [];
    public List<byte[]> ToClientLog { get; } = [];
    public List<long> TimeoutsFired { get; } = [];

    /// <summary>Decides what becomes of a datagram: returns the datagrams to deliver now (none: drop).
    /// Arguments: direction (true: to the server), index of the datagram in that direction, bytes.</summary>
    public Func<bool, int, byte[], IEnumerable<byte[]>> Network { get; set; } = (_, _, d) => [d];

    /// <summary>When set, datagrams delivered in one step are delivered in reverse order.</summary>
    public bool ReverseEachBatch { get; set; }

    /// <summary>Runs until nothing is in flight and no timer is armed, or until <paramref name="maxSteps"/>.</summary>
    public void Run(int maxSteps = 1000)
    {
        for (int step = 0; step < maxSteps; step++)
        {
            int moved = Exchange();
            DrainEvents();
            if (moved > 0)
            {
                continue;
            }
            long? next = Min(Server.NextTimeoutMicros, Client.NextTimeoutMicros);
            if (next is null)
            {
                return;
            }
            NowMicros = Math.Max(NowMicros, next.Value);
            TimeoutsFired.Add(NowMicros);
            Server.HandleTimeout(NowMicros);
            Client.HandleTimeout(NowMicros);
        }
        throw new InvalidOperationException("link did not settle");
    }

    public void Handshake(int maxSteps = 1000)
    {
        Client.Start(NowMicros);
        Run(maxSteps);
    }

    /// <summary>Moves every queued datagram once through the network; returns how many were taken.</summary>
    public int Exchange()
    {
        var batch = new List<(bool ToServer, byte[] Datagram)>();
        Collect(Client, toServer: true, batch);
        Collect(Server, toServer: false, batch);
        if (ReverseEachBatch)
        {
            batch.Reverse();
        }
        foreach (var (toServer, datagram) in batch)
        {
            Deliver(toServer, datagram);
        }
        return batch.Count;
    }

    public void Deliver(bool toServer, ReadOnlySpan<byte> datagram)
    {
        if (toServer)
        {
            Server.HandleReceive(datagram, NowMicros);
        }
        else
        {
            Client.HandleReceive(datagram, NowMicros);
        }
    }

    private void Collect(DtlsEndpoint from, bool toServer, List<(bool, byte[])> batch)
    {
        var log = toServer ? ToServerLog : ToClientLog;
        while (from.PollTransmit(_buffer, out int n))
        {
            byte[] datagram = _buffer.AsSpan(0, n).ToArray();
            int index = log.Count;
            log.Add(datagram);
            foreach (var d in Network(toServer, index, datagram))
            {
                batch.Add((toServer, d));
            }
        }
    }

    public void DrainEvents()
    {
        while (Server.PollEvent(out var e))
        {
            ServerEvents.Add(DtlsRecordedEvent.From(e));
        }
        while (Client.PollEvent(out var e))
        {
            ClientEvents.Add(DtlsRecordedEvent.From(e));
        }
    }

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
    }
}
