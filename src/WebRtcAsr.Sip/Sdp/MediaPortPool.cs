namespace WebRtcAsr.Sip.Sdp;

/// <summary>
/// Hands out even RTP ports (RTCP takes the odd one above) from a configured range, round-robin so a port just
/// returned is not reused at once. Sans-IO: it only tracks numbers; the driver binds the sockets.
/// </summary>
public sealed class MediaPortPool
{
    private readonly int _first;
    private readonly bool[] _used;
    private int _next;

    public MediaPortPool(int firstPort, int lastPort)
    {
        if (firstPort % 2 != 0)
        {
            firstPort++;
        }

        if (firstPort < 1024 || lastPort > 65535 || lastPort <= firstPort)
        {
            throw new ArgumentOutOfRangeException(nameof(firstPort), "the media port range must lie within 1024-65535 and hold at least one even/odd pair");
        }

        _first = firstPort;
        _used = new bool[(lastPort - firstPort + 1) / 2];
    }

    public int Capacity => _used.Length;

    public int InUse { get; private set; }

    public bool TryRent(out int port)
    {
        for (var i = 0; i < _used.Length; i++)
        {
            var slot = (_next + i) % _used.Length;
            if (!_used[slot])
            {
                _used[slot] = true;
                _next = slot + 1;
                InUse++;
                port = _first + (slot * 2);
                return true;
            }
        }

        port = 0;
        return false;
    }

    public void Return(int port)
    {
        var slot = (port - _first) / 2;
        if (port >= _first && (port - _first) % 2 == 0 && slot < _used.Length && _used[slot])
        {
            _used[slot] = false;
            InUse--;
        }
    }
}
