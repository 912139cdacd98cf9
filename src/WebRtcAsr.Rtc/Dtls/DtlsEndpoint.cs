using System.Buffers;
using System.Security.Cryptography;
using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// Sans-IO DTLS 1.2 endpoint for WebRTC (DTLS-SRTP): TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
/// mutual certificate authentication by SDP fingerprint, use_srtp, extended master secret.
/// Feed datagrams with <see cref="HandleReceive"/> and timer expiries with <see cref="HandleTimeout"/>;
/// drain <see cref="PollTransmit"/> and <see cref="PollEvent"/>; arm a timer for
/// <see cref="NextTimeoutMicros"/>. Nothing here reads a clock, sleeps or does IO, and no
/// input from the peer makes it throw: bad records are dropped, protocol violations end the
/// handshake with an alert and a <see cref="DtlsEventKind.Failed"/> event.
/// This class is single-owner: call it from one logical worker.
/// </summary>
public abstract class DtlsEndpoint : IDisposable
{
    /// <summary>Largest datagram <see cref="PollTransmit"/> can return (one full application data record).</summary>
    public const int MaxDatagramLength = DtlsWire.RecordHeaderLength + DtlsWire.GcmRecordOverhead + DtlsWire.MaxPlaintextLength;

    /// <summary>Largest payload one <see cref="Send"/> takes (one record, RFC 5246 6.2.1).</summary>
    public const int MaxApplicationDataLength = DtlsWire.MaxPlaintextLength;

    private readonly Queue<(byte[] Buffer, int Length)> _transmit = new();
    private readonly Queue<DtlsEvent> _events = new();
    private readonly byte[] _flightScratch;
    private readonly DtlsRecordLayer _records = new();
    private readonly DtlsFlight _flight = new();
    private byte[]? _lastEventBuffer;
    private bool _sentChangeCipherSpec;
    private bool _sentChangeCipherSpecInFlight;
    private long? _retransmitAt;
    private long _retransmitInterval;
    private int _retransmissions;
    private int _peerFlightStartSeq;
    private byte[]? _masterSecret;
    private readonly Action<byte[], int> _enqueue;

    private protected DtlsEndpoint(DtlsCertificate certificate, CertificateFingerprint expectedPeerFingerprint, DtlsOptions? options, bool isServer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(expectedPeerFingerprint);
        Options = options ?? new DtlsOptions();
        Options.Validate();
        _enqueue = Enqueue;
        _flightScratch = new byte[Options.Mtu]; // one handshake fragment never exceeds the MTU
        LocalCertificate = certificate;
        ExpectedPeerFingerprint = expectedPeerFingerprint;
        IsServer = isServer;
        _retransmitInterval = Options.InitialRetransmitMicros;
    }

    /// <summary>
    /// Demultiplexing test for a datagram arriving on the shared WebRTC port (RFC 7983): DTLS
    /// records start with a content type byte in 20..63; STUN uses 0..3, RTP/RTCP 128..191.
    /// </summary>
    public static bool LooksLikeDtls(ReadOnlySpan<byte> datagram) => !datagram.IsEmpty && datagram[0] is >= 20 and <= 63;

    /// <summary>True for the server role (the role the product takes; the client is for tests and load generation).</summary>
    public bool IsServer { get; }

    public DtlsEndpointState State { get; private set; } = DtlsEndpointState.Handshaking;

    /// <summary>Set once connected.</summary>
    public DtlsConnection? Connection { get; private set; }

    /// <summary>When <see cref="HandleTimeout"/> should next be called, in the caller's microsecond clock; null: no timer.</summary>
    public long? NextTimeoutMicros => _retransmitAt;

    /// <summary>Datagrams, records and events dropped so far (garbage, replays, full queues); for metrics.</summary>
    public long DroppedRecords { get; private set; }

    /// <summary>Application data dropped because the event queue was full.</summary>
    public long DroppedApplicationData { get; private set; }

    private protected DtlsOptions Options { get; }
    private protected DtlsCertificate LocalCertificate { get; }
    private protected CertificateFingerprint ExpectedPeerFingerprint { get; }
    private protected DtlsHandshakeReassembler Reassembler { get; } = new();
    private protected DtlsHandshakeTranscript Transcript { get; } = new();
    private protected int NextSendMessageSeq { get; set; }
    private protected byte[] ClientRandom { get; set; } = [];
    private protected byte[] ServerRandom { get; set; } = [];

    /// <summary>Processes one received datagram (it may hold several records).</summary>
    public void HandleReceive(ReadOnlySpan<byte> datagram, long nowMicros)
    {
        if (State is DtlsEndpointState.Closed or DtlsEndpointState.Failed)
        {
            return;
        }
        bool retransmitRequested = false;
        var rest = datagram;
        while (!rest.IsEmpty)
        {
            if (!DtlsRecordHeader.TryParse(rest, out var header))
            {
                DroppedRecords++;
                break;
            }
            var fragment = rest.Slice(DtlsWire.RecordHeaderLength, header.Length);
            rest = rest[(DtlsWire.RecordHeaderLength + header.Length)..];
            try
            {
                ProcessRecord(header, fragment, nowMicros, ref retransmitRequested);
            }
            catch (CryptographicException e)
            {
                // Crypto primitives reject what a hostile peer can craft (bad points, keys); that ends this handshake only.
                Fail(DtlsAlertDescription.HandshakeFailure, $"cryptographic failure: {e.Message}");
            }
            if (State is DtlsEndpointState.Closed or DtlsEndpointState.Failed)
            {
                return;
            }
        }
        if (retransmitRequested && !_flight.IsEmpty)
        {
            EmitFlight();
        }
    }

    /// <summary>Runs timers: retransmits the current flight, or fails the handshake after too many tries.</summary>
    public void HandleTimeout(long nowMicros)
    {
        if (_retransmitAt is not { } at || nowMicros < at || State != DtlsEndpointState.Handshaking)
        {
            return;
        }
        if (_retransmissions >= Options.MaxRetransmissions)
        {
            Fail(null, $"handshake timed out after {_retransmissions} retransmissions");
            return;
        }
        _retransmissions++;
        _retransmitInterval = Math.Min(_retransmitInterval * 2, Options.MaxRetransmitMicros);
        _retransmitAt = nowMicros + _retransmitInterval;
        EmitFlight();
    }

    /// <summary>
    /// Copies the next datagram to send into <paramref name="destination"/> (at least
    /// <see cref="MaxDatagramLength"/> bytes, or the MTU when no application data is sent).
    /// </summary>
    public bool PollTransmit(Span<byte> destination, out int length)
    {
        if (!_transmit.TryPeek(out var next))
        {
            length = 0;
            return false;
        }
        if (destination.Length < next.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the datagram needs {next.Length}", nameof(destination));
        }
        _transmit.Dequeue();
        next.Buffer.AsSpan(0, next.Length).CopyTo(destination);
        length = next.Length;
        ArrayPool<byte>.Shared.Return(next.Buffer);
        return true;
    }

    /// <summary>Takes the next event. Application data stays valid until the next call.</summary>
    public bool PollEvent(out DtlsEvent dtlsEvent)
    {
        if (_lastEventBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_lastEventBuffer);
            _lastEventBuffer = null;
        }
        if (!_events.TryDequeue(out dtlsEvent))
        {
            return false;
        }
        if (dtlsEvent.Kind == DtlsEventKind.ApplicationData
            && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(dtlsEvent.Data, out var segment))
        {
            _lastEventBuffer = segment.Array;
        }
        return true;
    }

    /// <summary>
    /// Sends one application data record (one SCTP packet, for WebRTC). False when not connected,
    /// when <paramref name="data"/> exceeds <see cref="MaxApplicationDataLength"/>, or when the
    /// transmit queue is full.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> data)
    {
        if (State != DtlsEndpointState.Connected || data.Length > MaxApplicationDataLength || _transmit.Count >= Options.MaxQueuedDatagrams
            || _records.Epoch1Exhausted)
        {
            // (A 48-bit record number would take centuries to wrap; refusing beats reusing a GCM nonce.)
            return false;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DtlsWire.RecordHeaderLength + DtlsWire.GcmRecordOverhead + data.Length);
        int n = _records.Write(buffer, DtlsContentType.ApplicationData, 1, data);
        _transmit.Enqueue((buffer, n));
        return true;
    }

    /// <summary>Sends close_notify and closes. A Closed event follows.</summary>
    public void Close()
    {
        if (State is DtlsEndpointState.Closed or DtlsEndpointState.Failed)
        {
            return;
        }
        SendAlert(DtlsAlertLevel.Warning, DtlsAlertDescription.CloseNotify);
        Terminate(DtlsEndpointState.Closed, DtlsEventKind.Closed, "closed locally", null);
    }

    /// <summary>RFC 5705 exporter: PRF(master_secret, label, client_random || server_random), no context.</summary>
    public byte[] ExportKeyingMaterial(string label, int length)
    {
        if (_masterSecret is null || State != DtlsEndpointState.Connected)
        {
            throw new InvalidOperationException("keying material exists only on a connected endpoint");
        }
        return DtlsKeySchedule.Export(_masterSecret, label, ClientRandom, ServerRandom, length);
    }

    /// <summary>
    /// The role's handshake logic: called with each complete handshake message, in order, once its
    /// epoch is right (only Finished comes after ChangeCipherSpec in a full handshake).
    /// </summary>
    private protected abstract void OnHandshakeMessage(DtlsHandshakeMessage message, long nowMicros);

    private void ProcessRecord(in DtlsRecordHeader header, ReadOnlySpan<byte> fragment, long nowMicros, ref bool retransmitRequested)
    {
        if (!_records.TryOpen(header, fragment, out var plaintext))
        {
            DroppedRecords++;
            return;
        }

        switch (header.Type)
        {
            case DtlsContentType.Handshake:
                ProcessHandshakeRecord(plaintext, header.Epoch, nowMicros, ref retransmitRequested);
                break;
            case DtlsContentType.ChangeCipherSpec:
                // Epoch 1 records are accepted once keys exist, so CCS carries no state here.
                break;
            case DtlsContentType.Alert:
                ProcessAlert(plaintext);
                break;
            case DtlsContentType.ApplicationData:
                DeliverApplicationData(plaintext);
                break;
            default:
                DroppedRecords++;
                break;
        }
    }

    private void ProcessHandshakeRecord(ReadOnlySpan<byte> data, ushort epoch, long nowMicros, ref bool retransmitRequested)
    {
        var reader = new TlsWireReader(data);
        while (!reader.IsEmpty)
        {
            if (!DtlsHandshakeHeader.TryParse(ref reader, out var header) || !reader.TryReadBytes(header.FragmentLength, out var fragment))
            {
                DroppedRecords++;
                return;
            }
            var disposition = Reassembler.Add(header, fragment, epoch);
            if (disposition == DtlsFragmentDisposition.Old && header.MessageSeq < _peerFlightStartSeq)
            {
                // The peer sent its previous flight again: ours was lost (RFC 6347 4.2.4).
                retransmitRequested = true;
            }
            else if (disposition == DtlsFragmentDisposition.Dropped)
            {
                DroppedRecords++;
            }
        }
        while (State == DtlsEndpointState.Handshaking && Reassembler.TryTakeNext(out var message))
        {
            if ((message!.Epoch == 1) != (message.Type == DtlsHandshakeType.Finished))
            {
                Fail(DtlsAlertDescription.UnexpectedMessage, $"{message.Type} arrived in epoch {message.Epoch}");
                return;
            }
            OnHandshakeMessage(message, nowMicros);
        }
    }

    private void ProcessAlert(ReadOnlySpan<byte> data)
    {
        if (data.Length != 2)
        {
            DroppedRecords++;
            return;
        }
        var level = (DtlsAlertLevel)data[0];
        var description = (DtlsAlertDescription)data[1];
        if (description == DtlsAlertDescription.CloseNotify)
        {
            SendAlert(DtlsAlertLevel.Warning, DtlsAlertDescription.CloseNotify);
            Terminate(State == DtlsEndpointState.Connected ? DtlsEndpointState.Closed : DtlsEndpointState.Failed,
                State == DtlsEndpointState.Connected ? DtlsEventKind.Closed : DtlsEventKind.Failed,
                "peer sent close_notify", description);
        }
        else if (level == DtlsAlertLevel.Fatal)
        {
            Terminate(DtlsEndpointState.Failed, DtlsEventKind.Failed, $"peer sent fatal alert {description}", description);
        }
    }

    private void DeliverApplicationData(ReadOnlySpan<byte> data)
    {
        if (State != DtlsEndpointState.Connected)
        {
            DroppedRecords++;
            return;
        }
        if (_events.Count >= Options.MaxQueuedEvents)
        {
            DroppedApplicationData++;
            return;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(buffer);
        _events.Enqueue(new DtlsEvent(DtlsEventKind.ApplicationData, null, buffer.AsMemory(0, data.Length), null, null));
    }

    /// <summary>Starts a new outgoing flight, dropping the previous one (the peer's reply acknowledged it).</summary>
    private protected void BeginFlight() => _flight.Clear();

    /// <summary>Appends a handshake message to the flight and to the transcript; returns its wire form.</summary>
    private protected byte[] AddHandshakeMessage(DtlsHandshakeType type, ReadOnlySpan<byte> body, bool toTranscript = true)
    {
        byte[] wire = DtlsHandshakeMessage.Encode(type, NextSendMessageSeq++, body);
        _flight.AddHandshake(_sentChangeCipherSpecInFlight ? (ushort)1 : (ushort)0, wire);
        if (toTranscript)
        {
            AddToTranscript(wire);
        }
        return wire;
    }

    /// <summary>Adds a received handshake message to the transcript; false (and the handshake failed) when it outgrows its bound.</summary>
    private protected bool AddToTranscript(DtlsHandshakeMessage message) => AddToTranscript(message.ToWire());

    private bool AddToTranscript(byte[] wire)
    {
        if (Transcript.TryAdd(wire))
        {
            return true;
        }
        Fail(DtlsAlertDescription.InternalError, "handshake transcript too large");
        return false;
    }

    /// <summary>
    /// Takes the peer's Certificate message (either role): a leaf certificate whose fingerprint is the
    /// one its SDP announced (RFC 8122 5) and whose key can verify signatures. Otherwise fails the
    /// handshake with the alert that fits and returns false.
    /// </summary>
    private protected bool TryAcceptPeerCertificate(DtlsHandshakeMessage message, out DtlsPeerCertificate? certificate)
    {
        certificate = null;
        string peer = IsServer ? "client" : "server";
        if (!DtlsCertificateMessage.TryParse(message.Body, out var leaf, out var error))
        {
            Fail(DtlsAlertDescription.DecodeError, error!);
            return false;
        }
        if (leaf is null)
        {
            Fail(DtlsAlertDescription.HandshakeFailure, $"{peer} sent an empty certificate list; WebRTC requires a certificate");
            return false;
        }
        if (!ExpectedPeerFingerprint.Matches(leaf))
        {
            Fail(DtlsAlertDescription.BadCertificate,
                $"{peer} certificate fingerprint {CertificateFingerprint.Compute(leaf, ExpectedPeerFingerprint.Algorithm)} does not match the SDP fingerprint {ExpectedPeerFingerprint}");
            return false;
        }
        if (!DtlsPeerCertificate.TryCreate(leaf, out certificate, out error))
        {
            Fail(DtlsAlertDescription.BadCertificate, error!);
            return false;
        }
        return true;
    }

    private protected void AddChangeCipherSpec()
    {
        _flight.AddChangeCipherSpec();
        _sentChangeCipherSpecInFlight = true;
    }

    /// <summary>Sends the flight. With <paramref name="retransmitOnTimer"/> it is resent on the
    /// doubling timer until the peer answers; the final flight waits for peer retransmissions only.</summary>
    private protected void SendFlight(long nowMicros, bool retransmitOnTimer)
    {
        _peerFlightStartSeq = Reassembler.NextSeq;
        _retransmissions = 0;
        _retransmitInterval = Options.InitialRetransmitMicros;
        _retransmitAt = retransmitOnTimer ? nowMicros + _retransmitInterval : null;
        EmitFlight();
    }

    /// <summary>Stops the retransmission timer: the peer's answering flight arrived.</summary>
    private protected void StopRetransmitTimer() => _retransmitAt = null;

    private void EmitFlight()
    {
        if (_flight.Emit(_records, Options.Mtu, _flightScratch, _enqueue))
        {
            _sentChangeCipherSpec = true;
        }
    }

    private void Enqueue(byte[] datagram, int length)
    {
        if (_transmit.Count >= Options.MaxQueuedDatagrams)
        {
            ArrayPool<byte>.Shared.Return(datagram);
            DroppedRecords++;
            return;
        }
        _transmit.Enqueue((datagram, length));
    }

    private void SendAlert(DtlsAlertLevel level, DtlsAlertDescription description)
    {
        ushort epoch = _sentChangeCipherSpec && _records.HasWriteKeys ? (ushort)1 : (ushort)0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64);
        int n = _records.Write(buffer, DtlsContentType.Alert, epoch, [(byte)level, (byte)description]);
        Enqueue(buffer, n);
    }

    /// <summary>Derives the master secret (extended when <paramref name="sessionHash"/> is given) and installs the record keys.</summary>
    private protected void DeriveKeys(ReadOnlySpan<byte> premaster, byte[]? sessionHash)
    {
        _masterSecret = DtlsKeySchedule.MasterSecret(premaster, sessionHash, ClientRandom, ServerRandom);
        var (write, read) = DtlsKeySchedule.RecordCiphers(_masterSecret, ClientRandom, ServerRandom, IsServer);
        _records.InstallKeys(write, read);
    }

    /// <summary>Finished verify_data over the transcript as it stands.</summary>
    private protected byte[] ComputeVerifyData(bool fromClient) => DtlsKeySchedule.VerifyData(_masterSecret!, fromClient, Transcript.Hash());

    /// <summary>Marks the handshake complete and reports it.</summary>
    private protected void CompleteHandshake(DtlsSrtpProfile? profile, byte[] peerCertificateDer, bool extendedMasterSecret)
    {
        State = DtlsEndpointState.Connected;
        DtlsSrtpKeyingMaterial? keys = null;
        if (profile is { } p)
        {
            keys = new DtlsSrtpKeyingMaterial(p, ExportKeyingMaterial("EXTRACTOR-dtls_srtp", DtlsSrtpProfileLengths.KeyingMaterialLength(p)), IsServer);
        }
        Connection = new DtlsConnection(keys, CertificateFingerprint.Compute(peerCertificateDer), peerCertificateDer,
            DtlsWire.CipherEcdheEcdsaAes128GcmSha256, extendedMasterSecret);
        _events.Enqueue(new DtlsEvent(DtlsEventKind.Connected, Connection, default, null, null));
    }

    /// <summary>Ends the handshake or connection with a fatal alert (when given) and a Failed event.</summary>
    private protected void Fail(DtlsAlertDescription? alert, string reason)
    {
        if (State is DtlsEndpointState.Closed or DtlsEndpointState.Failed)
        {
            return;
        }
        if (alert is { } a)
        {
            SendAlert(DtlsAlertLevel.Fatal, a);
        }
        Terminate(DtlsEndpointState.Failed, DtlsEventKind.Failed, reason, alert);
    }

    private void Terminate(DtlsEndpointState state, DtlsEventKind kind, string reason, DtlsAlertDescription? alert)
    {
        State = state;
        _retransmitAt = null;
        _flight.Clear();
        _events.Enqueue(new DtlsEvent(kind, null, default, reason, alert));
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _records.Dispose();
            while (_transmit.TryDequeue(out var item))
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }
            while (PollEvent(out _))
            {
                // Returns each event's pooled buffer.
            }
            PollEvent(out _);
        }
    }
}
