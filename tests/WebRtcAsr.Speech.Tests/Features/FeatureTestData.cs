using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using WebRtcAsr.Speech.Features;

namespace WebRtcAsr.Speech.Tests.Features;

/// <summary>Reads the committed test signals and reference frames in Features/Data.</summary>
internal static class FeatureTestData
{
    public const int Dim = 80;

    public static readonly string[] ReferenceSignals = ["fsdd_5_nicolas_2", "chirp_100_7000", "silence_then_tone"];

    /// <summary>16-bit mono WAV as floats in [-1, 1) (int16 / 32768, exact in float).</summary>
    public static float[] ReadWav(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(DataDirectory(), name + ".wav"));
        int pos = 12;
        while (pos + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 4));
            if (id == "data")
            {
                var samples = new float[size / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(pos + 8 + (2 * i))) / 32768f;
                }

                return samples;
            }

            pos += 8 + size;
        }

        throw new InvalidDataException($"{name}.wav has no data chunk.");
    }

    /// <summary>A raw little-endian float32 signal.</summary>
    public static float[] ReadRawFloats(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(DataDirectory(), file));
        var samples = new float[bytes.Length / 4];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }

        return samples;
    }

    /// <summary>Reference frames (frames × 80 float32, little-endian).</summary>
    public static float[][] ReadReference(string name) => ReadFrames(name + ".fbank.f32", Dim);

    public static float[][] ReadFrames(string file, int dim)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(DataDirectory(), file));
        var frames = new float[bytes.Length / (4 * dim)][];
        for (int f = 0; f < frames.Length; f++)
        {
            frames[f] = new float[dim];
            for (int i = 0; i < dim; i++)
            {
                frames[f][i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * ((f * dim) + i)));
            }
        }

        return frames;
    }

    /// <summary>All frames of a whole signal, fed in one call then flushed.</summary>
    public static float[][] WholeSignalFrames(float[] samples, FbankOptions? options = null)
    {
        var fbank = new OnlineFbank(options ?? new FbankOptions());
        fbank.AcceptWaveform(samples);
        fbank.InputFinished();
        return ReadAll(fbank);
    }

    public static float[][] ReadAll(OnlineFbank fbank, int from = 0)
    {
        var frames = new float[fbank.NumFramesReady - from][];
        for (int f = from; f < fbank.NumFramesReady; f++)
        {
            frames[f - from] = new float[fbank.Dim];
            fbank.GetFrame(f, frames[f - from]);
        }

        return frames;
    }

    /// <summary>Fails unless both frame lists have the same float bits everywhere.</summary>
    public static void AssertBitwiseEqual(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int f = 0; f < expected.Length; f++)
        {
            for (int b = 0; b < expected[f].Length; b++)
            {
                if (BitConverter.SingleToInt32Bits(expected[f][b]) != BitConverter.SingleToInt32Bits(actual[f][b]))
                {
                    Assert.Fail($"frame {f} bin {b}: expected {expected[f][b]:R}, got {actual[f][b]:R}");
                }
            }
        }
    }

    // The data sits beside this source file; a build that copies it next to the test assembly
    // (Features/Data) is preferred when present.
    private static string DataDirectory([CallerFilePath] string sourceFile = "")
    {
        string copied = Path.Combine(AppContext.BaseDirectory, "Features", "Data");
        if (Directory.Exists(copied))
        {
            return copied;
        }

        string besideSource = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Data");
        if (Directory.Exists(besideSource))
        {
            return besideSource;
        }

        throw new DirectoryNotFoundException($"Test data not found in {copied} nor {besideSource}.");
    }
}
