using System.Buffers.Binary;
using WebRtcAsr.Media.Codecs;

namespace WebRtcAsr.Media.Tests.Jitter;

/// <summary>
/// A decoder for the jitter buffer's own scenarios: each payload names its packet (so a test can
/// see exactly which packet, FEC or concealment produced every block) and may carry "FEC" for the
/// previous one. Layout: [0..3] packet id, [4] 1 = carries FEC, [5] 0xFF = reject.
/// Decoded samples hold the packet id; FEC samples hold −id of the recovered packet; PLC is 0.5.
/// Real codecs run through the same buffer in the pipeline and impairment tests.
/// </summary>
internal sealed class TaggedPayloadDecoder : IAudioDecoder
{
    public const float PlcValue = 0.5f;

    public TaggedPayloadDecoder(int clockRate = 48000, int outputRate = 48000, int frameSamples = 960)
    {
        ClockRate = clockRate;
        OutputRate = outputRate;
        FrameSamples = frameSamples;
    }

    public string Name => "tagged";
    public int ClockRate { get; }
    public int OutputRate { get; }
    public int FrameSamples { get; }
    public int MaxFrameSamples => 5760;
    public string? LastError { get; private set; }
    public int FecRequestedSamples { get; private set; }

    public static byte[] Payload(int id, bool fec = false, bool reject = false)
    {
        var payload = new byte[6];
        BinaryPrimitives.WriteInt32LittleEndian(payload, id);
        payload[4] = fec ? (byte)1 : (byte)0;
        payload[5] = reject ? (byte)0xFF : (byte)0;
        return payload;
    }

    public int Decode(ReadOnlySpan<byte> payload, Span<float> output)
    {
        if (payload.Length < 6 || payload[5] == 0xFF)
        {
            LastError = "rejected";
            return -1;
        }

        LastError = null;
        output[..FrameSamples].Fill(BinaryPrimitives.ReadInt32LittleEndian(payload));
        return FrameSamples;
    }

    public int Conceal(int samples, Span<float> output)
    {
        output[..samples].Fill(PlcValue);
        return samples;
    }

    public int DecodeFec(ReadOnlySpan<byte> nextPayload, int samples, Span<float> output)
    {
        if (!HasFec(nextPayload))
        {
            return -1;
        }

        FecRequestedSamples = samples;
        output[..samples].Fill(-(BinaryPrimitives.ReadInt32LittleEndian(nextPayload) - 1));
        return samples;
    }

    public bool HasFec(ReadOnlySpan<byte> payload) => payload.Length >= 6 && payload[4] == 1;

    public void Dispose()
    {
    }
}
