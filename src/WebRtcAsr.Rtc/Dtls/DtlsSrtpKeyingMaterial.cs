namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// SRTP master keys and salts derived from a DTLS-SRTP handshake (RFC 5764 4.2): the exporter
/// output with label "EXTRACTOR-dtls_srtp" is split as client_write_key | server_write_key |
/// client_write_salt | server_write_salt. The client protects what it sends with the client keys,
/// the server with the server keys; <see cref="LocalMasterKey"/> and friends pick them for this side.
/// </summary>
public sealed class DtlsSrtpKeyingMaterial
{
    private readonly byte[] _exported;
    private readonly int _keyLength;
    private readonly int _saltLength;

    public DtlsSrtpKeyingMaterial(DtlsSrtpProfile profile, byte[] exported, bool isServer)
    {
        ArgumentNullException.ThrowIfNull(exported);
        if (exported.Length != DtlsSrtpProfileLengths.KeyingMaterialLength(profile))
        {
            throw new ArgumentException("exported keying material has the wrong length for the profile", nameof(exported));
        }
        Profile = profile;
        IsServer = isServer;
        _exported = exported;
        _keyLength = DtlsSrtpProfileLengths.KeyLength(profile);
        _saltLength = DtlsSrtpProfileLengths.SaltLength(profile);
    }

    /// <summary>The negotiated SRTP protection profile.</summary>
    public DtlsSrtpProfile Profile { get; }

    /// <summary>True when this side was the DTLS server.</summary>
    public bool IsServer { get; }

    /// <summary>The whole exporter output (2 × (key + salt) bytes).</summary>
    public ReadOnlySpan<byte> Exported => _exported;

    public ReadOnlySpan<byte> ClientWriteKey => _exported.AsSpan(0, _keyLength);

    public ReadOnlySpan<byte> ServerWriteKey => _exported.AsSpan(_keyLength, _keyLength);

    public ReadOnlySpan<byte> ClientWriteSalt => _exported.AsSpan(2 * _keyLength, _saltLength);

    public ReadOnlySpan<byte> ServerWriteSalt => _exported.AsSpan(2 * _keyLength + _saltLength, _saltLength);

    /// <summary>Master key for SRTP/SRTCP this side sends.</summary>
    public ReadOnlySpan<byte> LocalMasterKey => IsServer ? ServerWriteKey : ClientWriteKey;

    /// <summary>Master salt for SRTP/SRTCP this side sends.</summary>
    public ReadOnlySpan<byte> LocalMasterSalt => IsServer ? ServerWriteSalt : ClientWriteSalt;

    /// <summary>Master key for SRTP/SRTCP this side receives.</summary>
    public ReadOnlySpan<byte> RemoteMasterKey => IsServer ? ClientWriteKey : ServerWriteKey;

    /// <summary>Master salt for SRTP/SRTCP this side receives.</summary>
    public ReadOnlySpan<byte> RemoteMasterSalt => IsServer ? ClientWriteSalt : ServerWriteSalt;
}
