using System.Security.Cryptography;
using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// DTLS 1.2 server for DTLS-SRTP (the role WebRtcAsr takes: the browser's offer says
/// a=setup:actpass and our answer says a=setup:passive). Requires a client certificate whose
/// fingerprint equals the one from the peer's SDP.
/// Flights (RFC 6347 4.2.4): [HelloVerifyRequest] → ServerHello, Certificate, ServerKeyExchange,
/// CertificateRequest, ServerHelloDone → ChangeCipherSpec, Finished.
/// </summary>
public sealed class DtlsServer : DtlsEndpoint
{
    private readonly byte[] _cookie = RandomNumberGenerator.GetBytes(20);
    private Step _step = Step.ClientHello;
    private DtlsEcdheKey? _ecdhe;
    private DtlsPeerCertificate? _peerCertificate;
    private DtlsSrtpProfile? _profile;
    private bool _extendedMasterSecret;

    /// <param name="certificate">Our certificate; its fingerprint went into our SDP answer.</param>
    /// <param name="expectedPeerFingerprint">The a=fingerprint from the peer's offer.</param>
    /// <param name="options">Timers, MTU, profiles; defaults when null.</param>
    public DtlsServer(DtlsCertificate certificate, CertificateFingerprint expectedPeerFingerprint, DtlsOptions? options = null)
        : base(certificate, expectedPeerFingerprint, options, isServer: true)
    {
    }

    private enum Step
    {
        ClientHello,
        ClientCertificate,
        ClientKeyExchange,
        CertificateVerify,
        Finished,
        Done,
    }

    private protected override void OnHandshakeMessage(DtlsHandshakeMessage message, long nowMicros)
    {
        switch (_step, message.Type)
        {
            case (Step.ClientHello, DtlsHandshakeType.ClientHello):
                OnClientHello(message, nowMicros);
                break;
            case (Step.ClientCertificate, DtlsHandshakeType.Certificate):
                OnClientCertificate(message);
                break;
            case (Step.ClientKeyExchange, DtlsHandshakeType.ClientKeyExchange):
                OnClientKeyExchange(message);
                break;
            case (Step.CertificateVerify, DtlsHandshakeType.CertificateVerify):
                OnCertificateVerify(message);
                break;
            case (Step.Finished, DtlsHandshakeType.Finished):
                OnFinished(message, nowMicros);
                break;
            case (Step.ClientCertificate, DtlsHandshakeType.ClientKeyExchange):
                Fail(DtlsAlertDescription.HandshakeFailure, "client sent no certificate; WebRTC requires one");
                break;
            default:
                Fail(DtlsAlertDescription.UnexpectedMessage, $"unexpected {message.Type} while waiting for {_step}");
                break;
        }
    }

    private void OnClientHello(DtlsHandshakeMessage message, long nowMicros)
    {
        if (!DtlsClientHello.TryParse(message.Body, out var hello, out var error))
        {
            Fail(DtlsAlertDescription.DecodeError, error!);
            return;
        }
        if (hello!.Version > DtlsWire.Version12)
        {
            // DTLS versions count down: 0xFEFF is 1.0, 0xFEFD is 1.2.
            Fail(DtlsAlertDescription.ProtocolVersion, "client does not offer DTLS 1.2");
            return;
        }
        if (Options.UseCookie && !CryptographicOperations.FixedTimeEquals(hello.Cookie, _cookie))
        {
            // Stateless answer: neither this ClientHello nor the HelloVerifyRequest enter the transcript.
            BeginFlight();
            NextSendMessageSeq = message.MessageSeq;
            AddHandshakeMessage(DtlsHandshakeType.HelloVerifyRequest, DtlsHelloVerifyRequest.Write(_cookie), toTranscript: false);
            SendFlight(nowMicros, retransmitOnTimer: false);
            return;
        }
        if (!hello.CipherSuites.Contains(DtlsWire.CipherEcdheEcdsaAes128GcmSha256))
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "client does not offer TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            return;
        }
        var ext = hello.Extensions;
        if (ext.SupportedGroups.Count > 0 && !ext.SupportedGroups.Contains(DtlsWire.GroupSecp256r1))
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "client does not support secp256r1");
            return;
        }
        if (ext.PointFormats.Count > 0 && !ext.PointFormats.Contains(DtlsWire.PointFormatUncompressed))
        {
            Fail(DtlsAlertDescription.IllegalParameter, "client does not accept uncompressed points");
            return;
        }
        if (ext.SignatureAlgorithms.Count > 0 && !ext.SignatureAlgorithms.Contains(DtlsWire.SignatureEcdsaSecp256r1Sha256))
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "client does not accept ecdsa_secp256r1_sha256 signatures");
            return;
        }
        _profile = ChooseProfile(ext.SrtpProfiles);
        if (_profile is null && Options.RequireSrtp)
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "no common SRTP protection profile (use_srtp)");
            return;
        }
        _extendedMasterSecret = ext.ExtendedMasterSecret;
        if (!_extendedMasterSecret && Options.RequireExtendedMasterSecret)
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "client does not offer extended_master_secret (RFC 7627)");
            return;
        }

        Transcript.Reset();
        if (!AddToTranscript(message))
        {
            return;
        }
        ClientRandom = hello.Random;
        ServerRandom = RandomNumberGenerator.GetBytes(DtlsWire.RandomLength);
        _ecdhe = new DtlsEcdheKey();

        var serverExtensions = new DtlsHelloExtensions
        {
            ExtendedMasterSecret = _extendedMasterSecret,
            RenegotiationInfo = ext.RenegotiationInfo || hello.CipherSuites.Contains(DtlsWire.CipherEmptyRenegotiationInfoScsv),
            HasUseSrtp = _profile is not null,
        };
        if (_profile is { } profile)
        {
            serverExtensions.SrtpProfiles.Add((ushort)profile);
        }
        if (ext.PointFormats.Count > 0)
        {
            serverExtensions.PointFormats.Add(DtlsWire.PointFormatUncompressed);
        }
        var serverHello = new DtlsServerHello
        {
            Random = ServerRandom,
            CipherSuite = DtlsWire.CipherEcdheEcdsaAes128GcmSha256,
            Extensions = serverExtensions,
        };

        byte[] ecdhParams = DtlsServerKeyExchange.WriteParams(_ecdhe.PublicPoint);
        byte[] signature = LocalCertificate.SignSha256([.. ClientRandom, .. ServerRandom, .. ecdhParams]);

        BeginFlight();
        // The ServerHello takes the message_seq of the ClientHello it answers (RFC 6347 4.2.2).
        NextSendMessageSeq = message.MessageSeq;
        AddHandshakeMessage(DtlsHandshakeType.ServerHello, serverHello.Write());
        AddHandshakeMessage(DtlsHandshakeType.Certificate, DtlsCertificateMessage.Write(LocalCertificate.Der));
        AddHandshakeMessage(DtlsHandshakeType.ServerKeyExchange,
            DtlsServerKeyExchange.Write(ecdhParams, DtlsWire.SignatureEcdsaSecp256r1Sha256, signature));
        AddHandshakeMessage(DtlsHandshakeType.CertificateRequest, DtlsCertificateRequest.Write());
        AddHandshakeMessage(DtlsHandshakeType.ServerHelloDone, []);
        SendFlight(nowMicros, retransmitOnTimer: true);
        _step = Step.ClientCertificate;
    }

    private DtlsSrtpProfile? ChooseProfile(List<ushort> offered)
    {
        foreach (var preferred in Options.SrtpProfiles)
        {
            if (offered.Contains((ushort)preferred))
            {
                return preferred;
            }
        }
        return null;
    }

    private void OnClientCertificate(DtlsHandshakeMessage message)
    {
        StopRetransmitTimer();
        if (!TryAcceptPeerCertificate(message, out _peerCertificate))
        {
            return;
        }
        AddToTranscript(message);
        _step = Step.ClientKeyExchange;
    }

    private void OnClientKeyExchange(DtlsHandshakeMessage message)
    {
        if (!DtlsClientKeyExchange.TryParse(message.Body, out var point) || !_ecdhe!.TryAgree(point, out var premaster))
        {
            Fail(DtlsAlertDescription.IllegalParameter, "bad client ECDH public key");
            return;
        }
        if (!AddToTranscript(message))
        {
            return;
        }
        DeriveKeys(premaster, _extendedMasterSecret ? Transcript.Hash() : null);
        CryptographicOperations.ZeroMemory(premaster);
        _ecdhe.Dispose();
        _ecdhe = null;
        _step = Step.CertificateVerify;
    }

    private void OnCertificateVerify(DtlsHandshakeMessage message)
    {
        if (!DtlsDigitallySigned.TryParse(message.Body, out var algorithm, out var signature))
        {
            Fail(DtlsAlertDescription.DecodeError, "malformed CertificateVerify");
            return;
        }
        if (!_peerCertificate!.Verify(algorithm, Transcript.Messages, signature))
        {
            Fail(DtlsAlertDescription.DecryptError, "client CertificateVerify signature does not verify");
            return;
        }
        AddToTranscript(message);
        _step = Step.Finished;
    }

    private void OnFinished(DtlsHandshakeMessage message, long nowMicros)
    {
        byte[] expected = ComputeVerifyData(fromClient: true);
        if (!CryptographicOperations.FixedTimeEquals(expected, message.Body))
        {
            Fail(DtlsAlertDescription.DecryptError, "client Finished does not verify");
            return;
        }
        if (!AddToTranscript(message))
        {
            return;
        }
        byte[] verifyData = ComputeVerifyData(fromClient: false);
        BeginFlight();
        AddChangeCipherSpec();
        AddHandshakeMessage(DtlsHandshakeType.Finished, verifyData);
        // The last flight is not timed: it is resent only when the client retransmits its flight.
        SendFlight(nowMicros, retransmitOnTimer: false);
        _step = Step.Done;
        CompleteHandshake(_profile, _peerCertificate!.Der, _extendedMasterSecret);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ecdhe?.Dispose();
            _peerCertificate?.Dispose();
        }
        base.Dispose(disposing);
    }
}
