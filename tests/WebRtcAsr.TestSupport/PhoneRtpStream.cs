using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.TestSupport;

/// <summary>
/// Builds what a phone sends: 8 kHz audio G.711-encoded into 20 ms RTP packets, and RFC 4733 key presses on the
/// same SSRC and sequence (start with the marker bit, an update every 50 ms, three end packets), each with its
/// send time.
/// </summary>
public sealed class PhoneRtpStream(uint ssrc, byte audioPayloadType = 0, byte eventPayloadType = 101)
{
    public const int SamplesPerPacket = 160;
    private ushort _sequence = 4711;
    private uint _timestamp = 160_000;
    private long _micros;

    public List<(long Micros, byte[] Packet)> Packets { get; } = [];

    /// <summary>Appends audio (8 kHz floats), padded with silence to whole packets.</summary>
    public PhoneRtpStream Audio(ReadOnlySpan<float> samples)
    {
        var payload = new byte[SamplesPerPacket];
        var frame = new float[SamplesPerPacket];
        for (var offset = 0; offset < samples.Length; offset += SamplesPerPacket)
        {
            Array.Clear(frame);
            samples.Slice(offset, Math.Min(SamplesPerPacket, samples.Length - offset)).CopyTo(frame);
            if (audioPayloadType == 8)
            {
                G711.EncodeALaw(frame, payload);
            }
            else
            {
                G711.EncodeMuLaw(frame, payload);
            }

            Add(new RtpHeader(audioPayloadType, _sequence++, _timestamp, ssrc, Marker: Packets.Count == 0), payload);
            _timestamp += SamplesPerPacket;
            _micros += 20_000;
        }

        return this;
    }

    public PhoneRtpStream Silence(int samples) => Audio(new float[samples]);

    /// <summary>One key press of <paramref name="durationSamples"/> (the audio clock), replacing audio for that time.</summary>
    public PhoneRtpStream KeyPress(byte eventCode, int durationSamples)
    {
        var payload = new byte[TelephoneEvent.Length];
        uint start = _timestamp;
        int duration = 400;
        bool first = true;
        for (; duration < durationSamples; duration += 400)
        {
            new TelephoneEvent(eventCode, false, 10, (ushort)duration).WriteTo(payload);
            Add(new RtpHeader(eventPayloadType, _sequence++, start, ssrc, Marker: first), payload);
            first = false;
            _micros += 50_000;
        }

        new TelephoneEvent(eventCode, true, 10, (ushort)durationSamples).WriteTo(payload);
        for (var i = 0; i < 3; i++)
        {
            Add(new RtpHeader(eventPayloadType, _sequence++, start, ssrc, Marker: first), payload);
            first = false;
            _micros += 20_000;
        }

        _timestamp = start + (uint)durationSamples;
        return this;
    }

    private void Add(in RtpHeader header, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[RtpPacketView.FixedHeaderLength + payload.Length];
        RtpPacketWriter.Write(packet, header, payload);
        Packets.Add((_micros, packet));
    }
}
