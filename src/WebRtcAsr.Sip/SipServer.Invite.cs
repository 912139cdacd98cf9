using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Sdp;
using WebRtcAsr.Sip.Security;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip;

/// <summary>INVITE, re-INVITE, ACK, answering, hanging up.</summary>
public sealed partial class SipServer
{
    private void HandleInvite(SipRequest invite, SipTransactionKey key, SipFlow from, TimeSpan now)
    {
        if (invite.To!.Tag is not null)
        {
            HandleReInvite(invite, key, from, now);
            return;
        }

        // Same Call-ID, new transaction, no To tag: a merged or looped request (§8.2.2.2).
        if (_calls.ContainsKey(invite.CallId!))
        {
            Reply(invite, key, from, 482, now);
            return;
        }

        if (_authenticator is not null && !Authenticate(invite, key, from, now))
        {
            return;
        }

        if (UnsupportedBody(invite) is { } unsupported)
        {
            Reply(invite, key, from, unsupported, now);
            return;
        }

        if (_calls.Count >= _options.MaxCalls)
        {
            Counters.Busy++;
            Reply(invite, key, from, 486, now);
            return;
        }

        if (_events.Count > _options.MaxPendingEvents * 3 / 4 || !_ports.TryRent(out var port))
        {
            // The host is not keeping up, or every media port is taken.
            Counters.Overloaded++;
            Reply(invite, key, from, 503, now, r => r.Headers.Add(SipHeaderNames.RetryAfter, "5"));
            return;
        }

        var call = new SipCall(invite.CallId!, NewTag(), invite, from, port)
        {
            SdpSessionId = (ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue),
            SdpVersion = 1,
        };
        if (ContactUri(invite) is { } target)
        {
            call.RemoteTarget = target;
        }

        string answerSdp;
        if (invite.Body.IsEmpty)
        {
            // Delayed offer (§13.2.1): we offer in the 2xx and take the answer from the ACK.
            answerSdp = SdpAnswerer.CreateOffer(AnswerOptions(call));
            call.AwaitingAnswerInAck = true;
        }
        else if (!TryAnswer(invite, call, out answerSdp, out var media, out var status, out var reason))
        {
            _ports.Return(port);
            Reply(invite, key, from, status, now, r => r.Headers.Add(SipHeaderNames.Warning, $"{(status == 488 ? 305 : 399)} {_options.SignalingHost} \"{reason}\""));
            return;
        }
        else
        {
            call.Media = media;
        }

        call.PendingAnswer = answerSdp;
        var transaction = new InviteServerTransaction(key, ResponseFlow(invite, from), _options.Timers);
        _serverTransactions[key] = transaction;
        call.InviteTransaction = transaction;
        _calls[call.CallId] = call;
        Counters.CallsOffered++;
        transaction.Respond(100, SipMessageWriter.ToBytes(BuildResponse(invite, from, 100, call.LocalTag)), now, _outbox);
        Emit(new CallOffered(call.CallId, call.RemoteParty, call.CalledParty, from.Remote, port));

        if (_options.AnswerAfterMediaReady)
        {
            call.MediaReadyDeadline = now + _options.MediaReadyTimeout;
            _timers.Schedule(call);
        }

        if (_options.RingingDuration > TimeSpan.Zero)
        {
            transaction.Respond(180, SipMessageWriter.ToBytes(BuildResponse(invite, from, 180, call.LocalTag)), now, _outbox);
            call.AnswerAt = now + _options.RingingDuration;
            _timers.Schedule(call);
        }
        else if (call.MediaReadyDeadline is null)
        {
            Answer(call, now);
        }

        _timers.Schedule(transaction);
    }

    private void HandleReInvite(SipRequest invite, SipTransactionKey key, SipFlow from, TimeSpan now)
    {
        var call = FindDialog(invite);
        if (call is null)
        {
            Reply(invite, key, from, 481, now);
            return;
        }

        if (invite.CSeq.Number <= call.RemoteCSeq)
        {
            Reply(invite, key, from, 500, now, r => r.Headers.Add(SipHeaderNames.RetryAfter, "1"), call.LocalTag);
            return;
        }

        call.RemoteCSeq = invite.CSeq.Number;
        if (call.State != SipCallState.Confirmed || call.Pending2xx is not null)
        {
            // An INVITE is still in progress on this dialog (§14.2).
            Reply(invite, key, from, 500, now, r => r.Headers.Add(SipHeaderNames.RetryAfter, RandomNumberGenerator.GetInt32(0, 11).ToString(CultureInfo.InvariantCulture)), call.LocalTag);
            return;
        }

        if (UnsupportedBody(invite) is { } unsupported)
        {
            Reply(invite, key, from, unsupported, now, toTag: call.LocalTag);
            return;
        }

        call.SdpVersion++;
        string sdp;
        SipMediaSession? media = null;
        if (invite.Body.IsEmpty)
        {
            sdp = SdpAnswerer.CreateOffer(AnswerOptions(call));
            call.AwaitingAnswerInAck = true;
        }
        else if (!TryAnswer(invite, call, out sdp, out media, out var status, out var reason))
        {
            // The call goes on with the media agreed before (§14.2).
            call.SdpVersion--;
            Reply(invite, key, from, status, now, r => r.Headers.Add(SipHeaderNames.Warning, $"305 {_options.SignalingHost} \"{reason}\""), call.LocalTag);
            return;
        }

        if (ContactUri(invite) is { } target)
        {
            call.RemoteTarget = target;
        }

        var transaction = new InviteServerTransaction(key, ResponseFlow(invite, from), _options.Timers);
        _serverTransactions[key] = transaction;
        call.InviteTransaction = transaction;
        call.PendingInvite = invite;
        call.PendingMedia = media;
        call.PendingAnswer = sdp;
        SendOk(call, from, now);
        _timers.Schedule(transaction);
    }

    private void HandleAck(SipRequest ack, SipTransactionKey key, TimeSpan now)
    {
        // ACK for a non-2xx final response belongs to that INVITE transaction (§17.2.1).
        if (_serverTransactions.TryGetValue(key, out var transaction) && transaction is InviteServerTransaction invite && invite.OnAck(now))
        {
            Track(invite);
            return;
        }

        // ACK for a 2xx is its own transaction, handled by the dialog (§13.3.1.4).
        var call = FindDialog(ack);
        if (call is null || call.Pending2xx is null || ack.CSeq.Number != call.Pending2xxCSeq)
        {
            Counters.StrayAcks++;
            return;
        }

        call.Stop2xxRetransmission();
        if (call.AwaitingAnswerInAck)
        {
            call.AwaitingAnswerInAck = false;
            if (!TryTakeAnswer(ack, call, out var answered))
            {
                SendBye(call, now, CallEndReason.MediaNegotiationFailed);
                return;
            }

            if (call.State == SipCallState.Answered)
            {
                call.Media = answered;
            }
            else
            {
                call.PendingMedia = answered;
            }
        }

        if (call.State == SipCallState.Answered)
        {
            call.State = SipCallState.Confirmed;
            Counters.CallsStarted++;
            Emit(new CallStarted(call.CallId, call.RemoteParty, call.CalledParty, call.Media!));
        }
        else if (call.PendingMedia is { } updated)
        {
            call.Media = updated;
            call.PendingMedia = null;
            Emit(new CallUpdated(call.CallId, updated));
        }

        if (call.HangupAfterAck is { } reason)
        {
            SendBye(call, now, reason);
        }
    }

    private void Answer(SipCall call, TimeSpan now)
    {
        call.AnswerAt = null;
        call.State = SipCallState.Answered;
        SendOk(call, call.Flow, now);
    }

    /// <summary>Sends 200 OK with our SDP on the pending INVITE and keeps retransmitting it until the ACK.</summary>
    private void SendOk(SipCall call, SipFlow from, TimeSpan now)
    {
        var ok = BuildResponse(call.PendingInvite, from, 200, call.LocalTag);
        ok.Headers.Add(SipHeaderNames.Allow, AllowedMethods);
        ok.Headers.Add(SipHeaderNames.Supported, string.Empty);
        ok.Headers.Add(SipHeaderNames.ContentType, "application/sdp");
        ok.Body = Encoding.UTF8.GetBytes(call.PendingAnswer!);
        var bytes = SipMessageWriter.ToBytes(ok);
        call.InviteTransaction!.Respond(200, bytes, now, _outbox);
        call.Start2xxRetransmission(bytes, call.PendingInvite.CSeq.Number, now, _options.Timers);
        _timers.Schedule(call);
        _timers.Schedule(call.InviteTransaction);
    }

    /// <summary>Sends a final non-2xx response on the call's pending INVITE (487 after CANCEL/BYE, 480 on local hangup).</summary>
    private void RespondOnInvite(SipCall call, int status, TimeSpan now)
    {
        var transaction = call.InviteTransaction!;
        var response = BuildResponse(call.PendingInvite, transaction.Flow, status, call.LocalTag);
        transaction.Respond(status, SipMessageWriter.ToBytes(response), now, _outbox);
        Track(transaction);
    }

    private void OnCallTimer(SipCall call, TimeSpan now)
    {
        if (call.State == SipCallState.Ended)
        {
            return;
        }

        if (call.MediaReadyDeadline is { } mediaDeadline && mediaDeadline <= now)
        {
            _logger.LogWarning("Call {CallId}: its media was not ready within {Timeout}; refusing it", call.CallId, _options.MediaReadyTimeout);
            call.MediaReadyDeadline = null;
            RejectCall(call.CallId, 503, "media not ready", now);
            return;
        }

        if (call.AnswerAt is { } answerAt && answerAt <= now)
        {
            call.AnswerAt = null;
            if (call.MediaReadyDeadline is null)
            {
                Answer(call, now);
            }
        }

        if (call.AckDeadline is { } deadline && deadline <= now)
        {
            _logger.LogInformation("No ACK for the 2xx of call {CallId}; ending it", call.CallId);
            call.Stop2xxRetransmission();
            if (call.State == SipCallState.Answered)
            {
                call.State = SipCallState.Confirmed;
            }

            SendBye(call, now, call.HangupAfterAck ?? CallEndReason.AckTimeout);
            return;
        }

        if (call.Retransmit2xxAt is { } resendAt && resendAt <= now && call.Pending2xx is { } pending)
        {
            _outbox.Send(call.InviteTransaction!.Flow, pending);
            call.Retransmit2xxInterval = _options.Timers.Backoff(call.Retransmit2xxInterval);
            call.Retransmit2xxAt = now + call.Retransmit2xxInterval;
        }

        _timers.Schedule(call);
    }

    private bool Hangup(string callId, CallEndReason reason, TimeSpan now)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.State == SipCallState.Ended)
        {
            return false;
        }

        switch (call.State)
        {
            case SipCallState.Ringing:
                RespondOnInvite(call, 480, now);
                EndCallState(call, reason);
                break;
            case SipCallState.Answered:
                // No BYE before the ACK or its timeout (§15).
                call.HangupAfterAck = reason;
                break;
            default:
                if (call.Pending2xx is not null)
                {
                    call.HangupAfterAck = reason;
                }
                else
                {
                    SendBye(call, now, reason);
                }

                break;
        }

        return true;
    }

    /// <summary>Sends BYE in the dialog (§15.1.1) over a non-INVITE client transaction and ends the call.</summary>
    private void SendBye(SipCall call, TimeSpan now, CallEndReason reason)
    {
        call.LocalCSeq = Math.Max(call.LocalCSeq + 1, 1);
        var bye = new SipRequest(SipMethods.Bye, call.RemoteTarget);
        var branch = NewBranch();
        var transport = call.Flow.Transport == SipTransportKind.Tcp ? "TCP" : "UDP";
        bye.Headers.Add(SipHeaderNames.Via, $"SIP/2.0/{transport} {SipUri.FormatHostPort(_options.SignalingHost, _options.SignalingPort)};branch={branch};rport");
        bye.Headers.Add(SipHeaderNames.MaxForwards, "70");
        foreach (var route in call.RouteSet)
        {
            bye.Headers.Add(SipHeaderNames.Route, route);
        }

        bye.Headers.Add(SipHeaderNames.From, call.LocalParty);
        bye.Headers.Add(SipHeaderNames.To, call.RemoteParty);
        bye.Headers.Add(SipHeaderNames.CallId, call.CallId);
        bye.Headers.Add(SipHeaderNames.CSeq, call.LocalCSeq.ToString(CultureInfo.InvariantCulture) + " BYE");
        bye.Headers.Add(SipHeaderNames.UserAgent, _options.ServerName);
        if (reason == CallEndReason.MediaTimeout)
        {
            bye.Headers.Add("Reason", "SIP;cause=408;text=\"media timeout\"");
        }

        var flow = ByeFlow(call);
        var key = new SipTransactionKey(branch, string.Empty, SipMethods.Bye);
        var transaction = new NonInviteClientTransaction(key, flow, _options.Timers, SipMessageWriter.ToBytes(bye), now, _outbox);
        _clientTransactions[key] = transaction;
        _timers.Schedule(transaction);
        EndCallState(call, reason);
    }

    /// <summary>
    /// Where an in-dialog request goes: the same TCP connection; over UDP the first Route or else the remote
    /// target when it is an IP literal, otherwise back to where the INVITE came from (the trunk's flow).
    /// </summary>
    private static SipFlow ByeFlow(SipCall call)
    {
        if (call.Flow.IsReliable)
        {
            return call.Flow;
        }

        var next = call.RouteSet.Count > 0 && SipNameAddress.TryParse(call.RouteSet[0], out var route, out _) ? route.Uri : call.RemoteTarget;
        return next.HostAddress is { } address
            ? call.Flow with { Remote = new System.Net.IPEndPoint(address, next.Port ?? 5060) }
            : call.Flow;
    }

    private void EndCallState(SipCall call, CallEndReason reason)
    {
        if (call.State == SipCallState.Ended)
        {
            return;
        }

        call.State = SipCallState.Ended;
        call.Stop2xxRetransmission();
        call.AnswerAt = null;
        _calls.Remove(call.CallId);
        _ports.Return(call.LocalPort);
        Counters.CallsEnded++;
        Emit(new CallEnded(call.CallId, reason));
    }

    private bool Authenticate(SipRequest invite, SipTransactionKey key, SipFlow from, TimeSpan now)
    {
        var verdict = _authenticator!.Verify(invite.Method, invite.RequestUri.Text, invite.Headers.GetValues(SipHeaderNames.Authorization), now, from.Remote.Address, out _);
        switch (verdict)
        {
            case DigestVerdict.Accepted:
                return true;
            case DigestVerdict.Rejected:
                Counters.Forbidden++;
                Reply(invite, key, from, 403, now);
                return false;
            default:
                Counters.AuthChallenges++;
                var challenges = _authenticator.Challenge(now, from.Remote.Address, verdict == DigestVerdict.Stale);
                Reply(invite, key, from, 401, now, r =>
                {
                    foreach (var challenge in challenges)
                    {
                        r.Headers.Add(SipHeaderNames.WwwAuthenticate, challenge);
                    }
                });
                return false;
        }
    }

    /// <summary>415 for bodies other than plain SDP (§21.4.13), else null.</summary>
    private static int? UnsupportedBody(SipRequest request)
    {
        if (request.Body.IsEmpty)
        {
            return null;
        }

        var encoding = request.Headers.Get(SipHeaderNames.ContentEncoding);
        if (encoding is not null && !string.Equals(encoding.Trim(), "identity", StringComparison.OrdinalIgnoreCase))
        {
            return 415;
        }

        return request.ContentType == "application/sdp" ? null : 415;
    }

    private bool TryAnswer(SipRequest invite, SipCall call, out string answer, out SipMediaSession media, out int status, out string reason)
    {
        answer = string.Empty;
        media = null!;
        if (!SdpParser.TryParse(invite.Body.Span, out var offer, out var error))
        {
            status = 400;
            reason = "bad SDP: " + error;
            return false;
        }

        if (!SdpAnswerer.TryAnswer(offer, AnswerOptions(call), out answer, out media, out var why))
        {
            status = 488;
            reason = why!;
            return false;
        }

        status = 200;
        reason = string.Empty;
        return true;
    }

    /// <summary>Reads the caller's answer to our offer from an ACK: it must pick codecs from what we offered.</summary>
    private bool TryTakeAnswer(SipRequest ack, SipCall call, out SipMediaSession media)
    {
        media = null!;
        if (ack.Body.IsEmpty || ack.ContentType != "application/sdp" || !SdpParser.TryParse(ack.Body.Span, out var answer, out _))
        {
            return false;
        }

        // Answering the answer with our own codec table validates it and yields the same media view.
        return SdpAnswerer.TryAnswer(answer, AnswerOptions(call), out _, out media, out _);
    }

    private SdpAnswerOptions AnswerOptions(SipCall call) => new()
    {
        MediaAddress = _options.MediaAddress,
        LocalPort = call.LocalPort,
        SessionId = call.SdpSessionId,
        SessionVersion = call.SdpVersion,
        PreferOpus = _options.PreferOpus,
        AnswerSendRecv = _options.AnswerSendRecv,
        PacketTimeMs = _options.PacketTimeMs,
    };

    private static SipUri? ContactUri(SipRequest request)
    {
        var contacts = request.Headers.GetValues(SipHeaderNames.Contact);
        return contacts.Count > 0 && SipNameAddress.TryParse(contacts[0], out var contact, out _) && contact.Uri.IsSip ? contact.Uri : null;
    }
}
