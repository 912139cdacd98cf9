using WebRtcAsr.Media.Audio;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>The committed spoken-digit WAVs (16 kHz), fed to sessions in 20 ms blocks as a transport would.</summary>
internal static class SpeechAudio
{
    public const int BlockSamples = 320;

    public static float[] Load(string name = "digits-3141-jackson.wav")
    {
        var wav = WavFile.Read(Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio", name));
        Assert.Equal(16000, wav.SampleRate);
        return wav.ToMono();
    }

    public static float[] WithSilence(float[] audio, double seconds) => [.. audio, .. new float[(int)(seconds * 16000)]];

    /// <summary>Feeds the audio in 20 ms blocks from stream position <paramref name="start"/>; waits (yields) while the session's queue is full.</summary>
    public static async Task FeedAsync(CaptionSession session, ReadOnlyMemory<float> audio, long start = 0)
    {
        for (var at = 0; at < audio.Length; at += BlockSamples)
        {
            var block = audio.Slice(at, Math.Min(BlockSamples, audio.Length - at));
            while (!session.TryWriteAudio(block.Span, start + at))
            {
                Assert.False(session.IsEnded, "the session ended while audio was fed");
                await Task.Delay(1);
            }
        }
    }
}
