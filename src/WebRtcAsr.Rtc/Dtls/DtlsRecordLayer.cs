namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The record layer of one endpoint (RFC 6347 4.1): per-epoch write sequence numbers, epoch-1
/// AES-128-GCM protection once keys are installed, the anti-replay window, and the rules for which
/// unprotected records are still believable. Epoch 1 records are opened as soon as the keys exist
/// (not only after ChangeCipherSpec), so a reordered Finished does not cost a retransmission.
/// </summary>
internal sealed class DtlsRecordLayer : IDisposable
{
    private readonly long[] _writeSequence = new long[2];
    private readonly byte[] _plaintext = new byte[DtlsWire.MaxPlaintextLength + 256];
    private DtlsGcmRecordCipher? _readCipher;
    private DtlsGcmRecordCipher? _writeCipher;
    private DtlsReplayWindow _replay;

    /// <summary>The peer has sent an authentic epoch-1 record; from now on unprotected alerts are forgeries.</summary>
    public bool PeerUsesEpoch1 { get; private set; }

    public bool HasWriteKeys => _writeCipher is not null;

    /// <summary>True when no more epoch-1 records may be sent without reusing a record number (and GCM nonce).</summary>
    public bool Epoch1Exhausted => _writeSequence[1] >= DtlsRecordHeader.MaxSequenceNumber;

    public void InstallKeys(DtlsGcmRecordCipher write, DtlsGcmRecordCipher read)
    {
        _writeCipher?.Dispose();
        _readCipher?.Dispose();
        _writeCipher = write;
        _readCipher = read;
    }

    /// <summary>Writes one record (header and, for epoch 1, protected fragment); returns its length.</summary>
    public int Write(Span<byte> destination, DtlsContentType type, ushort epoch, ReadOnlySpan<byte> payload)
    {
        long sequence = _writeSequence[epoch]++;
        var header = new DtlsRecordHeader(type, DtlsWire.Version12, epoch, sequence, payload.Length);
        if (epoch == 0)
        {
            header.Write(destination);
            payload.CopyTo(destination[DtlsWire.RecordHeaderLength..]);
            return DtlsWire.RecordHeaderLength + payload.Length;
        }
        int fragmentLength = _writeCipher!.Seal(header, payload, destination[DtlsWire.RecordHeaderLength..]);
        (header with { Length = fragmentLength }).Write(destination);
        return DtlsWire.RecordHeaderLength + fragmentLength;
    }

    /// <summary>
    /// Checks and, for epoch 1, authenticates and decrypts one received record. The plaintext is
    /// the fragment itself (epoch 0) or an internal buffer valid until the next call.
    /// </summary>
    public bool TryOpen(in DtlsRecordHeader header, ReadOnlySpan<byte> fragment, out ReadOnlySpan<byte> plaintext)
    {
        plaintext = default;
        if (header.Version is not DtlsWire.Version12 and not DtlsWire.Version10)
        {
            return false;
        }
        if (header.Epoch == 0)
        {
            // Application data is never unprotected; alerts are not once the peer protects records.
            if (header.Type == DtlsContentType.ApplicationData || (PeerUsesEpoch1 && header.Type == DtlsContentType.Alert))
            {
                return false;
            }
            plaintext = fragment;
            return true;
        }
        if (header.Epoch != 1 || _readCipher is null || !_replay.IsFresh(header.SequenceNumber)
            || !_readCipher.TryOpen(header, fragment, _plaintext, out int length))
        {
            return false;
        }
        _replay.Accept(header.SequenceNumber);
        PeerUsesEpoch1 = true;
        plaintext = _plaintext.AsSpan(0, length);
        return true;
    }

    public void Dispose()
    {
        _readCipher?.Dispose();
        _writeCipher?.Dispose();
    }
}
