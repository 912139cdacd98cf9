using System.Security.Cryptography;
using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// DTLS 1.2 client for DTLS-SRTP: the role of the browser towards WebRtcAsr, used by our tests
/// and the load generator. Checks the server certificate against the fingerprint from the SDP
/// answer and presents its own certificate.
/// Flights: ClientHello → [ClientHello with cookie] → Certificate, ClientKeyExchange,
/// CertificateVerify, ChangeCipherSpec, Finished.
/// </summary>
public sealed class DtlsClient : DtlsEndpoint
{
    private Step _step = Step.NotStarted;
    private DtlsPeerCertificate? _peerCertificate;
    private DtlsSrtpProfile? _profile;
    private bool _extendedMasterSecret;
    private byte[] _cookie = [];
    private byte[]? _serverPoint;
    private bool _certificateRequested;

    /// <param name="certificate">Our certificate; its fingerprint went into our SDP offer.</param>
    /// <param name="expectedPeerFingerprint">The a=fingerprint from the server's answer.</param>
    /// <param name="options">Timers, MTU, offered profiles; defaults when null.</param>
    public DtlsClient(DtlsCertificate certificate, CertificateFingerprint expectedPeerFingerprint, DtlsOptions? options = null)
        : base(certificate, expectedPeerFingerprint, options, isServer: false)
    {
    }

    private enum Step
    {
        NotStarted,
        ServerHello,
        ServerCertificate,
        ServerKeyExchange,
        CertificateRequestOrDone,
        ServerHelloDone,
        Finished,
        Done,
    }

    /// <summary>Whether the server asked for a cookie (HelloVerifyRequest) in this handshake.</summary>
    internal bool ReceivedHelloVerifyRequest => _cookie.Length > 0;

    /// <summary>Sends the first ClientHello.</summary>
    public void Start(long nowMicros)
    {
        if (_step != Step.NotStarted)
        {
            return;
        }
        ClientRandom = RandomNumberGenerator.GetBytes(DtlsWire.RandomLength);
        SendClientHello(nowMicros);
    }

    private void SendClientHello(long nowMicros)
    {
        var extensions = new DtlsHelloExtensions
        {
            ExtendedMasterSecret = Options.OfferExtendedMasterSecret,
            RenegotiationInfo = true,
            HasUseSrtp = Options.SrtpProfiles.Count > 0,
        };
        extensions.SupportedGroups.Add(DtlsWire.GroupSecp256r1);
        extensions.PointFormats.Add(DtlsWire.PointFormatUncompressed);
        extensions.SignatureAlgorithms.Add(DtlsWire.SignatureEcdsaSecp256r1Sha256);
        foreach (var p in Options.SrtpProfiles)
        {
            extensions.SrtpProfiles.Add((ushort)p);
        }
        var hello = new DtlsClientHello { Random = ClientRandom, Cookie = _cookie, Extensions = extensions };
        hello.CipherSuites.Add(DtlsWire.CipherEcdheEcdsaAes128GcmSha256);

        Transcript.Reset();
        BeginFlight();
        AddHandshakeMessage(DtlsHandshakeType.ClientHello, hello.Write());
        SendFlight(nowMicros, retransmitOnTimer: true);
        _step = Step.ServerHello;
    }

    private protected override void OnHandshakeMessage(DtlsHandshakeMessage message, long nowMicros)
    {
        switch (_step, message.Type)
        {
            case (Step.ServerHello, DtlsHandshakeType.HelloVerifyRequest):
                OnHelloVerifyRequest(message, nowMicros);
                break;
            case (Step.ServerHello, DtlsHandshakeType.ServerHello):
                OnServerHello(message);
                break;
            case (Step.ServerCertificate, DtlsHandshakeType.Certificate):
                OnServerCertificate(message);
                break;
            case (Step.ServerKeyExchange, DtlsHandshakeType.ServerKeyExchange):
                OnServerKeyExchange(message);
                break;
            case (Step.CertificateRequestOrDone, DtlsHandshakeType.CertificateRequest):
                if (!DtlsCertificateRequest.TryParse(message.Body, out var algorithms))
                {
                    Fail(DtlsAlertDescription.DecodeError, "malformed CertificateRequest");
                    return;
                }
                if (algorithms.Count > 0 && !algorithms.Contains(DtlsWire.SignatureEcdsaSecp256r1Sha256))
                {
                    Fail(DtlsAlertDescription.HandshakeFailure, "server does not accept ecdsa_secp256r1_sha256 client signatures");
                    return;
                }
                _certificateRequested = true;
                AddToTranscript(message);
                _step = Step.ServerHelloDone;
                break;
            case (Step.CertificateRequestOrDone or Step.ServerHelloDone, DtlsHandshakeType.ServerHelloDone):
                OnServerHelloDone(message, nowMicros);
                break;
            case (Step.Finished, DtlsHandshakeType.Finished):
                OnFinished(message);
                break;
            default:
                Fail(DtlsAlertDescription.UnexpectedMessage, $"unexpected {message.Type} while waiting for {_step}");
                break;
        }
    }

    private void OnHelloVerifyRequest(DtlsHandshakeMessage message, long nowMicros)
    {
        if (!DtlsHelloVerifyRequest.TryParse(message.Body, out var cookie) || cookie.Length == 0 || _cookie.Length != 0)
        {
            Fail(DtlsAlertDescription.IllegalParameter, "bad HelloVerifyRequest");
            return;
        }
        _cookie = cookie;
        SendClientHello(nowMicros);
    }

    private void OnServerHello(DtlsHandshakeMessage message)
    {
        StopRetransmitTimer();
        if (!DtlsServerHello.TryParse(message.Body, out var hello, out var error))
        {
            Fail(DtlsAlertDescription.DecodeError, error!);
            return;
        }
        if (hello!.Version != DtlsWire.Version12)
        {
            Fail(DtlsAlertDescription.ProtocolVersion, "server did not choose DTLS 1.2");
            return;
        }
        if (hello.CipherSuite != DtlsWire.CipherEcdheEcdsaAes128GcmSha256)
        {
            Fail(DtlsAlertDescription.IllegalParameter, $"server chose cipher suite 0x{hello.CipherSuite:X4} that was not offered");
            return;
        }
        var ext = hello.Extensions;
        if (ext.HasUseSrtp)
        {
            if (ext.SrtpProfiles.Count != 1 || !Options.SrtpProfiles.Contains((DtlsSrtpProfile)ext.SrtpProfiles[0]))
            {
                Fail(DtlsAlertDescription.IllegalParameter, "server chose an SRTP profile that was not offered");
                return;
            }
            _profile = (DtlsSrtpProfile)ext.SrtpProfiles[0];
        }
        else if (Options.RequireSrtp)
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "server did not negotiate an SRTP profile");
            return;
        }
        _extendedMasterSecret = ext.ExtendedMasterSecret;
        if (!_extendedMasterSecret && Options.RequireExtendedMasterSecret)
        {
            Fail(DtlsAlertDescription.HandshakeFailure, "server did not accept extended_master_secret (RFC 7627)");
            return;
        }
        ServerRandom = hello.Random;
        AddToTranscript(message);
        _step = Step.ServerCertificate;
    }

    private void OnServerCertificate(DtlsHandshakeMessage message)
    {
        if (!TryAcceptPeerCertificate(message, out _peerCertificate))
        {
            return;
        }
        AddToTranscript(message);
        _step = Step.ServerKeyExchange;
    }

    private void OnServerKeyExchange(DtlsHandshakeMessage message)
    {
        if (!DtlsServerKeyExchange.TryParse(message.Body, out var ecdhParams, out var point, out var algorithm, out var signature, out var error))
        {
            Fail(DtlsAlertDescription.HandshakeFailure, error!);
            return;
        }
        if (!_peerCertificate!.Verify(algorithm, [.. ClientRandom, .. ServerRandom, .. ecdhParams], signature))
        {
            Fail(DtlsAlertDescription.DecryptError, "ServerKeyExchange signature does not verify");
            return;
        }
        _serverPoint = point;
        AddToTranscript(message);
        _step = Step.CertificateRequestOrDone;
    }

    private void OnServerHelloDone(DtlsHandshakeMessage message, long nowMicros)
    {
        if (message.Body.Length != 0)
        {
            Fail(DtlsAlertDescription.DecodeError, "malformed ServerHelloDone");
            return;
        }
        if (!_certificateRequested)
        {
            // Without our certificate the server could not check our SDP fingerprint: not WebRTC.
            Fail(DtlsAlertDescription.HandshakeFailure, "server did not request a client certificate");
            return;
        }
        if (!AddToTranscript(message))
        {
            return;
        }
        using var ecdhe = new DtlsEcdheKey();
        if (!ecdhe.TryAgree(_serverPoint!, out var premaster))
        {
            Fail(DtlsAlertDescription.IllegalParameter, "bad server ECDH public key");
            return;
        }

        BeginFlight();
        AddHandshakeMessage(DtlsHandshakeType.Certificate, DtlsCertificateMessage.Write(LocalCertificate.Der));
        AddHandshakeMessage(DtlsHandshakeType.ClientKeyExchange, DtlsClientKeyExchange.Write(ecdhe.PublicPoint));
        DeriveKeys(premaster, _extendedMasterSecret ? Transcript.Hash() : null);
        CryptographicOperations.ZeroMemory(premaster);
        byte[] signature = LocalCertificate.SignSha256(Transcript.Messages);
        AddHandshakeMessage(DtlsHandshakeType.CertificateVerify, DtlsDigitallySigned.Write(DtlsWire.SignatureEcdsaSecp256r1Sha256, signature));
        AddChangeCipherSpec();
        AddHandshakeMessage(DtlsHandshakeType.Finished, ComputeVerifyData(fromClient: true));
        SendFlight(nowMicros, retransmitOnTimer: true);
        _step = Step.Finished;
    }

    private void OnFinished(DtlsHandshakeMessage message)
    {
        byte[] expected = ComputeVerifyData(fromClient: false);
        if (!CryptographicOperations.FixedTimeEquals(expected, message.Body))
        {
            Fail(DtlsAlertDescription.DecryptError, "server Finished does not verify");
            return;
        }
        StopRetransmitTimer();
        BeginFlight();
        _step = Step.Done;
        CompleteHandshake(_profile, _peerCertificate!.Der, _extendedMasterSecret);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _peerCertificate?.Dispose();
        }
        base.Dispose(disposing);
    }
}
