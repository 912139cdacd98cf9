using System.Net;
using System.Net.Sockets;
using WebRtcAsr.Rtc.Certificates;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// What a test against an external DTLS peer (OpenSSL, GnuTLS) needs: our certificate, the peer's, and a scratch
/// folder where the peer's certificate and key are written as PEM files for its command line.
/// </summary>
public abstract class DtlsPeerCertificates(string folderPrefix) : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    protected DtlsCertificate Ours { get; } = DtlsCertificate.Generate(DateTimeOffset.UtcNow);

    protected DtlsCertificate Theirs { get; } = DtlsCertificate.Generate(DateTimeOffset.UtcNow);

    /// <summary>Writes the peer's certificate and key; their paths.</summary>
    protected (string Cert, string Key) WriteTheirs()
    {
        string cert = Path.Combine(Folder, "peer.pem");
        string key = Path.Combine(Folder, "peer.key");
        File.WriteAllText(cert, Theirs.ExportCertificatePem());
        File.WriteAllText(key, Theirs.ExportPrivateKeyPem());
        return (cert, key);
    }

    /// <summary>A UDP port free on 127.0.0.1 now, for a peer that must be told its port on its command line.</summary>
    protected static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        Ours.Dispose();
        Theirs.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
