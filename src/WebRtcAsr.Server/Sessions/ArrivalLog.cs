namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// When each recent audio block arrived, by stream position: a fixed ring of (first sample, end sample,
/// arrival timestamp). A word's latency runs from the arrival of the block holding its last sample to the send
/// of the message that shows it. Old blocks fall out; asking about them answers false.
/// </summary>
public sealed class ArrivalLog(int capacity = 1024)
{
    private readonly long[] starts = new long[capacity];
    private readonly long[] ends = new long[capacity];
    private readonly long[] arrivals = new long[capacity];
    private int next;
    private int count;

    public void Record(long streamSample, int length, long arrivalTimestamp)
    {
        starts[next] = streamSample;
        ends[next] = streamSample + length;
        arrivals[next] = arrivalTimestamp;
        next = (next + 1) % starts.Length;
        count = Math.Min(count + 1, starts.Length);
    }

    /// <summary>Arrival of the block that holds <paramref name="streamSample"/> (or, in a gap, the first block after it).</summary>
    public bool TryFind(long streamSample, out long arrivalTimestamp)
    {
        arrivalTimestamp = 0;
        var found = false;
        for (var i = 1; i <= count; i++)
        {
            var at = (next - i + starts.Length) % starts.Length;
            if (ends[at] <= streamSample)
            {
                break;
            }

            arrivalTimestamp = arrivals[at];
            found = true;
            if (starts[at] <= streamSample)
            {
                break;
            }
        }

        return found;
    }
}
