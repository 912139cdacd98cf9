using System.Security.Cryptography;
using System.Text;
using WebRtcAsr.Server.Configuration;

namespace WebRtcAsr.Server.Auth;

/// <summary>The configured API keys, looked up by secret in constant time (by their SHA-256) and by id.</summary>
public sealed class ApiKeyStore
{
    private readonly (byte[] Hash, ApiKeyOptions Key)[] keys;

    public ApiKeyStore(IEnumerable<ApiKeyOptions> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        keys = [.. configured.Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k))];
    }

    public int Count => keys.Length;

    /// <summary>The key whose secret this is, or null.</summary>
    public ApiKeyOptions? FindBySecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        ApiKeyOptions? found = null;
        foreach (var (h, key) in keys)
        {
            // Compare with every key so the time does not say which one matched.
            if (CryptographicOperations.FixedTimeEquals(h, hash))
            {
                found = key;
            }
        }

        return found;
    }

    public ApiKeyOptions? FindById(string id) => keys.FirstOrDefault(k => k.Key.Id == id).Key;
}
