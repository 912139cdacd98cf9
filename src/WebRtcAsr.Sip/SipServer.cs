using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Sdp;
using WebRtcAsr.Sip.Security;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip;

/// <summary>
/// The sans-IO SIP trunk endpoint: a UAS that answers INVITEs with an SDP answer, keeps the dialogs, ends calls.
/// Feed it with <see cref="HandleDatagram"/>/<see cref="HandleParsed"/> and <see cref="HandleTimeout"/>, then
/// drain <see cref="TryPollTransmit"/> and <see cref="TryPollEvent"/> and wait until <see cref="NextTimeout"/>.
/// It never touches sockets, threads or the clock; one owner calls it (not thread-safe).
/// </summary>
public sealed partial class SipServer
{
    private readonly SipServerOptions _options;
    private readonly ILogger _logger;
    private readonly SipOutbox _outbox;
    private readonly Queue<SipCallEvent> _events = new();
    private readonly SipTimerQueue _timers;
    private readonly Dictionary<SipTransactionKey, SipTransaction> _serverTransactions = [];
    private readonly Dictionary<SipTransactionKey, NonInviteClientTransaction> _clientTransactions = [];
    private readonly Dictionary<string, SipCall> _calls = new(StringComparer.Ordinal);
    private readonly MediaPortPool _ports;
    private readonly SourceAllowlist _allowlist;
    private readonly SourceRateLimiter _rateLimiter;
    private readonly DigestAuthenticator? _authenticator;

    public SipServer(SipServerOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _outbox = new SipOutbox(options.MaxPendingTransmits);
        _timers = new SipTimerQueue((options.MaxTransactions + options.MaxCalls) * 16);
        _ports = new MediaPortPool(options.MediaPortFirst, options.MediaPortLast);
        _allowlist = new SourceAllowlist(options.AllowedSources);
        _rateLimiter = new SourceRateLimiter(options.RequestsPerSecondPerSource, options.RequestBurstPerSource, options.MaxTrackedSources);
        _authenticator = options.Authentication is null ? null : new DigestAuthenticator(options.Authentication);
    }

    public SipServerCounters Counters { get; } = new();

    /// <summary>The message limits this core parses with (drivers size their buffers by them).</summary>
    public SipLimits Limits => _options.Limits;

    /// <summary>Calls from INVITE until they end.</summary>
    public int ActiveCalls => _calls.Count;

    public int ActiveTransactions => _serverTransactions.Count + _clientTransactions.Count;

    /// <summary>Messages dropped because the driver did not drain the transmit queue.</summary>
    public long TransmitsDropped => _outbox.Dropped;

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null when nothing is pending.</summary>
    public TimeSpan? NextTimeout => _timers.Next;

    public bool TryPollTransmit(out SipTransmit transmit) => _outbox.TryDequeue(out transmit);

    public bool TryPollEvent(out SipCallEvent callEvent) => _events.TryDequeue(out callEvent!);

    /// <summary>A UDP datagram arrived. The source's rate is checked before any parsing.</summary>
    public void HandleDatagram(ReadOnlySpan<byte> datagram, SipFlow from, TimeSpan now)
    {
        if (Admit(from, now))
        {
            Dispatch(SipMessageParser.Parse(datagram, _options.Limits, datagram: true), from, now);
        }
    }

    /// <summary>A message framed by a stream reassembler (TCP) or parsed by the caller arrived.</summary>
    public void HandleParsed(SipParseResult parsed, SipFlow from, TimeSpan now)
    {
        if (Admit(from, now))
        {
            Dispatch(parsed, from, now);
        }
    }

    private bool Admit(SipFlow from, TimeSpan now)
    {
        Counters.MessagesReceived++;
        if (_rateLimiter.TryAcquire(from.Remote.Address, now))
        {
            return true;
        }

        Counters.RateLimited++;
        return false;
    }

    private void Dispatch(SipParseResult parsed, SipFlow from, TimeSpan now)
    {
        switch (parsed.Status)
        {
            case SipParseStatus.KeepAlive:
                Counters.KeepAlives++;
                if (from.IsReliable)
                {
                    _outbox.Send(from, "\r\n"u8.ToArray()); // the pong of RFC 5626 §4.4.1
                }

                break;
            case SipParseStatus.Message when parsed.Message is SipRequest request:
                HandleRequest(request, from, now);
                break;
            case SipParseStatus.Message when parsed.Message is SipResponse response:
                HandleResponse(response, now);
                break;
            default:
                Counters.ParseErrors++;
                RespondToInvalid(parsed, from);
                break;
        }
    }

    /// <summary>Runs every timer due at <paramref name="now"/>.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        while (_timers.TryTakeDue(now, out var owner))
        {
            switch (owner)
            {
                case SipTransaction transaction:
                    transaction.OnTimer(now, _outbox);
                    if (transaction.IsTerminated)
                    {
                        Forget(transaction);
                    }
                    else
                    {
                        _timers.Schedule(transaction);
                    }

                    break;
                case SipCall call:
                    OnCallTimer(call, now);
                    break;
            }
        }
    }

    /// <summary>Ends a call from our side: BYE once confirmed (after the ACK if it is still due), 480 if not yet answered.</summary>
    public bool EndCall(string callId, TimeSpan now) => Hangup(callId, CallEndReason.LocalHangup, now);

    /// <summary>
    /// The host bound the call's RTP port: with <see cref="SipServerOptions.AnswerAfterMediaReady"/> the 200 OK goes
    /// out now (or when the ringing time is over). False for an unknown or ended call.
    /// </summary>
    public bool ReportMediaReady(string callId, TimeSpan now)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.State == SipCallState.Ended)
        {
            return false;
        }

        if (call.MediaReadyDeadline is null)
        {
            return true;
        }

        call.MediaReadyDeadline = null;
        if (call.State == SipCallState.Ringing && call.AnswerAt is null)
        {
            Answer(call, now);
        }

        return true;
    }

    /// <summary>
    /// Refuses a call the host cannot take (a session limit, no media port): before it is answered, a final
    /// <paramref name="status"/> (4xx–6xx) with <paramref name="reason"/> in a Warning (and Retry-After on 503);
    /// once answered, BYE. The call ends with <see cref="CallEndReason.Refused"/>.
    /// </summary>
    public bool RejectCall(string callId, int status, string reason, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 699);
        if (!_calls.TryGetValue(callId, out var call) || call.State == SipCallState.Ended)
        {
            return false;
        }

        if (call.State != SipCallState.Ringing)
        {
            return Hangup(callId, CallEndReason.Refused, now);
        }

        Counters.Refused++;
        var transaction = call.InviteTransaction!;
        var response = BuildResponse(call.PendingInvite, transaction.Flow, status, call.LocalTag);
        response.Headers.Add(SipHeaderNames.Warning, $"399 {_options.SignalingHost} \"{QuoteSafe(reason)}\"");
        if (status == 503)
        {
            response.Headers.Add(SipHeaderNames.RetryAfter, "5");
        }

        transaction.Respond(status, SipMessageWriter.ToBytes(response), now, _outbox);
        Track(transaction);
        EndCallState(call, CallEndReason.Refused);
        return true;
    }

    /// <summary>The host saw no RTP for its configured time: end the call with BYE.</summary>
    public bool ReportMediaStopped(string callId, TimeSpan now) => Hangup(callId, CallEndReason.MediaTimeout, now);

    private void HandleResponse(SipResponse response, TimeSpan now)
    {
        if (_clientTransactions.TryGetValue(SipTransactionKey.ForResponse(response), out var transaction))
        {
            transaction.OnResponse(response.StatusCode, now);
            Track(transaction);
            return;
        }

        Counters.StrayResponses++;
    }

    private void RespondToInvalid(SipParseResult parsed, SipFlow from)
    {
        // Answerable only when the fields a response copies parsed: otherwise the peer could not match it anyway.
        if (parsed.Message is SipRequest request && request.Method != SipMethods.Ack && request.Vias.Count > 0
            && request.From is not null && request.To is not null && request.CallId is not null && request.CSeq.Method is not null)
        {
            var response = SipResponseFactory.Create(request, parsed.ErrorStatus, NewTag(), request.TopVia!.WithReceived(from.Remote));
            var reason = QuoteSafe(parsed.Error ?? "malformed");
            response.Headers.Add(SipHeaderNames.Warning, $"399 {_options.SignalingHost} \"{reason}\"");
            response.Headers.Add(SipHeaderNames.Server, _options.ServerName);
            _outbox.Send(ResponseFlow(request, from), SipMessageWriter.ToBytes(response));
            Counters.BadRequestsAnswered++;
            _logger.LogDebug("400-class answer to a malformed request from {Source}: {Reason}", from.Remote, parsed.Error);
            return;
        }

        Counters.InvalidDropped++;
        _logger.LogDebug("Dropped a malformed message from {Source}: {Reason}", from.Remote, parsed.Error);
    }

    /// <summary>
    /// Where responses go (RFC 3261 §18.2.2, RFC 3581): back over the same TCP connection; over UDP to the
    /// source address, and to the source port when rport was asked for, else to the Via sent-by port.
    /// </summary>
    private static SipFlow ResponseFlow(SipRequest request, SipFlow source)
    {
        var via = request.TopVia;
        if (source.IsReliable || via is null || via.Parameters.Contains("rport"))
        {
            return source;
        }

        return source with { Remote = new IPEndPoint(source.Remote.Address, via.Port ?? 5060) };
    }

    private void Emit(SipCallEvent callEvent)
    {
        if (_events.Count >= _options.MaxPendingEvents)
        {
            Counters.EventsDropped++;
            _logger.LogWarning("SIP event queue full; dropped {Event}", callEvent);
            return;
        }

        _events.Enqueue(callEvent);
    }

    private void Track(SipTransaction transaction)
    {
        if (transaction.IsTerminated)
        {
            Forget(transaction);
        }
        else
        {
            _timers.Schedule(transaction);
        }
    }

    private void Forget(SipTransaction transaction)
    {
        if (transaction is NonInviteClientTransaction client)
        {
            if (_clientTransactions.TryGetValue(client.Key, out var known) && ReferenceEquals(known, client))
            {
                _clientTransactions.Remove(client.Key);
            }
        }
        else if (_serverTransactions.TryGetValue(transaction.Key, out var known) && ReferenceEquals(known, transaction))
        {
            _serverTransactions.Remove(transaction.Key);
        }
    }

    /// <summary>Text made safe for a quoted-string (RFC 3261 §25.1): escapes, no line breaks.</summary>
    private static string QuoteSafe(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');

    private static string NewTag() => RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static string NewBranch() => SipVia.MagicCookie + RandomNumberGenerator.GetHexString(20, lowercase: true);
}
