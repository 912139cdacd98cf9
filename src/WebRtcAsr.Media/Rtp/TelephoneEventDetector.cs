namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// The DTMF detector of one stream: turns RFC 4733 telephone-event packets into one
/// <see cref="TelephoneEventKeyPress"/> per key press. An event is identified by its RTP timestamp (its start,
/// §2.3.1): the first packet (marker bit set) opens it, updates lengthen it, and the first of the three end packets
/// (E bit, §2.5.1.4) closes it; the redundant end packets and late updates that follow carry the same timestamp
/// and are dropped. When the end packets are lost the event is closed by the next event or, sans-IO, by
/// <see cref="Poll"/> after <see cref="TelephoneEventDetectorOptions.EndTimeout"/> without an update.
/// </summary>
/// <remarks>One owner per stream, not thread-safe; allocates nothing per packet.</remarks>
public sealed class TelephoneEventDetector
{
    private readonly TelephoneEventDetectorOptions _options;
    private readonly Queue<TelephoneEventKeyPress> _presses;
    private readonly long _endTimeoutMicros;
    private TimestampUnwrapper _timestamps;
    private bool _active;
    private long _activeTimestamp;
    private long _pressTimestamp;
    private long _earlierSegments;
    private TelephoneEvent _activeEvent;
    private long _lastUpdateMicros;
    private bool _anyEnded;
    private long _lastEndedTimestamp;

    public TelephoneEventDetector(TelephoneEventDetectorOptions? options = null)
    {
        _options = options ?? new TelephoneEventDetectorOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ClockRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxPendingPresses);
        _presses = new Queue<TelephoneEventKeyPress>(_options.MaxPendingPresses);
        _endTimeoutMicros = (long)_options.EndTimeout.TotalMicroseconds;
    }

    public TelephoneEventDetectorStatistics Statistics { get; } = new();

    /// <summary>When <see cref="Poll"/> must next be called (an open event's end timeout), or null.</summary>
    public long? NextTimeoutMicros => _active ? _lastUpdateMicros + _endTimeoutMicros : null;

    /// <summary>Feeds the timestamp, marker and payload of one telephone-event RTP packet.</summary>
    public void Receive(uint rtpTimestamp, bool marker, ReadOnlySpan<byte> payload, long nowMicros)
    {
        Statistics.Packets++;
        if (!TelephoneEvent.TryParse(payload, out var value, out _))
        {
            Statistics.Malformed++;
            return;
        }

        if (!value.IsDtmf)
        {
            // Flash-hook, modem and fax tones (RFC 4734) are not key presses.
            Statistics.NotDtmf++;
            return;
        }

        long timestamp = _timestamps.Unwrap(rtpTimestamp);
        if (_anyEnded && timestamp <= _lastEndedTimestamp)
        {
            // The second and third end packets, or an update that arrived after the end: the press is reported.
            Statistics.Redundant++;
            return;
        }

        if (_active)
        {
            if (timestamp == _activeTimestamp)
            {
                Update(value, nowMicros);
                return;
            }

            if (timestamp < _activeTimestamp)
            {
                // Reordered from an earlier event that was already closed without its end.
                Statistics.Redundant++;
                return;
            }

            if (!marker && value.Event == _activeEvent.Event && timestamp == _activeTimestamp + _activeEvent.Duration)
            {
                // A long event's next segment (§2.5.1.3): the duration field would overflow, so the sender restarts
                // it at a new timestamp where the last segment ended, without the marker bit. Same key press.
                _earlierSegments += _activeEvent.Duration;
                _activeTimestamp = timestamp;
                _activeEvent = value;
                _lastUpdateMicros = nowMicros;
                Statistics.Segments++;
                if (value.End)
                {
                    Close(ended: true);
                }

                return;
            }

            // A new event began before the previous one's end packets arrived.
            Close(ended: false);
        }

        if (!marker)
        {
            // Its first packet was lost (or the sender omits the marker); the event still counts.
            Statistics.StartsWithoutMarker++;
        }

        _active = true;
        _pressTimestamp = timestamp;
        _earlierSegments = 0;
        _activeTimestamp = timestamp;
        _activeEvent = value;
        _lastUpdateMicros = nowMicros;
        if (value.End)
        {
            Close(ended: true);
        }
    }

    /// <summary>Closes an event whose end packets never came once <see cref="TelephoneEventDetectorOptions.EndTimeout"/> has passed.</summary>
    public void Poll(long nowMicros)
    {
        if (_active && nowMicros - _lastUpdateMicros >= _endTimeoutMicros)
        {
            Close(ended: false);
        }
    }

    /// <summary>End of stream: reports an open event as it stands.</summary>
    public void Flush()
    {
        if (_active)
        {
            Close(ended: false);
        }
    }

    /// <summary>Takes the oldest key press not yet taken.</summary>
    public bool TryPoll(out TelephoneEventKeyPress press) => _presses.TryDequeue(out press);

    private void Update(in TelephoneEvent value, long nowMicros)
    {
        _lastUpdateMicros = nowMicros;

        // Durations only grow within an event (§2.5.1.2); a smaller one is a reordered older update.
        if (value.Duration >= _activeEvent.Duration)
        {
            _activeEvent = _activeEvent with { Duration = value.Duration, Volume = value.Volume };
        }

        if (value.End)
        {
            Close(ended: true);
        }
    }

    private void Close(bool ended)
    {
        _active = false;
        _anyEnded = true;
        _lastEndedTimestamp = _activeTimestamp;
        if (!ended)
        {
            Statistics.EndsLost++;
        }

        if (_presses.Count == _options.MaxPendingPresses)
        {
            _presses.Dequeue();
            Statistics.PressesDropped++;
        }

        var duration = TimeSpan.FromTicks((_earlierSegments + _activeEvent.Duration) * TimeSpan.TicksPerSecond / _options.ClockRate);
        _presses.Enqueue(new TelephoneEventKeyPress(_activeEvent.Key, _activeEvent.Event, _pressTimestamp, duration, _activeEvent.Volume, ended));
        Statistics.Presses++;
    }
}
