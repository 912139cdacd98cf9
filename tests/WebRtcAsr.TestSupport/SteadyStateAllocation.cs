namespace WebRtcAsr.TestSupport;

/// <summary>
/// Bytes a steady-state loop allocates on this thread. The runtime itself (tiered JIT promotions, a
/// collection's reset of the allocation context) can add a few bytes now and then, while an
/// allocation in our code shows on every run: so the loop runs up to three times and the least wins.
/// </summary>
public static class SteadyStateAllocation
{
    /// <summary>The least bytes allocated on this thread over up to three runs of <paramref name="run"/>.</summary>
    public static long Measure(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
