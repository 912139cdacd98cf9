using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.Tests.Srtp;

/// <summary>Our SRTP against libsrtp's output (<see cref="LibsrtpVectors"/>): same bytes out, same plaintext back.</summary>
public class LibsrtpInteropTests
{
    public static TheoryData<string> Profiles => ["AesCm128HmacSha1_80", "AesCm128HmacSha1_32", "AeadAes128Gcm", "AeadAes256Gcm"];

    private static (byte[] Key, List<(string Kind, byte[] Plain, byte[] Protected)> Packets) Group(string profile)
    {
        byte[]? key = null;
        var packets = new List<(string, byte[], byte[])>();
        bool inGroup = false;
        foreach (string raw in LibsrtpVectors.Text.Split('\n'))
        {
            string[] parts = raw.Trim().Split(' ');
            if (parts[0] == "profile")
            {
                inGroup = parts[1] == profile;
                if (inGroup)
                {
                    key = Convert.FromHexString(parts[3]);
                }
            }
            else if (inGroup && parts.Length == 3)
            {
                packets.Add((parts[0], Convert.FromHexString(parts[1]), Convert.FromHexString(parts[2])));
            }
        }

        Assert.NotNull(key);
        Assert.Equal(6, packets.Count);
        return (key!, packets);
    }

    private static SrtpContext Context(SrtpProfile profile, byte[] keyAndSalt)
    {
        var p = SrtpProfileParameters.Of(profile);
        Assert.Equal(p.KeyLength + p.SaltLength, keyAndSalt.Length);
        return new SrtpContext(profile, keyAndSalt.AsSpan(0, p.KeyLength), keyAndSalt.AsSpan(p.KeyLength));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void We_unprotect_what_libsrtp_protected(string profileName)
    {
        var profile = Enum.Parse<SrtpProfile>(profileName);
        var (key, packets) = Group(profileName);
        using var receiver = Context(profile, key);
        foreach (var (kind, plain, protectedBytes) in packets)
        {
            byte[] packet = (byte[])protectedBytes.Clone();
            var status = kind == "rtp" ? receiver.UnprotectRtp(packet, out int length) : receiver.UnprotectRtcp(packet, out length);
            Assert.Equal(SrtpStatus.Ok, status);
            Assert.Equal(Hex.Of(plain), Hex.Of(packet.AsSpan(0, length)));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void We_protect_byte_for_byte_as_libsrtp(string profileName)
    {
        var profile = Enum.Parse<SrtpProfile>(profileName);
        var (key, packets) = Group(profileName);
        using var sender = Context(profile, key);
        foreach (var (kind, plain, protectedBytes) in packets)
        {
            var buffer = new byte[protectedBytes.Length];
            plain.CopyTo(buffer, 0);
            var status = kind == "rtp"
                ? sender.ProtectRtp(buffer, plain.Length, out int length)
                : sender.ProtectRtcp(buffer, plain.Length, out length);
            Assert.Equal(SrtpStatus.Ok, status);
            Assert.Equal(Hex.Of(protectedBytes), Hex.Of(buffer.AsSpan(0, length)));
        }
    }
}
