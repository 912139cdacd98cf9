using System.Security.Cryptography;
using System.Text;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Rtc.Rtcp;

/// <summary>
/// The receiving side of RTCP for one peer's audio (RFC 3550 6.4.2). Statistics come from the
/// received RTP itself through Media's <see cref="RtpReceiveStatistics"/> (the same code that reports
/// on SIP calls): fraction and cumulative loss, extended highest sequence and A.8 jitter; LSR and DLSR
/// come from the source's last sender report. When <see cref="NextReportMicros"/> comes, the owner
/// asks for a compound RR + SDES CNAME (RFC 3550 6.1) and the next time is drawn by
/// <see cref="RtcpReportInterval"/>. Sans-IO: time is passed in; nothing is allocated per packet or
/// per report once the source is known. One owner; not thread-safe.
/// </summary>
public sealed class RtcpReceiverReporter
{
    /// <summary>Room a compound needs: an RR with one block and an SDES CNAME of up to 255 bytes.</summary>
    public const int MaxCompoundLength = 8 + ReportBlock.Size + 4 + ((4 + 2 + 255 + 1 + 3) & ~3);

    private const int Members = 2; // the browser and us

    private readonly int _clockRate;
    private readonly RtcpReceiverReportOptions _options;
    private readonly int _overheadBytes;
    private readonly Random _random;
    private readonly byte[] _cname;
    private RtpReceiveStatistics? _statistics;
    private uint _sourceSsrc;
    private double _averageRtcpSize;
    private bool _pendingSenderReport;
    private uint _pendingSenderReportSsrc;
    private ulong _pendingSenderReportNtp;
    private long _pendingSenderReportArrival;

    /// <param name="clockRate">RTP clock rate of the audio (48 000 for Opus), for jitter.</param>
    /// <param name="nowMicros">Now; the first report is due an initial interval later.</param>
    /// <param name="options">Interval floor and session bandwidth; defaults when null.</param>
    /// <param name="overheadBytes">Bytes each compound costs beyond itself (IP, UDP, SRTCP index and tag), for the average size.</param>
    /// <param name="random">Source of the interval's random draw (seeded in tests); <see cref="Random.Shared"/> when null.</param>
    public RtcpReceiverReporter(int clockRate, long nowMicros, RtcpReceiverReportOptions? options = null, int overheadBytes = RtcpReportInterval.UdpIpv4Overhead, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfNegative(overheadBytes);
        _clockRate = clockRate;
        _options = options ?? new RtcpReceiverReportOptions();
        _overheadBytes = overheadBytes;
        _random = random ?? Random.Shared;

        // A random SSRC of our own (we send no RTP) and an RFC 7022 short-term CNAME: 96 random bits, base64.
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        ReporterSsrc = BitConverter.ToUInt32(bytes) | 1; // never 0
        Cname = Convert.ToBase64String(bytes);
        _cname = Encoding.ASCII.GetBytes(Cname);

        // A.7: before anything was sent or received, the average is the size of the first report.
        _averageRtcpSize = 8 + ReportBlock.Size + 4 + ((4 + 2 + _cname.Length + 1 + 3) & ~3) + _overheadBytes;
        NextReportMicros = nowMicros + Interval(initial: true);
    }

    /// <summary>The SSRC our reports are sent from.</summary>
    public uint ReporterSsrc { get; }

    /// <summary>The CNAME in our SDES (RFC 7022: random per session).</summary>
    public string Cname { get; }

    /// <summary>When the next report is due.</summary>
    public long NextReportMicros { get; private set; }

    /// <summary>Receive statistics of the current audio source; null before its first packet.</summary>
    public RtpReceiveStatistics? Statistics => _statistics;

    /// <summary>Reports written so far.</summary>
    public long ReportsWritten { get; private set; }

    /// <summary>
    /// Counts one authenticated RTP packet of the audio source. A new SSRC (the browser replaced its
    /// track) starts fresh statistics; that is the only allocation here.
    /// </summary>
    public void OnRtp(ushort sequenceNumber, uint timestamp, uint ssrc, long arrivalMicros)
    {
        if (_statistics is null || ssrc != _sourceSsrc)
        {
            // The SSRC was authenticated by SRTP, so no probation (A.1 MIN_SEQUENTIAL) is needed.
            _statistics = new RtpReceiveStatistics(_clockRate, minSequential: 1);
            _sourceSsrc = ssrc;
        }

        _statistics.Update(sequenceNumber, timestamp, ssrc, arrivalMicros);
        if (_pendingSenderReport && _pendingSenderReportSsrc == ssrc)
        {
            _statistics.OnSenderReport(_pendingSenderReportNtp, _pendingSenderReportArrival);
            _pendingSenderReport = false;
        }
    }

    /// <summary>
    /// Takes one authenticated RTCP compound from the peer: a sender report from the audio source
    /// sets LSR and the time DLSR counts from; every compound updates the average RTCP size
    /// (RFC 3550 6.3.3). Malformed packets end the walk; what came before them counts.
    /// </summary>
    public void OnRtcp(ReadOnlySpan<byte> compound, long arrivalMicros)
    {
        _averageRtcpSize += ((compound.Length + _overheadBytes) - _averageRtcpSize) / 16;
        var reader = new RtcpCompoundReader(compound);
        while (reader.MoveNext())
        {
            var packet = reader.Current;
            if (!SenderReportView.TryParse(packet, out var report, out _))
            {
                continue;
            }

            if (_statistics is not null && report.Ssrc == _sourceSsrc)
            {
                _statistics.OnSenderReport(report.NtpTimestamp, arrivalMicros);
            }
            else
            {
                // The report came before the source's first RTP packet: keep it for when that arrives.
                _pendingSenderReport = true;
                _pendingSenderReportSsrc = report.Ssrc;
                _pendingSenderReportNtp = report.NtpTimestamp;
                _pendingSenderReportArrival = arrivalMicros;
            }
        }
    }

    /// <summary>
    /// Writes the compound RR (one block once the source sent anything) + SDES CNAME into
    /// <paramref name="destination"/> and schedules the next report. Returns its length, or 0 when
    /// <paramref name="destination"/> is shorter than <see cref="MaxCompoundLength"/> (then nothing changes).
    /// </summary>
    public int WriteReport(Span<byte> destination, long nowMicros)
    {
        if (destination.Length < MaxCompoundLength)
        {
            return 0;
        }

        int length = ReceiverReportBuilder.WriteCompound(destination, ReporterSsrc, _cname, _statistics, nowMicros);
        _averageRtcpSize += ((length + _overheadBytes) - _averageRtcpSize) / 16;
        ReportsWritten++;
        NextReportMicros = nowMicros + Interval(initial: false);
        return length;
    }

    private long Interval(bool initial) => RtcpReportInterval.ComputeMicros(
        Members, senders: _statistics is null ? 0 : 1, weSent: false, _options.SessionBandwidthBitsPerSecond,
        _averageRtcpSize, (long)_options.MinimumInterval.TotalMicroseconds, initial, _random.NextDouble());
}
