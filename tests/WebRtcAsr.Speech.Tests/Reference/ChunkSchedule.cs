namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Sizes of the chunks a stream's audio is fed in. Give the same schedule to sherpa
/// (<see cref="SherpaStreamInput.ChunkSamples"/>) and to our recognizer, so both see the
/// same chunk boundaries.
/// </summary>
public static class ChunkSchedule
{
    /// <summary>Chunks of one size (the last one may be shorter).</summary>
    public static int[] Fixed(int totalSamples, int chunkSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSamples);
        var count = (totalSamples + chunkSamples - 1) / chunkSamples;
        var sizes = new int[Math.Max(count, 1)];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = Math.Min(chunkSamples, totalSamples - (i * chunkSamples));
        }

        sizes[^1] = Math.Max(sizes[^1], 1);
        return sizes;
    }

    /// <summary>Chunks of random sizes in [minSamples, maxSamples] (seeded), covering totalSamples.</summary>
    public static int[] Random(int seed, int totalSamples, int minSamples, int maxSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, minSamples);
        var random = new Random(seed);
        var sizes = new List<int>();
        for (var fed = 0; fed < totalSamples;)
        {
            var n = Math.Min(random.Next(minSamples, maxSamples + 1), totalSamples - fed);
            sizes.Add(n);
            fed += n;
        }

        return sizes.Count > 0 ? [.. sizes] : [1];
    }
}
