namespace WebRtcAsr.Media.Tests.Impairment;

/// <summary>
/// What the network does to a packet stream, seeded and repeatable: bursty loss, duplication,
/// per-packet delay up to <see cref="MaxJitterMicros"/> above a base delay (reordering follows
/// when it exceeds the packet interval), and sender clock drift in ppm.
/// </summary>
public sealed record NetworkImpairment(
    string Name,
    double LossRate = 0,
    double MeanBurst = 1,
    long MaxJitterMicros = 0,
    double DuplicateRate = 0,
    double DriftPpm = 0,
    int Seed = 1)
{
    public const long BaseDelayMicros = 30_000;

    public static NetworkImpairment Clean => new("clean");

    /// <summary>The packets as they arrive: (arrival time µs, bytes), in arrival order.</summary>
    public List<(long ArrivalMicros, byte[] Packet)> Apply(IReadOnlyList<byte[]> packets, long packetMicros)
    {
        var random = new Random(Seed);
        var loss = new GilbertElliottLoss(LossRate, MeanBurst, random);
        var arrivals = new List<(long, byte[])>();
        for (int i = 0; i < packets.Count; i++)
        {
            // The sender's clock runs DriftPpm fast (negative: slow): its 20 ms are not ours.
            long sent = (long)(i * packetMicros / (1 + (DriftPpm * 1e-6)));
            if (loss.NextLost())
            {
                continue;
            }

            arrivals.Add((sent + Delay(random), packets[i]));
            if (random.NextDouble() < DuplicateRate)
            {
                arrivals.Add((sent + Delay(random), packets[i]));
            }
        }

        // Stable sort by arrival time (equal times keep send order).
        return arrivals.Select((a, index) => (a, index)).OrderBy(x => x.a.Item1).ThenBy(x => x.index).Select(x => x.a).ToList();
    }

    /// <summary>Mostly small, occasionally large: u³ puts half the packets under 1/8 of the maximum.</summary>
    private long Delay(Random random)
    {
        double u = random.NextDouble();
        return BaseDelayMicros + (long)(MaxJitterMicros * u * u * u);
    }
}
