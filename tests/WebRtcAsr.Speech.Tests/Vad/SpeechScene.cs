using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.Speech.Tests.Vad;

/// <summary>
/// A test stream: FSDD recordings (16 kHz) placed at known positions between silences, optionally
/// with white or pink noise over everything at a given SNR. The truth is each recording's extent.
/// </summary>
internal sealed class SpeechScene
{
    private SpeechScene(float[] samples, (long Start, long End)[] truth)
    {
        Samples = samples;
        Truth = truth;
    }

    public float[] Samples { get; }

    /// <summary>[Start, End) of each recording, in stream samples.</summary>
    public (long Start, long End)[] Truth { get; }

    /// <summary>The gap before each recording (and the one after the last), in ms.</summary>
    public static readonly int[] GapsMs = [1000, 900, 2500, 1200, 800, 3000, 1000, 1500, 2000, 900, 1200];

    /// <summary>All ten recordings, each at <see cref="SpeechLevelDbfs"/>, separated by <see cref="GapsMs"/>; noise (when not None) at <paramref name="snrDb"/> below the speech's power.</summary>
    public static SpeechScene Make(NoiseKind noise = NoiseKind.None, double snrDb = 20, ulong seed = 1) =>
        Make(_ => SpeechLevelDbfs, noise, snrDb, seed);

    /// <summary>
    /// Loud and quiet talkers in turn: the even recordings at <paramref name="loudDbfs"/> (clipped at full scale),
    /// the odd ones at <paramref name="quietDbfs"/> (RMS over each recording).
    /// </summary>
    public static SpeechScene MakeLoudThenQuiet(double loudDbfs, double quietDbfs) => Make(i => i % 2 == 0 ? loudDbfs : quietDbfs, NoiseKind.None, 0, 1);

    private static SpeechScene Make(Func<int, double> levelDbfs, NoiseKind noise, double snrDb, ulong seed)
    {
        var samples = new List<float>();
        var truth = new List<(long, long)>();
        for (int i = 0; i < VadTestData.FsddNames.Length; i++)
        {
            samples.AddRange(new float[GapsMs[i] * 16]);
            float[] recording = VadTestData.ReadFsdd16k(VadTestData.FsddNames[i]);
            NormalizeLevel(recording, levelDbfs(i));
            truth.Add((samples.Count, samples.Count + recording.Length));
            samples.AddRange(recording);
        }
        samples.AddRange(new float[GapsMs[^1] * 16]);
        float[] audio = samples.ToArray();
        if (noise != NoiseKind.None) AddNoise(audio, truth, noise, snrDb, seed);
        return new SpeechScene(audio, truth.ToArray());
    }

    /// <summary>
    /// The same scene as a phone call delivers it: built at 8 kHz from the original recordings,
    /// noise added there, through G.711 μ-law and back, then resampled to 16 kHz in 20 ms packets by
    /// the server's resampler (its delay left in, as on the server: the truth is shifted by it).
    /// </summary>
    public static SpeechScene MakeTelephone(NoiseKind noise = NoiseKind.None, double snrDb = 20, ulong seed = 1)
    {
        var samples = new List<float>();
        var truth = new List<(long, long)>();
        for (int i = 0; i < VadTestData.FsddNames.Length; i++)
        {
            samples.AddRange(new float[GapsMs[i] * 8]);
            float[] recording = VadTestData.ReadFsdd8k(VadTestData.FsddNames[i]);
            NormalizeLevel(recording, SpeechLevelDbfs);
            truth.Add((samples.Count, samples.Count + recording.Length));
            samples.AddRange(recording);
        }
        samples.AddRange(new float[GapsMs[^1] * 8]);
        float[] narrow = samples.ToArray();
        if (noise != NoiseKind.None) AddNoise(narrow, truth, noise, snrDb, seed);

        var codes = new byte[narrow.Length];
        G711.EncodeMuLaw(narrow, codes);
        G711.DecodeMuLaw(codes, narrow);

        var resampler = new Resampler(8000, 16000);
        var wide = new List<float>(narrow.Length * 2);
        var packet = new float[resampler.MaxOutputLength(160)];
        for (int at = 0; at + 160 <= narrow.Length; at += 160)
        {
            int written = resampler.Process(narrow.AsSpan(at, 160), packet);
            wide.AddRange(packet.AsSpan(0, written));
        }
        int delay = resampler.LatencySamples;
        return new SpeechScene(wide.ToArray(), truth.Select(t => ((2 * t.Item1) + delay, (2 * t.Item2) + delay)).ToArray());
    }

    /// <summary>Whether stream sample <paramref name="sample"/> lies within a recording.</summary>
    public bool IsSpeech(long sample) => Truth.Any(t => sample >= t.Start && sample < t.End);

    /// <summary>
    /// Scales a recording to an RMS of <paramref name="dbfs"/> (clipping at full scale): the speakers were recorded up
    /// to 20 dB apart, and an SNR should mean the same for each of them (as level-normalised test speech does).
    /// </summary>
    private static void NormalizeLevel(float[] recording, double dbfs)
    {
        double power = recording.Sum(x => x * (double)x) / recording.Length;
        float gain = (float)(Math.Pow(10, dbfs / 20) / Math.Sqrt(power));
        for (int i = 0; i < recording.Length; i++) recording[i] = Math.Clamp(recording[i] * gain, -1f, 1f);
    }

    /// <summary>Every recording's level (RMS over its extent), dB relative to full scale.</summary>
    public const double SpeechLevelDbfs = -26;

    private static void AddNoise(float[] audio, List<(long Start, long End)> truth, NoiseKind kind, double snrDb, ulong seed)
    {
        double speechPower = 0;
        long speechSamples = 0;
        foreach (var (start, end) in truth)
        {
            for (long i = start; i < end; i++) speechPower += audio[i] * (double)audio[i];
            speechSamples += end - start;
        }
        speechPower /= speechSamples;

        var noise = new double[audio.Length];
        var random = new GaussianNoise(seed);
        // Pink (1/f) noise: white noise through Paul Kellett's economy three-pole filter.
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < noise.Length; i++)
        {
            double white = random.Next();
            if (kind == NoiseKind.White)
            {
                noise[i] = white;
                continue;
            }
            b0 = (0.99765 * b0) + (white * 0.0990460);
            b1 = (0.96300 * b1) + (white * 0.2965164);
            b2 = (0.57000 * b2) + (white * 1.0526913);
            noise[i] = b0 + b1 + b2 + (white * 0.1848);
        }
        double noisePower = noise.Sum(n => n * n) / noise.Length;
        double gain = Math.Sqrt(speechPower / noisePower / Math.Pow(10, snrDb / 10));
        for (int i = 0; i < audio.Length; i++) audio[i] += (float)(noise[i] * gain);
    }

    /// <summary>Deterministic standard normal numbers (SplitMix64 and Box–Muller), the same on every run and runtime.</summary>
    private sealed class GaussianNoise(ulong seed)
    {
        private ulong _state = seed;

        public double Next()
        {
            double u1 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
            double u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
            return Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
        }

        private ulong NextUInt64()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}

/// <summary>Noise added over a test scene.</summary>
public enum NoiseKind
{
    None,
    White,
    Pink,
}
