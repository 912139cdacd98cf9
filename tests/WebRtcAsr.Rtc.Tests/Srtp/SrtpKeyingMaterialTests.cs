using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.Tests.Srtp;

public class SrtpKeyingMaterialTests
{
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 16, 14)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12)]
    [InlineData(SrtpProfile.AeadAes256Gcm, 32, 12)]
    public void Export_is_split_client_key_server_key_client_salt_server_salt(SrtpProfile profile, int keyLength, int saltLength)
    {
        int total = SrtpKeyingMaterial.ExportLength(profile);
        Assert.Equal(2 * (keyLength + saltLength), total);
        byte[] exported = Enumerable.Range(0, total).Select(i => (byte)i).ToArray();
        byte[] clientKey = exported[..keyLength];
        byte[] serverKey = exported[keyLength..(2 * keyLength)];
        byte[] clientSalt = exported[(2 * keyLength)..(2 * keyLength + saltLength)];
        byte[] serverSalt = exported[(2 * keyLength + saltLength)..];

        var server = SrtpKeyingMaterial.FromDtlsExport(exported, profile, isServer: true);
        Assert.Equal(serverKey, server.LocalMasterKey);
        Assert.Equal(serverSalt, server.LocalMasterSalt);
        Assert.Equal(clientKey, server.RemoteMasterKey);
        Assert.Equal(clientSalt, server.RemoteMasterSalt);

        var client = SrtpKeyingMaterial.FromDtlsExport(exported, profile, isServer: false);
        Assert.Equal(clientKey, client.LocalMasterKey);
        Assert.Equal(serverKey, client.RemoteMasterKey);

        // What the client protects, the server unprotects.
        using var outbound = client.CreateOutboundContext();
        using var inbound = server.CreateInboundContext();
        byte[] rtp = SrtpPackets.Rtp(42);
        byte[] buffer = SrtpPackets.WithRoom(rtp, outbound.RtpOverhead);
        Assert.Equal(SrtpStatus.Ok, outbound.ProtectRtp(buffer, rtp.Length, out _));
        Assert.Equal(SrtpStatus.Ok, inbound.UnprotectRtp(buffer, out int length));
        Assert.Equal(rtp, buffer[..length]);
    }

    [Fact]
    public void Wrong_export_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SrtpKeyingMaterial.FromDtlsExport(new byte[59], SrtpProfile.AesCm128HmacSha1_80, true));
    }
}
