using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using WebRtcAsr.Rtc.Dtls;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.Rtc.Sctp;
using WebRtcAsr.Rtc.Sdp;
using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.PeerConnection;

// The client role: offers audio (send-only Opus) and a data channel, talks to an ICE-lite,
// setup:passive server as ICE controlling agent, DTLS client and SCTP initiator. It lets tests wire two
// peers in memory and a load generator drive the server without a browser.
public sealed partial class PeerConnection
{
    /// <summary>The payload type the client offers Opus with.</summary>
    public const byte ClientOpusPayloadType = 111;

    /// <summary>Client role: a peer whose <see cref="LocalDescription"/> is an offer for audio and a data channel.</summary>
    public static PeerConnection CreateOffer(PeerConnectionOptions options, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = IceCredentials.Generate();
        var pc = new PeerConnection(options, isServer: false, local, nowMicros);
        ulong sessionId = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2;
        uint ssrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        string fingerprint = options.Certificate.FingerprintSha256.ToString();
        var sdp = new StringBuilder(1024);
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line(string.Create(CultureInfo.InvariantCulture, $"v=0"));
        Line(string.Create(CultureInfo.InvariantCulture, $"o=- {sessionId} 1 IN IP4 127.0.0.1"));
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE 0 1");
        foreach (var (media, mid) in new[] { ("audio", "0"), ("application", "1") })
        {
            Line(media == "audio"
                ? string.Create(CultureInfo.InvariantCulture, $"m=audio 9 UDP/TLS/RTP/SAVPF {ClientOpusPayloadType}")
                : "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
            Line("c=IN IP4 0.0.0.0");
            Line("a=ice-ufrag:" + local.Ufrag);
            Line("a=ice-pwd:" + local.Pwd);
            Line("a=fingerprint:" + fingerprint);
            Line("a=setup:actpass");
            Line("a=mid:" + mid);
            if (media == "audio")
            {
                Line("a=sendonly");
                Line("a=rtcp-mux");
                Line(string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{ClientOpusPayloadType} opus/48000/2"));
                Line(string.Create(CultureInfo.InvariantCulture, $"a=fmtp:{ClientOpusPayloadType} minptime=10;useinbandfec=1"));
                Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{ssrc} cname:webrtcasr-client"));
            }
            else
            {
                Line("a=sctp-port:5000");
                Line(string.Create(CultureInfo.InvariantCulture, $"a=max-message-size:{options.MaxMessageSize}"));
            }
        }

        pc.LocalDescription = sdp.ToString();
        pc.AudioSsrc = ssrc;
        pc._sctp = pc.NewDataChannelTransport(5000); // channels may be opened before the answer

        return pc;
    }

    /// <summary>Client role: the SSRC announced for our audio.</summary>
    public uint AudioSsrc { get; private set; }

    /// <summary>
    /// Client role: applies the server's answer and starts connectivity checks to its host candidates
    /// (IP literals). False with a reason when the answer is unusable.
    /// </summary>
    public bool SetRemoteAnswer(string answerSdp, long nowMicros, out string? error)
    {
        ArgumentNullException.ThrowIfNull(answerSdp);
        if (IsServer || _dtls is not null)
        {
            error = "not a client waiting for an answer";
            return false;
        }

        if (answerSdp.Length > _options.MaxSdpLength)
        {
            error = "answer too long";
            return false;
        }

        if (!SdpParser.TryParse(answerSdp, out var answer, out error))
        {
            return false;
        }

        var tag = answer!.Media.Find(m => !m.IsRejected);
        if (tag is null)
        {
            error = "answer rejected every m-line";
            return false;
        }

        string? ufrag = answer.GetTransportAttribute(tag, "ice-ufrag");
        string? pwd = answer.GetTransportAttribute(tag, "ice-pwd");
        string setup = answer.GetTransportAttribute(tag, "setup") ?? "";
        if (ufrag is null || pwd is null)
        {
            error = "answer lacks ICE credentials";
            return false;
        }

        if (setup != "passive")
        {
            error = $"answer has a=setup:{setup}; this client is always the DTLS client";
            return false;
        }

        if (!TryPickFingerprint(answer.GetFingerprints(tag).Select(f => f.ToValue()), out var expected))
        {
            error = "answer has no usable fingerprint";
            return false;
        }

        var remotes = new List<IPEndPoint>();
        foreach (var candidate in answer.Media.SelectMany(m => m.Candidates))
        {
            if (candidate.Transport == "udp" && candidate.Component == 1 && IPAddress.TryParse(candidate.Address, out var address))
            {
                var endPoint = new IPEndPoint(address, candidate.Port);
                if (!remotes.Contains(endPoint))
                {
                    remotes.Add(endPoint);
                }
            }
        }

        if (remotes.Count == 0)
        {
            error = "answer has no usable UDP host candidate";
            return false;
        }

        var data = answer.Media.Find(m => m.Media == "application" && m.IsDataChannel && !m.IsRejected);
        if (data is null)
        {
            _sctp = null;
        }
        else
        {
            _remoteMaxMessageSize = data.MaxMessageSize ?? 65536;
            if (data.SctpPort is { } port && port != 5000)
            {
                _sctp = NewDataChannelTransport(port); // (channels opened before the answer are lost: a rare case)
            }
        }

        _checks = new IceControllingChecks(LocalCredentials, ufrag, pwd, remotes, nowMicros,
            _options.CheckInterval, _options.ConsentInterval, _options.Ice.ConsentTimeout);
        _dtls = new DtlsClient(_options.Certificate, expected!, _options.Dtls);
        SetState(PeerConnectionState.Connecting, null);
        _checks.HandleTimeout(nowMicros);
        Pump(nowMicros);
        return true;
    }

    /// <summary>
    /// Client role (or any sender): protects and queues one RTP packet for the selected address.
    /// False when there are no keys yet or the queue is full.
    /// </summary>
    public bool SendRtp(ReadOnlySpan<byte> rtpPacket, long nowMicros)
    {
        _ = nowMicros;
        if (_srtpOut is null || State != PeerConnectionState.Connected || _rtpOut.Count >= _options.MaxPendingRtp
            || rtpPacket.Length + _srtpOut.RtpOverhead > MaxDatagramLength)
        {
            Counters.DroppedOutgoingRtp++;
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(rtpPacket.Length + _srtpOut.RtpOverhead);
        rtpPacket.CopyTo(buffer);
        if (_srtpOut.ProtectRtp(buffer, rtpPacket.Length, out int length) != SrtpStatus.Ok)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Counters.DroppedOutgoingRtp++;
            return false;
        }

        _rtpOut.Enqueue((buffer, length));
        return true;
    }
}
