using System.Net;
using WebRtcAsr.Sip.Security;

namespace WebRtcAsr.Sip.Tests.Security;

public class DigestAuthenticatorTests
{
    private static readonly IPAddress Trunk = IPAddress.Parse("198.51.100.7");

    private static DigestAuthenticator Authenticator() => new(new DigestAuthOptions
    {
        Realm = "trunk.example.com",
        Passwords = new Dictionary<string, string> { ["carrier"] = "s3cret" },
        NonceKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)],
    });

    [Fact]
    public void Rfc2617_section_3_5_example_response()
    {
        Assert.Equal("6629fae49393a05397450978507c4ef1", DigestComputation.Response(
            DigestAlgorithm.Md5, false, "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth"));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_section_3_9_1_examples(DigestAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, DigestComputation.Response(
            algorithm, false, "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
            "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth"));
    }

    [Fact]
    public void Rfc7616_authorization_header_parses()
    {
        Assert.True(DigestCredentials.TryParse("""
            Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
            """.ReplaceLineEndings(" "), out var credentials));
        Assert.Equal("Mufasa", credentials.Username);
        Assert.Equal("SHA-256", credentials.Algorithm);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal("auth", credentials.Qop);
        Assert.False(DigestCredentials.TryParse("Basic dXNlcjpwYXNz", out _));
        Assert.False(DigestCredentials.TryParse("Digest username=\"unterminated", out _));
    }

    private static string Authorize(string nonce, DigestAlgorithm algorithm, string password, string nc, string uri = "sip:100@trunk.example.com")
    {
        var response = DigestComputation.Response(algorithm, false, "carrier", "trunk.example.com", password, "INVITE", uri, nonce, nc, "abc", "auth");
        return $"Digest username=\"carrier\", realm=\"trunk.example.com\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={DigestComputation.Name(algorithm)}, cnonce=\"abc\", qop=auth, nc={nc}";
    }

    private static string NonceOf(string challenge) => challenge.Split("nonce=\"")[1].Split('"')[0];

    [Theory]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Md5)]
    public void Challenge_then_valid_credentials_are_accepted_and_replays_refused(DigestAlgorithm algorithm)
    {
        var auth = Authenticator();
        var now = TimeSpan.FromSeconds(100);
        Assert.Equal(DigestVerdict.Missing, auth.Verify("INVITE", "sip:100@trunk.example.com", [], now, Trunk, out _));
        var challenges = auth.Challenge(now, Trunk, stale: false);
        Assert.Equal(2, challenges.Count);
        Assert.Contains("algorithm=SHA-256", challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenges[1], StringComparison.Ordinal);
        var nonce = NonceOf(challenges[algorithm == DigestAlgorithm.Sha256 ? 0 : 1]);

        Assert.Equal(DigestVerdict.Accepted, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(nonce, algorithm, "s3cret", "00000001")], now, Trunk, out var user));
        Assert.Equal("carrier", user);
        Assert.Equal(DigestVerdict.Stale, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(nonce, algorithm, "s3cret", "00000001")], now, Trunk, out _));
        Assert.Equal(DigestVerdict.Accepted, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(nonce, algorithm, "s3cret", "00000002")], now, Trunk, out _));
    }

    [Fact]
    public void Digest_uri_with_only_host_and_port_is_accepted_for_that_target()
    {
        var auth = Authenticator();
        var now = TimeSpan.FromSeconds(100);
        var nonce = NonceOf(auth.Challenge(now, Trunk, false)[1]);
        var credentials = Authorize(nonce, DigestAlgorithm.Md5, "s3cret", "00000001", uri: "sip:trunk.example.com:5060");
        Assert.Equal(DigestVerdict.Accepted, auth.Verify("INVITE", "sip:100@trunk.example.com:5060", [credentials], now, Trunk, out _));
        Assert.Equal(DigestVerdict.Rejected, auth.Verify("INVITE", "sip:100@trunk.example.com:5070", [Authorize(nonce, DigestAlgorithm.Md5, "s3cret", "00000002", uri: "sip:trunk.example.com:5060")], now, Trunk, out _));
    }

    [Fact]
    public void Wrong_password_uri_source_or_age_are_told_apart()
    {
        var auth = Authenticator();
        var now = TimeSpan.FromSeconds(100);
        var nonce = NonceOf(auth.Challenge(now, Trunk, false)[0]);
        Assert.Equal(DigestVerdict.Rejected, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(nonce, DigestAlgorithm.Sha256, "guess", "00000001")], now, Trunk, out _));
        Assert.Equal(DigestVerdict.Rejected, auth.Verify("INVITE", "sip:200@trunk.example.com", [Authorize(nonce, DigestAlgorithm.Sha256, "s3cret", "00000001")], now, Trunk, out _));
        Assert.Equal(DigestVerdict.Rejected, auth.Verify("INVITE", "sip:100@other.example.com", [Authorize(nonce, DigestAlgorithm.Sha256, "s3cret", "00000001")], now, Trunk, out _));
        Assert.Equal(DigestVerdict.Stale, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(nonce, DigestAlgorithm.Sha256, "s3cret", "00000001")], now, IPAddress.Parse("192.0.2.66"), out _));
        Assert.Equal(DigestVerdict.Stale, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(nonce, DigestAlgorithm.Sha256, "s3cret", "00000001")], now + TimeSpan.FromMinutes(6), Trunk, out _));
        var forged = nonce[..16] + new string('0', 32);
        Assert.Equal(DigestVerdict.Stale, auth.Verify("INVITE", "sip:100@trunk.example.com", [Authorize(forged, DigestAlgorithm.Sha256, "s3cret", "00000001")], now, Trunk, out _));
        Assert.Equal(DigestVerdict.Rejected, auth.Verify("INVITE", "sip:100@trunk.example.com", ["Digest garbage"], now, Trunk, out _));
    }
}
