using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

/// <summary>Anything that speaks whole SCTP packets sans-IO (an association, or data channels on top).</summary>
internal interface IPacketEndpoint
{
    int PollTransmit(Span<byte> destination, long nowMicros);

    void HandleReceive(ReadOnlySpan<byte> packet, long nowMicros);

    void HandleTimeout(long nowMicros);

    long NextTimeoutMicros { get; }

    /// <summary>Drains the endpoint's events into its own log.</summary>
    void DrainEvents();
}

internal sealed class AssociationEndpoint(SctpAssociation association) : IPacketEndpoint
{
    public SctpAssociation Association { get; } = association;

    public List<SctpEvent> Events { get; } = [];

    public long NextTimeoutMicros => Association.NextTimeoutMicros;

    public int PollTransmit(Span<byte> destination, long nowMicros) => Association.PollTransmit(destination, nowMicros);

    public void HandleReceive(ReadOnlySpan<byte> packet, long nowMicros) => Association.HandleReceive(packet, nowMicros);

    public void HandleTimeout(long nowMicros) => Association.HandleTimeout(nowMicros);

    public void DrainEvents()
    {
        while (Association.PollEvent(out var ev))
        {
            Events.Add(ev);
        }
    }

    public IEnumerable<SctpEvent> Messages(ushort stream) =>
        Events.Where(e => e.Kind == SctpEventKind.Message && e.StreamId == stream);
}

/// <summary>
/// Two endpoints joined by a simulated network with an injected clock: seeded loss, duplication
/// and reordering, a per-hop delay, and a hook to look at or rewrite packets in flight.
/// </summary>
internal sealed class InMemoryLink
{
    private readonly Random _random;
    private readonly List<(long At, bool ToB, byte[] Packet)> _inTransit = [];
    private readonly byte[] _buffer = new byte[1500];

    public InMemoryLink(IPacketEndpoint a, IPacketEndpoint b, int seed = 1)
    {
        A = a;
        B = b;
        _random = new Random(seed);
    }

    public IPacketEndpoint A { get; }

    public IPacketEndpoint B { get; }

    public long Now { get; set; } = 1_000_000;

    public double LossRate { get; set; }

    public double DuplicateRate { get; set; }

    public double ReorderRate { get; set; }

    /// <summary>One-way delay of each packet.</summary>
    public long DelayMicros { get; set; } = 10_000;

    /// <summary>Sees each packet before it is sent; returns the packet to deliver, or null to drop it.</summary>
    public Func<bool, byte[], byte[]?>? Intercept { get; set; }

    public int PacketsAToB { get; private set; }

    public int PacketsBToA { get; private set; }

    /// <summary>Runs until the condition holds or the simulated time budget is spent; returns the condition.</summary>
    public bool RunUntil(Func<bool> condition, long maxMicros = 120_000_000)
    {
        long end = Now + maxMicros;
        while (!condition())
        {
            if (!Step(end))
            {
                return condition();
            }
        }

        return true;
    }

    /// <summary>Runs until nothing is in flight and no timer is due before the budget ends.</summary>
    public void RunIdle(long maxMicros = 10_000_000) => RunUntil(() => false, maxMicros);

    private bool Step(long end)
    {
        bool sent = Flush(A, toB: true) | Flush(B, toB: false);
        A.DrainEvents();
        B.DrainEvents();
        if (sent)
        {
            return true;
        }

        // Nothing to send now: advance the clock to the next delivery or timer.
        long next = Math.Min(A.NextTimeoutMicros, B.NextTimeoutMicros);
        foreach (var p in _inTransit)
        {
            next = Math.Min(next, p.At);
        }

        if (next > end || next == long.MaxValue)
        {
            Now = end;
            return false;
        }

        Now = Math.Max(Now, next);
        Deliver();
        A.HandleTimeout(Now);
        B.HandleTimeout(Now);
        A.DrainEvents();
        B.DrainEvents();
        return true;
    }

    private bool Flush(IPacketEndpoint from, bool toB)
    {
        bool any = false;
        int n;
        while ((n = from.PollTransmit(_buffer, Now)) > 0)
        {
            any = true;
            var packet = _buffer.AsSpan(0, n).ToArray();
            if (toB)
            {
                PacketsAToB++;
            }
            else
            {
                PacketsBToA++;
            }

            if (Intercept is not null)
            {
                var kept = Intercept(toB, packet);
                if (kept is null)
                {
                    continue;
                }

                packet = kept;
            }

            if (_random.NextDouble() < LossRate)
            {
                continue;
            }

            long at = Now + DelayMicros;
            if (_random.NextDouble() < ReorderRate)
            {
                at += _random.Next(1, 4) * DelayMicros;
            }

            _inTransit.Add((at, toB, packet));
            if (_random.NextDouble() < DuplicateRate)
            {
                _inTransit.Add((at + DelayMicros, toB, packet));
            }
        }

        return any;
    }

    private void Deliver()
    {
        for (int i = 0; i < _inTransit.Count; i++)
        {
            var (at, toB, packet) = _inTransit[i];
            if (at > Now)
            {
                continue;
            }

            _inTransit.RemoveAt(i--);
            (toB ? B : A).HandleReceive(packet, Now);
        }
    }
}
