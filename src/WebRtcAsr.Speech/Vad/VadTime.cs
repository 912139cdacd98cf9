namespace WebRtcAsr.Speech.Vad;

/// <summary>Stream positions in 16 kHz samples, as times.</summary>
public static class VadTime
{
    /// <summary>A sample position (or count) at 16 kHz as a time span (exact: 16 samples per ms, 10 ticks per µs).</summary>
    public static TimeSpan ToTime(long samples) => TimeSpan.FromTicks(samples * (TimeSpan.TicksPerSecond / SileroVadModel.SampleRate));

    /// <summary>A time as a 16 kHz sample position, rounded down.</summary>
    public static long ToSamples(TimeSpan time) => time.Ticks / (TimeSpan.TicksPerSecond / SileroVadModel.SampleRate);
}
