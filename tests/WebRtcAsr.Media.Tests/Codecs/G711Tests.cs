using WebRtcAsr.Media.Codecs;

namespace WebRtcAsr.Media.Tests.Codecs;

public sealed class G711Tests
{
    // ITU-T G.711 Table 2a (μ-law), per segment of 16 magnitude codes n: decision value of the
    // segment's first code, step, output value of its first code, in 14-bit magnitude units.
    // (Segment 1's first interval is [0, 1) with output 0: decision "−1" makes the arithmetic uniform.)
    private static readonly (int Decision, int Step, int Output)[] MuLawSegments =
    [
        (-1, 2, 0), (31, 4, 33), (95, 8, 99), (223, 16, 231),
        (479, 32, 495), (991, 64, 1023), (2015, 128, 2079), (4063, 256, 4191),
    ];

    // ITU-T G.711 Table 1a (A-law), 12-bit magnitude units (full scale 4096).
    private static readonly (int Decision, int Step, int Output)[] ALawSegments =
    [
        (0, 2, 1), (32, 2, 33), (64, 4, 66), (128, 8, 132),
        (256, 16, 264), (512, 32, 528), (1024, 64, 1056), (2048, 128, 2112),
    ];

    private static (int Decision, int Output) MuLawLevel(int n)
    {
        var (decision, step, output) = MuLawSegments[n >> 4];
        return (decision + (step * (n & 15)), output + (step * (n & 15)));
    }

    private static (int Decision, int Output) ALawLevel(int n)
    {
        var (decision, step, output) = ALawSegments[n >> 4];
        return (decision + (step * (n & 15)), output + (step * (n & 15)));
    }

    private static byte MuLawCode(int n, bool positive) => (byte)((positive ? 0xFF : 0x7F) - n);

    private static byte ALawCode(int n, bool positive) => (byte)((positive ? 0x80 | n : n) ^ 0x55);

    [Fact]
    public void Every_mu_law_code_decodes_to_the_reference_table()
    {
        short[] reference = ReferenceTable("g711-mulaw-decode.txt");
        for (int code = 0; code < 256; code++)
        {
            Assert.True(reference[code] == G711.MuLawToLinear((byte)code), $"code 0x{code:X2}: expected {reference[code]}, got {G711.MuLawToLinear((byte)code)}");
        }
    }

    [Fact]
    public void Every_a_law_code_decodes_to_the_reference_table()
    {
        short[] reference = ReferenceTable("g711-alaw-decode.txt");
        for (int code = 0; code < 256; code++)
        {
            Assert.True(reference[code] == G711.ALawToLinear((byte)code), $"code 0x{code:X2}: expected {reference[code]}, got {G711.ALawToLinear((byte)code)}");
        }
    }

    [Fact]
    public void Mu_law_output_values_match_itu_table_2a()
    {
        for (int n = 0; n < 128; n++)
        {
            int output16 = MuLawLevel(n).Output * 4; // 14-bit value left-justified to 16 bits
            Assert.Equal(output16, G711.MuLawToLinear(MuLawCode(n, positive: true)));
            Assert.Equal(-output16, G711.MuLawToLinear(MuLawCode(n, positive: false)));
        }
        Assert.Equal(8031, MuLawLevel(127).Output);
    }

    [Fact]
    public void A_law_output_values_match_itu_table_1a()
    {
        for (int n = 0; n < 128; n++)
        {
            int output16 = ALawLevel(n).Output * 8; // 13-bit signed value left-justified to 16 bits
            Assert.Equal(output16, G711.ALawToLinear(ALawCode(n, positive: true)));
            Assert.Equal(-output16, G711.ALawToLinear(ALawCode(n, positive: false)));
        }
        Assert.Equal(4032, ALawLevel(127).Output);
    }

    [Fact]
    public void Mu_law_encoder_switches_code_exactly_at_each_decision_value()
    {
        for (int n = 1; n < 128; n++)
        {
            int threshold16 = MuLawLevel(n).Decision * 4;
            Assert.Equal(MuLawCode(n, true), G711.LinearToMuLaw((short)threshold16));
            Assert.Equal(MuLawCode(n - 1, true), G711.LinearToMuLaw((short)(threshold16 - 1)));
            Assert.Equal(MuLawCode(n, false), G711.LinearToMuLaw((short)-threshold16));
            Assert.Equal(MuLawCode(n - 1, false), G711.LinearToMuLaw((short)-(threshold16 - 1)));
        }
        // Above the last decision value (8159) the code saturates.
        Assert.Equal(0x80, G711.LinearToMuLaw(short.MaxValue));
        Assert.Equal(0x00, G711.LinearToMuLaw(short.MinValue));
        Assert.Equal(0xFF, G711.LinearToMuLaw(0));
        Assert.Equal(0xFF, G711.LinearToMuLaw(3));
        Assert.Equal(0x7F, G711.LinearToMuLaw(-3));
    }

    [Fact]
    public void A_law_encoder_switches_code_exactly_at_each_decision_value()
    {
        for (int n = 1; n < 128; n++)
        {
            int threshold16 = ALawLevel(n).Decision * 8;
            Assert.Equal(ALawCode(n, true), G711.LinearToALaw((short)threshold16));
            Assert.Equal(ALawCode(n - 1, true), G711.LinearToALaw((short)(threshold16 - 1)));
            Assert.Equal(ALawCode(n, false), G711.LinearToALaw((short)-threshold16));
            Assert.Equal(ALawCode(n - 1, false), G711.LinearToALaw((short)-(threshold16 - 1)));
        }
        Assert.Equal(ALawCode(127, true), G711.LinearToALaw(short.MaxValue));
        Assert.Equal(ALawCode(127, false), G711.LinearToALaw(short.MinValue));
    }

    [Fact]
    public void Known_points_decode_as_the_standard_says()
    {
        Assert.Equal(0, G711.MuLawToLinear(0xFF));
        Assert.Equal(0, G711.MuLawToLinear(0x7F));
        Assert.Equal(32124, G711.MuLawToLinear(0x80));
        Assert.Equal(-32124, G711.MuLawToLinear(0x00));
        Assert.Equal(8, G711.ALawToLinear(0xD5));
        Assert.Equal(-8, G711.ALawToLinear(0x55));
        Assert.Equal(32256, G711.ALawToLinear(0xAA));
        Assert.Equal(-32256, G711.ALawToLinear(0x2A));
    }

    [Fact]
    public void Decoding_then_encoding_returns_every_code()
    {
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal((byte)code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
            // μ-law has two zeros; negative zero (0x7F) comes back as positive zero (0xFF).
            byte expected = code == 0x7F ? (byte)0xFF : (byte)code;
            Assert.Equal(expected, G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)));
        }
    }

    [Fact]
    public void Encoding_is_monotonic_and_the_error_stays_within_half_a_step()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            short sample = (short)x;
            int muError = Math.Abs(G711.MuLawToLinear(G711.LinearToMuLaw(sample)) - x);
            int aError = Math.Abs(G711.ALawToLinear(G711.LinearToALaw(sample)) - x);
            int magnitude = Math.Abs(x);
            // Half the largest step (256·4/2 = 512 for μ-law, 128·8/2 = 512 for A-law) plus the
            // clipping excess above the last decision value.
            Assert.True(muError <= Math.Max(512, magnitude - 32124 + 4), $"μ-law error {muError} at {x}");
            Assert.True(aError <= Math.Max(512, magnitude - 32256 + 8), $"A-law error {aError} at {x}");
        }
    }

    [Fact]
    public void Float_decode_and_encode_agree_with_the_16_bit_tables()
    {
        byte[] codes = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        float[] mu = new float[256];
        float[] a = new float[256];
        G711.DecodeMuLaw(codes, mu);
        G711.DecodeALaw(codes, a);
        byte[] muBack = new byte[256];
        byte[] aBack = new byte[256];
        G711.EncodeMuLaw(mu, muBack);
        G711.EncodeALaw(a, aBack);
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal(G711.MuLawToLinear((byte)code) / 32768f, mu[code]);
            Assert.Equal(G711.ALawToLinear((byte)code) / 32768f, a[code]);
            Assert.Equal(code == 0x7F ? 0xFF : code, muBack[code]);
            Assert.Equal(code, aBack[code]);
        }
        byte[] clipped = new byte[3];
        G711.EncodeMuLaw([2f, -2f, float.NaN], clipped);
        Assert.Equal(new byte[] { 0x80, 0x00, 0xFF }, clipped);
    }

    internal static short[] ReferenceTable(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Codecs", "TestData", name);
        short[] values = File.ReadLines(path)
            .Where(line => !line.StartsWith('#'))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(short.Parse)
            .ToArray();
        Assert.Equal(256, values.Length);
        return values;
    }
}
