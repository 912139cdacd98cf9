using System.Runtime.CompilerServices;

namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// ITU-T G.711 companding (μ-law and A-law) on 16-bit linear samples, following the standard's
/// Tables 1a/2a: μ-law works on 14-bit magnitudes (the 16-bit sample's top 14 bits), A-law on
/// 13-bit (top 13 bits). Decoded values are the tables' output values, left-justified to 16 bits.
/// </summary>
/// <remarks>
/// Quantisation is symmetric: a sample and its negation get the same magnitude code. The decision
/// value x_n of the standard belongs to the interval above it (|x| ≥ x_n gives code n).
/// </remarks>
public static class G711
{
    private const float ToFloat = 1f / 32768f;

    // μ-law: bias 33 (in 14-bit units) turns the eight segments into powers of two.
    private const int MuLawBias = 33;
    private const int MuLawMaxBiased = 8158 + MuLawBias; // beyond the last decision value 8159 the code saturates.

    private static readonly short[] MuLawTable = BuildTable(ExpandMuLaw);
    private static readonly short[] ALawTable = BuildTable(ExpandALaw);
    private static readonly float[] MuLawFloatTable = ToFloats(MuLawTable);
    private static readonly float[] ALawFloatTable = ToFloats(ALawTable);

    /// <summary>Encodes one 16-bit sample to a μ-law code (bits inverted, as transmitted).</summary>
    public static byte LinearToMuLaw(short sample)
    {
        int magnitude = Math.Abs((int)sample) >> 2;                 // 14-bit magnitude
        int biased = Math.Min(magnitude + MuLawBias, MuLawMaxBiased); // 33 .. 8191
        // Segment = position of the highest set bit above bit 5 (biased values 32..63 are segment 0).
        int segment = 31 - LeadingZeroCount(biased) - 5;
        int mantissa = (biased >> (segment + 1)) & 0x0F;
        // On the line the 7 magnitude bits are inverted and the sign bit is 1 for positive.
        int code = ((segment << 4) | mantissa) ^ 0x7F;
        if (sample >= 0)
        {
            code |= 0x80;
        }
        return (byte)code;
    }

    /// <summary>Decodes one μ-law code to its 16-bit linear value.</summary>
    public static short MuLawToLinear(byte code) => MuLawTable[code];

    /// <summary>Encodes one 16-bit sample to an A-law code (even bits inverted, as transmitted).</summary>
    public static byte LinearToALaw(short sample)
    {
        int magnitude = Math.Abs((int)sample) >> 3;   // 12-bit magnitude, 0..4096
        int code;
        if (magnitude < 32)
        {
            code = magnitude >> 1;                     // segments 0 and 1 share step 2
        }
        else
        {
            magnitude = Math.Min(magnitude, 4095);
            int segment = 31 - LeadingZeroCount(magnitude) - 4; // 1..7
            code = (segment << 4) | ((magnitude >> segment) & 0x0F);
        }
        if (sample >= 0)
        {
            code |= 0x80;
        }
        return (byte)(code ^ 0x55);
    }

    /// <summary>Decodes one A-law code to its 16-bit linear value.</summary>
    public static short ALawToLinear(byte code) => ALawTable[code];

    /// <summary>Decodes μ-law codes to float samples in [-1, 1]; <paramref name="output"/> must be at least as long.</summary>
    public static void DecodeMuLaw(ReadOnlySpan<byte> codes, Span<float> output) => Decode(codes, output, MuLawFloatTable);

    /// <summary>Decodes A-law codes to float samples in [-1, 1]; <paramref name="output"/> must be at least as long.</summary>
    public static void DecodeALaw(ReadOnlySpan<byte> codes, Span<float> output) => Decode(codes, output, ALawFloatTable);

    /// <summary>Encodes float samples (clipped to [-1, 1]) to μ-law codes.</summary>
    public static void EncodeMuLaw(ReadOnlySpan<float> samples, Span<byte> output)
    {
        CheckLength(samples.Length, output.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            output[i] = LinearToMuLaw(ToShort(samples[i]));
        }
    }

    /// <summary>Encodes float samples (clipped to [-1, 1]) to A-law codes.</summary>
    public static void EncodeALaw(ReadOnlySpan<float> samples, Span<byte> output)
    {
        CheckLength(samples.Length, output.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            output[i] = LinearToALaw(ToShort(samples[i]));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LeadingZeroCount(int value) => System.Numerics.BitOperations.LeadingZeroCount((uint)value);

    private static short ToShort(float sample)
    {
        float scaled = MathF.Round(sample * 32768f);
        return (short)Math.Clamp(scaled, short.MinValue, short.MaxValue); // NaN becomes 0
    }

    private static void Decode(ReadOnlySpan<byte> codes, Span<float> output, float[] table)
    {
        CheckLength(codes.Length, output.Length);
        ref float first = ref table[0];
        for (int i = 0; i < codes.Length; i++)
        {
            output[i] = Unsafe.Add(ref first, codes[i]); // the table has 256 entries: any byte is in range
        }
    }

    private static void CheckLength(int inputLength, int outputLength)
    {
        if (outputLength < inputLength)
        {
            throw new ArgumentException($"Output holds {outputLength} samples but the input has {inputLength}.", nameof(outputLength));
        }
    }

    // Table 2a: the output value of magnitude code m in segment s (step 2^(s+1), 14-bit units) is
    // the mid-point of its interval, (2^(s+5) + step*m + step/2) - 33; transmitted bits are inverted.
    private static short ExpandMuLaw(byte code)
    {
        int inverted = ~code & 0xFF;
        int segment = (inverted >> 4) & 0x07;
        int mantissa = inverted & 0x0F;
        int step = 2 << segment;
        int value14 = (32 << segment) + step * mantissa + (step >> 1) - MuLawBias;
        int value16 = value14 << 2;
        return (short)((inverted & 0x80) != 0 ? -value16 : value16);
    }

    // Table 1a: segments 0 and 1 have step 2 (12-bit units) from 0 and 32; segment s ≥ 1 starts at
    // 2^(s+4) with step 2^s. Output is the interval mid-point; even bits are inverted on the line.
    private static short ExpandALaw(byte code)
    {
        int value = code ^ 0x55;
        int segment = (value >> 4) & 0x07;
        int mantissa = value & 0x0F;
        int value12 = segment == 0
            ? (mantissa << 1) + 1
            : (16 << segment) + (mantissa << (segment)) + (1 << (segment - 1));
        int value16 = value12 << 3;
        return (short)((value & 0x80) != 0 ? value16 : -value16);
    }

    private static short[] BuildTable(Func<byte, short> expand)
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            table[code] = expand((byte)code);
        }
        return table;
    }

    private static float[] ToFloats(short[] table)
    {
        var floats = new float[table.Length];
        for (int i = 0; i < table.Length; i++)
        {
            floats[i] = table[i] * ToFloat;
        }
        return floats;
    }
}
