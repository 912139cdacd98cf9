using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Rtc.Rtcp;
using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.PeerConnection;

// RTCP both ways over SRTCP. The server role sends receiver reports about the browser's audio
// (RtcpReceiverReporter, on its own randomized interval through NextTimeoutMicros) so the browser
// sees loss, jitter and round-trip time; the client role reads the reception reports it is sent. One
// outgoing compound waits at a time in a buffer owned by the peer: nothing is allocated per report.
public sealed partial class PeerConnection
{
    private readonly byte[] _rtcpOut = new byte[RtcpReceiverReporter.MaxCompoundLength + 64];
    private int _rtcpOutLength;
    private RtcpReceiverReporter? _reporter;

    /// <summary>Server role: our receiver reports about the audio source (statistics, schedule); null before Connected or without audio.</summary>
    public RtcpReceiverReporter? ReceiverReports => _reporter;

    /// <summary>
    /// The last reception report the remote sent about our audio (client role: the server's RR
    /// block for <see cref="AudioSsrc"/>); null until one arrived.
    /// </summary>
    public ReportBlock? RemoteReceptionReport { get; private set; }

    /// <summary>When <see cref="RemoteReceptionReport"/> arrived (for round-trip time from its LSR and DLSR).</summary>
    public long? RemoteReceptionReportAtMicros { get; private set; }

    /// <summary>
    /// Protects and queues one RTCP compound (e.g. a sender report from the client role). False when
    /// there are no keys yet, it does not fit, or a compound is already waiting to be sent.
    /// </summary>
    public bool SendRtcp(ReadOnlySpan<byte> compound, long nowMicros)
    {
        _ = nowMicros;
        if (_srtpOut is null || State != PeerConnectionState.Connected || _rtcpOutLength > 0
            || compound.Length + _srtpOut.RtcpOverhead > _rtcpOut.Length)
        {
            return false;
        }

        compound.CopyTo(_rtcpOut);
        return Protect(compound.Length);
    }

    private long ReceiverReportDeadline =>
        _reporter is not null && State == PeerConnectionState.Connected && !_closing ? _reporter.NextReportMicros : long.MaxValue;

    private void StartReceiverReports(long nowMicros)
    {
        if (!IsServer || _options.ReceiverReports is null || Negotiation?.AudioCodecs is not [var codec, ..] || _srtpOut is null)
        {
            return;
        }

        var options = _options.ReceiverReports;
        _reporter = new RtcpReceiverReporter(codec.ClockRate, nowMicros, options, RtcpReportInterval.UdpIpv4Overhead + _srtpOut.RtcpOverhead,
            options.RandomSeed is int seed ? new Random(seed) : null);
    }

    private void SendReceiverReportIfDue(long nowMicros)
    {
        if (_reporter is null || _srtpOut is null || nowMicros < ReceiverReportDeadline)
        {
            return;
        }

        // A report still waiting is superseded by the new one: it carries the newer counts.
        int length = _reporter.WriteReport(_rtcpOut, nowMicros);
        if (length == 0 || !Protect(length))
        {
            Counters.DroppedRtcp++;
        }
    }

    private bool Protect(int rtcpLength)
    {
        if (_srtpOut!.ProtectRtcp(_rtcpOut, rtcpLength, out int length) != SrtpStatus.Ok)
        {
            _rtcpOutLength = 0;
            return false;
        }

        _rtcpOutLength = length;
        return true;
    }

    private bool TryTakeRtcp(Span<byte> destination, out int length)
    {
        length = _rtcpOutLength;
        if (length == 0)
        {
            return false;
        }

        _rtcpOut.AsSpan(0, length).CopyTo(destination);
        _rtcpOutLength = 0;
        Counters.RtcpSent++;
        return true;
    }

    /// <summary>An authenticated compound from the peer: sender reports feed our reports; reports about our audio are kept.</summary>
    private void OnRtcp(ReadOnlySpan<byte> compound, long nowMicros)
    {
        _reporter?.OnRtcp(compound, nowMicros);
        if (IsServer)
        {
            return;
        }

        var reader = new RtcpCompoundReader(compound);
        while (reader.MoveNext())
        {
            var packet = reader.Current;
            if (ReceiverReportView.TryParse(packet, out var rr, out _))
            {
                for (int i = 0; i < rr.ReportCount; i++)
                {
                    KeepReport(rr.GetReport(i), nowMicros);
                }
            }
            else if (SenderReportView.TryParse(packet, out var sr, out _))
            {
                for (int i = 0; i < sr.ReportCount; i++)
                {
                    KeepReport(sr.GetReport(i), nowMicros);
                }
            }
        }
    }

    private void KeepReport(in ReportBlock block, long nowMicros)
    {
        if (block.Ssrc == AudioSsrc)
        {
            RemoteReceptionReport = block;
            RemoteReceptionReportAtMicros = nowMicros;
        }
    }
}
