using System.Net;

namespace WebRtcAsr.Sip.Security;

/// <summary>The trunk peers allowed to send us requests, as CIDR blocks; an empty list allows everyone.</summary>
public sealed class SourceAllowlist
{
    private readonly List<AddressRange> _ranges = [];

    /// <summary>Builds the list; throws on a malformed entry since this is configuration, not input.</summary>
    public SourceAllowlist(IEnumerable<string> cidrs)
    {
        foreach (var cidr in cidrs)
        {
            if (!AddressRange.TryParse(cidr.Trim(), out var range))
            {
                throw new FormatException($"'{cidr}' is not an IP address or CIDR block");
            }

            _ranges.Add(range);
        }
    }

    public bool AllowsEveryone => _ranges.Count == 0;

    public bool Allows(IPAddress address) => _ranges.Count == 0 || _ranges.Exists(r => r.Contains(address));
}
