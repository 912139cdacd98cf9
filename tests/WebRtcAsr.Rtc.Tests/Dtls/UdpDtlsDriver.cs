using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>
/// A thin UDP driver for one DtlsEndpoint, for interop tests against real peers on 127.0.0.1:
/// it owns the socket and the wall clock that the sans-IO endpoint must not touch.
/// </summary>
internal sealed class UdpDtlsDriver : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _buffer = new byte[65_536];
    private EndPoint? _remote;

    public UdpDtlsDriver(DtlsEndpoint endpoint, IPEndPoint? remote = null)
    {
        Endpoint = endpoint;
        _remote = remote;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public DtlsEndpoint Endpoint { get; }

    public bool HasRemote => _remote is not null;

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public long NowMicros => _clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;

    public List<DtlsRecordedEvent> Events { get; } = [];

    public int DatagramsReceived { get; private set; }

    public int DatagramsSent { get; private set; }

    /// <summary>Answers datagrams that are not DTLS (STUN, in the browser test); null: drop them.</summary>
    public Func<byte[], IPEndPoint, byte[]?>? OtherDatagrams { get; set; }

    /// <summary>
    /// Pumps socket, timers and queues until <paramref name="done"/> says so or the deadline passes.
    /// <paramref name="done"/> is also the place to act (send, close) as events arrive.
    /// </summary>
    public bool RunUntil(Func<bool> done, TimeSpan deadline)
    {
        var stopAt = _clock.Elapsed + deadline;
        while (_clock.Elapsed < stopAt)
        {
            Flush();
            while (Endpoint.PollEvent(out var e))
            {
                Events.Add(DtlsRecordedEvent.From(e));
            }
            if (done())
            {
                Flush();
                return true;
            }
            long wait = 20_000;
            if (Endpoint.NextTimeoutMicros is { } t)
            {
                wait = Math.Clamp(t - NowMicros, 0, wait);
            }
            if (_socket.Poll((int)wait, SelectMode.SelectRead))
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n = _socket.ReceiveFrom(_buffer, ref from);
                if (!DtlsEndpoint.LooksLikeDtls(_buffer.AsSpan(0, n)))
                {
                    if (OtherDatagrams?.Invoke(_buffer.AsSpan(0, n).ToArray(), (IPEndPoint)from) is { } reply)
                    {
                        // A peer that passed a connectivity check is where DTLS goes (the client role needs this).
                        _remote ??= from;
                        _socket.SendTo(reply, from);
                    }
                    continue;
                }
                _remote ??= from;
                DatagramsReceived++;
                Endpoint.HandleReceive(_buffer.AsSpan(0, n), NowMicros);
            }
            Endpoint.HandleTimeout(NowMicros);
        }
        return false;
    }

    private void Flush()
    {
        while (_remote is not null && Endpoint.PollTransmit(_buffer, out int n))
        {
            _socket.SendTo(_buffer.AsSpan(0, n), SocketFlags.None, _remote);
            DatagramsSent++;
        }
    }

    public void Dispose() => _socket.Dispose();
}
