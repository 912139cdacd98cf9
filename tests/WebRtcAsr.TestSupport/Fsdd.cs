using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.TestSupport;

/// <summary>One FSDD recording: "{digit}_{speaker}_{index}.wav", 8 kHz mono.</summary>
public sealed record FsddRecording(int Digit, string Speaker, int Index, string Path)
{
    /// <summary>The dataset's convention: indexes 0-4 of each speaker and digit are test, never trained on.</summary>
    public bool IsTest => Index < 5;
}

/// <summary>The Free Spoken Digit Dataset (CC BY-SA 4.0), as laid out in shared/data/fsdd.</summary>
public static class Fsdd
{
    public const int SampleRate = 8000;

    public static IReadOnlyList<FsddRecording> Recordings(string folder)
    {
        var list = new List<FsddRecording>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.wav"))
        {
            var parts = System.IO.Path.GetFileNameWithoutExtension(path).Split('_');
            if (parts.Length == 3 && int.TryParse(parts[0], out var digit) && int.TryParse(parts[2], out var index))
            {
                list.Add(new FsddRecording(digit, parts[1], index, path));
            }
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return list;
    }

    /// <summary>A recording's samples at 8 kHz.</summary>
    public static float[] Load(FsddRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var audio = WavFile.Read(recording.Path);
        if (audio.SampleRate != SampleRate)
        {
            throw new InvalidDataException($"{recording.Path}: expected {SampleRate} Hz, found {audio.SampleRate}");
        }

        return audio.ToMono();
    }
}
