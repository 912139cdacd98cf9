namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// The master keys and salts of both directions, as DTLS-SRTP delivers them (RFC 5764 4.2):
/// the exporter output is client key | server key | client salt | server salt.
/// </summary>
public sealed class SrtpKeyingMaterial
{
    private SrtpKeyingMaterial(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt)
    {
        Profile = profile;
        LocalMasterKey = localKey;
        LocalMasterSalt = localSalt;
        RemoteMasterKey = remoteKey;
        RemoteMasterSalt = remoteSalt;
    }

    /// <summary>The DTLS exporter label for SRTP keys (RFC 5764 4.2).</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    public SrtpProfile Profile { get; }

    /// <summary>Key that protects what this side sends.</summary>
    public byte[] LocalMasterKey { get; }
    public byte[] LocalMasterSalt { get; }

    /// <summary>Key that protects what the other side sends (what we unprotect).</summary>
    public byte[] RemoteMasterKey { get; }
    public byte[] RemoteMasterSalt { get; }

    /// <summary>Bytes to request from the DTLS exporter for <paramref name="profile"/>.</summary>
    public static int ExportLength(SrtpProfile profile) => SrtpProfileParameters.Of(profile).ExportLength;

    /// <param name="exported">The exporter output, exactly <see cref="ExportLength"/> bytes.</param>
    /// <param name="profile">The negotiated profile.</param>
    /// <param name="isServer">True when this side was the DTLS server: it writes with the server key.</param>
    public static SrtpKeyingMaterial FromDtlsExport(ReadOnlySpan<byte> exported, SrtpProfile profile, bool isServer)
    {
        var p = SrtpProfileParameters.Of(profile);
        if (exported.Length != p.ExportLength)
        {
            throw new ArgumentException($"expected {p.ExportLength} exported bytes for {profile}, got {exported.Length}", nameof(exported));
        }

        byte[] clientKey = exported[..p.KeyLength].ToArray();
        byte[] serverKey = exported.Slice(p.KeyLength, p.KeyLength).ToArray();
        byte[] clientSalt = exported.Slice(2 * p.KeyLength, p.SaltLength).ToArray();
        byte[] serverSalt = exported.Slice(2 * p.KeyLength + p.SaltLength, p.SaltLength).ToArray();
        return isServer
            ? new SrtpKeyingMaterial(profile, serverKey, serverSalt, clientKey, clientSalt)
            : new SrtpKeyingMaterial(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    /// <summary>A context that protects what this side sends.</summary>
    public SrtpContext CreateOutboundContext(SrtpContextOptions? options = null) =>
        new(Profile, LocalMasterKey, LocalMasterSalt, options);

    /// <summary>A context that unprotects what the other side sends.</summary>
    public SrtpContext CreateInboundContext(SrtpContextOptions? options = null) =>
        new(Profile, RemoteMasterKey, RemoteMasterSalt, options);
}
