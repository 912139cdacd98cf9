namespace WebRtcAsr.Rtc.Sctp;

// Acknowledgements: SACK processing, RTT measurement, congestion window (RFC 9260 §6.2.1, §6.3, §7),
// the T3-rtx timer and fast retransmit.
public sealed partial class SctpAssociation
{
    private bool _peerWindowClosed;
    private bool _sackSinceT3;
    private void HandleSack(in SctpChunk chunk, long now)
    {
        if (!IsEstablished)
        {
            DropChunk("SACK before the association is up");
            return;
        }

        if (!SackChunk.TryParse(chunk.Value, out var sack, out string? error))
        {
            DropChunk(error!);
            return;
        }

        uint cumulative = sack.CumulativeTsnAck;
        if (SerialNumber.Less(cumulative, _peerCumulativeAck))
        {
            return; // older than what we know (§6.2.1 D)
        }

        if (SerialNumber.GreaterOrEqualNext(cumulative, _nextTsn))
        {
            DropChunk("SACK acknowledges a TSN never sent");
            return;
        }

        bool advanced = SerialNumber.Greater(cumulative, _peerCumulativeAck);
        int newlyAcked = ProcessCumulativeAck(cumulative, now);

        // Gap ack blocks.
        uint highestGapAcked = cumulative;
        for (int b = 0; b < sack.GapBlockCount && _inflight.Count > 0; b++)
        {
            var (start, end) = sack.GapBlock(b);
            if (start == 0 || end < start)
            {
                continue;
            }

            uint first = _inflight[0].Tsn;
            for (uint tsn = cumulative + start; SerialNumber.LessOrEqual(tsn, cumulative + end); tsn++)
            {
                uint index = tsn - first;
                if (index >= (uint)_inflight.Count)
                {
                    break;
                }

                var fragment = _inflight[(int)index];
                if (!fragment.GapAcked)
                {
                    if (fragment == _rttProbe)
                    {
                        TakeRttSample(fragment, now);
                    }

                    fragment.GapAcked = true;
                    fragment.NeedsRetransmit = false;
                    newlyAcked += fragment.Length;
                    if (fragment.InFlight)
                    {
                        fragment.InFlight = false;
                        _flightBytes -= fragment.Length;
                    }
                }
            }

            if (SerialNumber.Greater(cumulative + end, highestGapAcked))
            {
                highestGapAcked = cumulative + end;
            }
        }

        // Fast retransmit after three miss indications (§7.2.4).
        if (highestGapAcked != cumulative)
        {
            bool marked = false;
            foreach (var fragment in _inflight)
            {
                if (!SerialNumber.Less(fragment.Tsn, highestGapAcked))
                {
                    break;
                }

                if (fragment.GapAcked || fragment.Abandoned || fragment.NeedsRetransmit || fragment.FastRetransmitted)
                {
                    continue;
                }

                if (++fragment.MissIndications >= 3)
                {
                    // Each chunk is fast-retransmitted once; after that only T3 resends it (§7.2.4).
                    fragment.FastRetransmitted = true;
                    MarkForRetransmit(fragment);
                    marked = true;
                }
            }

            if (marked)
            {
                Counters.FastRetransmits++;
                if (!_inFastRecovery)
                {
                    _inFastRecovery = true;
                    _fastRecoveryExit = _nextTsn - 1;
                    _ssthresh = Math.Max(_cwnd / 2, 4 * _options.Mtu);
                    _cwnd = _ssthresh;
                    _partialBytesAcked = 0;
                    _fastRetransmitBypass = true;
                }
            }
        }

        if (_inFastRecovery && SerialNumber.LessOrEqual(_fastRecoveryExit, cumulative))
        {
            _inFastRecovery = false;
        }

        // Congestion window growth only when the cumulative point moved (§7.2.1, §7.2.2).
        if (advanced && newlyAcked > 0 && !_inFastRecovery)
        {
            if (_cwnd <= _ssthresh)
            {
                _cwnd += Math.Min(newlyAcked, _options.Mtu);
            }
            else
            {
                _partialBytesAcked += newlyAcked;
                if (_partialBytesAcked >= _cwnd)
                {
                    _partialBytesAcked -= _cwnd;
                    _cwnd += _options.Mtu;
                }
            }
        }

        _peerRwnd = Math.Max(0, (long)sack.AdvertisedReceiverWindow - _flightBytes);
        _peerWindowClosed = sack.AdvertisedReceiverWindow == 0;
        _sackSinceT3 = true;
        AfterAckProgress(now, advanced);
    }

    /// <summary>Removes everything up to the cumulative TSN ack; returns newly acknowledged bytes.</summary>
    private int ProcessCumulativeAck(uint cumulative, long now)
    {
        if (!SerialNumber.Greater(cumulative, _peerCumulativeAck) || SerialNumber.GreaterOrEqualNext(cumulative, _nextTsn))
        {
            return 0;
        }

        int newlyAcked = 0;
        int removed = 0;
        while (removed < _inflight.Count && SerialNumber.LessOrEqual(_inflight[removed].Tsn, cumulative))
        {
            var fragment = _inflight[removed++];
            if (!fragment.GapAcked && !fragment.Abandoned)
            {
                newlyAcked += fragment.Length;
            }

            if (fragment == _rttProbe)
            {
                TakeRttSample(fragment, now);
            }

            if (fragment.InFlight)
            {
                _flightBytes -= fragment.Length;
            }

            ReleaseFragment(fragment);
        }

        for (int i = 0; i < removed && _fragmentPool.Count < MaxPooledFragments; i++)
        {
            _inflight[i].Message = null!; // do not keep the message alive from the pool
            _fragmentPool.Push(_inflight[i]);
        }

        _inflight.RemoveRange(0, removed);
        _peerCumulativeAck = cumulative;
        if (SerialNumber.Less(_advancedPeerAckPoint, cumulative))
        {
            _advancedPeerAckPoint = cumulative;
        }

        _errorCount = 0;

        if (_inflight.Count == 0)
        {
            _flightBytes = 0;
        }

        if (State is SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived)
        {
            CheckShutdownProgress(now);
        }

        return newlyAcked;
    }

    private void AfterAckProgress(long now, bool advanced)
    {
        // PR-SCTP (RFC 3758 §3.5): move the advanced ack point over abandoned chunks and tell the peer.
        if (_peerForwardTsn)
        {
            foreach (var fragment in _inflight)
            {
                if (SerialNumber.LessOrEqual(fragment.Tsn, _advancedPeerAckPoint))
                {
                    continue; // already skipped by an earlier FORWARD-TSN
                }

                if (!fragment.Abandoned || fragment.Tsn != _advancedPeerAckPoint + 1)
                {
                    break;
                }

                _advancedPeerAckPoint = fragment.Tsn;
            }

            if (SerialNumber.Greater(_advancedPeerAckPoint, _peerCumulativeAck))
            {
                _forwardTsnDue = true;
            }
        }

        if (_inflight.Count == 0)
        {
            _t3Deadline = long.MaxValue;
        }
        else if (advanced || _t3Deadline == long.MaxValue)
        {
            _t3Deadline = now + _rto.Rto;
        }

        CheckShutdownProgress(now);
    }

    private void OnT3Expired(long now)
    {
        _t3Deadline = long.MaxValue;
        if (_inflight.Count == 0)
        {
            return;
        }

        Counters.RetransmissionTimeouts++;

        // A peer that keeps answering with a closed window is alive, just not reading: its lost
        // zero window probes are not errors (§6.1 A).
        bool probingClosedWindow = _peerWindowClosed && _sackSinceT3;
        _sackSinceT3 = false;
        if (!probingClosedWindow && CountError("retransmission timeouts"))
        {
            return;
        }

        // §6.3.3 E1-E3 and §7.2.3: back off, collapse the window, resend what is outstanding.
        _rto.BackOff();
        _ssthresh = Math.Max(_cwnd / 2, 4 * _options.Mtu);
        _cwnd = _options.Mtu;
        _partialBytesAcked = 0;
        _inFastRecovery = false;
        foreach (var fragment in _inflight)
        {
            if (fragment.GapAcked || fragment.Abandoned)
            {
                continue;
            }

            if (ShouldAbandon(fragment.Message, now, fragment.TransmitCount))
            {
                AbandonMessage(fragment.Message);
                continue;
            }

            MarkForRetransmit(fragment);
        }

        AfterAckProgress(now, false);
        if (SerialNumber.Greater(_advancedPeerAckPoint, _peerCumulativeAck))
        {
            _forwardTsnDue = true;
        }

        _t3Deadline = now + _rto.Rto;
    }

    private void TakeRttSample(OutboundFragment fragment, long now)
    {
        if (fragment.TransmitCount == 1)
        {
            _rto.AddSample(now - fragment.SentAtMicros);
        }

        _rttProbe = null;
    }

    private void MarkForRetransmit(OutboundFragment fragment)
    {
        _retransmitsPending = true;
        if (fragment == _rttProbe)
        {
            _rttProbe = null;
        }

        fragment.NeedsRetransmit = true;
        fragment.MissIndications = 0;
        if (fragment.InFlight)
        {
            fragment.InFlight = false;
            _flightBytes -= fragment.Length;
        }
    }
}
