using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Speech for recognizer tests. The committed utterances (Reference/audio, 16 kHz, made by
/// make_audio.sh from the Free Spoken Digit Dataset, CC BY-SA 4.0) need nothing else; longer
/// or other digit strings can be built from the FSDD recordings themselves when they are
/// present (<see cref="WebRtcAsr.TestSupport.RepoPaths.FsddRecordings"/> finds them). Files are
/// read with Media's <see cref="WavFile"/>, which scales 16-bit samples by exactly 1/32768 as
/// sherpa-onnx's reader does, so both recognizers see bit-identical input.
/// </summary>
public static class TestAudio
{
    /// <summary>Rate of the recordings in the Free Spoken Digit Dataset.</summary>
    public const int FsddSampleRate = 8000;

    /// <summary>Rate of everything this class returns.</summary>
    public const int SampleRate = 16000;

    /// <summary>The folder of the committed test utterances.</summary>
    public static string Directory => Path.Combine(RepositoryLayout.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio");

    /// <summary>The committed utterances' names, e.g. "digits-3141-jackson" (the digits spoken, the speaker).</summary>
    public static IReadOnlyList<string> UtteranceNames { get; } =
    [
        "digits-3141-jackson",
        "digits-2718-george",
        "digits-95-lucas",
        "digits-60221-nicolas",
        "digits-8-yweweler",
        "digits-4242424-jackson",
    ];

    /// <summary>The path of a committed utterance (16 kHz 16-bit mono WAV).</summary>
    public static string Utterance(string name) => Path.Combine(Directory, name + ".wav");

    /// <summary>
    /// Builds a 16 kHz utterance from FSDD recordings "{digit}_{speaker}_{index}.wav": the digits
    /// of one speaker joined by pauses, with silence before and after, upsampled from 8 kHz.
    /// </summary>
    /// <exception cref="FileNotFoundException">A recording is missing.</exception>
    /// <exception cref="InvalidDataException">A recording is not 8 kHz.</exception>
    /// <exception cref="WavFormatException">A recording is not a WAV file Media reads.</exception>
    public static float[] BuildDigitUtterance(
        string fsddDir,
        string speaker,
        int index,
        IReadOnlyList<int> digits,
        double leadSeconds = 0.3,
        double gapSeconds = 0.2,
        double tailSeconds = 0.5)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var parts = new List<float>();
        AddSilence(parts, leadSeconds);
        for (var i = 0; i < digits.Count; i++)
        {
            if (i > 0)
            {
                AddSilence(parts, gapSeconds);
            }

            var file = Path.Combine(fsddDir, $"{digits[i]}_{speaker}_{index}.wav");
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"FSDD recording not found: {file}", file);
            }

            var audio = WavFile.Read(file);
            if (audio.SampleRate != FsddSampleRate)
            {
                throw new InvalidDataException($"{file}: expected {FsddSampleRate} Hz, got {audio.SampleRate} Hz");
            }

            parts.AddRange(audio.ToMono());
        }

        AddSilence(parts, tailSeconds);
        return DoubleRateUpsampler.Upsample(parts.ToArray());
    }

    /// <summary>Writes samples as a 16-bit WAV into a new temporary file and returns its path
    /// (the caller deletes it). Read it back with <see cref="WavFile.Read"/> to get the
    /// exact samples sherpa sees.</summary>
    public static string WriteTemporaryWav(ReadOnlySpan<float> samples, int sampleRate = SampleRate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"webrtcasr-{Guid.NewGuid():N}.wav");
        WavFile.Write(path, samples, sampleRate);
        return path;
    }

    private static void AddSilence(List<float> samples, double seconds)
    {
        var count = (int)Math.Round(seconds * FsddSampleRate);
        samples.AddRange(new float[Math.Max(count, 0)]);
    }
}
