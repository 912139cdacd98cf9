using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Rtp;

/// <summary>
/// Both unwrappers recover a 64-bit counter from its low 16 or 32 bits for any walk whose steps stay under half
/// the range, forwards or backwards, across many wraps; a step of exactly half the range reads as backwards.
/// </summary>
public class UnwrapperTests
{
    [Fact]
    public void Sequence_numbers_recover_a_random_walk_across_many_wraps()
    {
        var random = new Random(16);
        var unwrapper = new SequenceNumberUnwrapper();
        long first = unwrapper.Unwrap(65000);
        long truth = first;
        long highest = first;
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly forward, sometimes back; every step within ±32767 of the newest value seen.
            long step = random.Next(-300, 32767);
            long next = Math.Clamp(truth + step, highest - 32767, highest + 32767);
            truth = next;
            highest = Math.Max(highest, truth);
            Assert.Equal(truth, unwrapper.Unwrap((ushort)truth));
        }

        Assert.True(highest - first > 10 * 65536);
    }

    [Fact]
    public void Timestamps_recover_a_random_walk_across_many_wraps()
    {
        var random = new Random(32);
        var unwrapper = new TimestampUnwrapper();
        long first = unwrapper.Unwrap(uint.MaxValue - 5);
        long truth = first;
        long highest = first;
        for (var i = 0; i < 20_000; i++)
        {
            long step = random.NextInt64(-100_000, int.MaxValue);
            long next = Math.Clamp(truth + step, highest - int.MaxValue, highest + int.MaxValue);
            truth = next;
            highest = Math.Max(highest, truth);
            Assert.Equal(truth, unwrapper.Unwrap((uint)truth));
        }

        Assert.True(highest - first > 10 * (1L << 32));
    }

    [Fact]
    public void Half_the_range_away_counts_as_backwards()
    {
        var sequence = new SequenceNumberUnwrapper();
        long s = sequence.Unwrap(100);
        Assert.Equal(s - 32768, sequence.Peek(100 + 32768));
        Assert.Equal(s + 32767, sequence.Peek(100 + 32767));

        var timestamps = new TimestampUnwrapper();
        long t = timestamps.Unwrap(100);
        Assert.Equal(t - (1L << 31), timestamps.Peek(100u + (1u << 31)));
        Assert.Equal(t + int.MaxValue, timestamps.Peek(100u + int.MaxValue));
    }

    [Fact]
    public void Reset_starts_a_new_reference_point()
    {
        var sequence = new SequenceNumberUnwrapper();
        sequence.Unwrap(10);
        sequence.Unwrap(40_000);
        sequence.Reset();
        Assert.Equal(65536 + 5, sequence.Unwrap(5));
    }
}
