using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Transactions;

namespace WebRtcAsr.Sip;

/// <summary>Request dispatch, screening and the non-INVITE methods.</summary>
public sealed partial class SipServer
{
    private const string AllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS";

    private void HandleRequest(SipRequest request, SipFlow from, TimeSpan now)
    {
        var key = SipTransactionKey.ForRequest(request);
        if (request.Method == SipMethods.Ack)
        {
            HandleAck(request, key, now);
            return;
        }

        // A retransmission of a request we are already handling: its transaction answers it (§17.2.3).
        if (_serverTransactions.TryGetValue(key, out var existing))
        {
            Counters.RequestRetransmissions++;
            switch (existing)
            {
                case InviteServerTransaction invite:
                    invite.OnRetransmission(_outbox);
                    break;
                case NonInviteServerTransaction nonInvite:
                    nonInvite.OnRetransmission(_outbox);
                    break;
            }

            return;
        }

        if (ActiveTransactions >= _options.MaxTransactions)
        {
            Counters.Overloaded++;
            var busy = BuildResponse(request, from, 503, NewTag());
            busy.Headers.Add(SipHeaderNames.RetryAfter, "5");
            _outbox.Send(ResponseFlow(request, from), SipMessageWriter.ToBytes(busy));
            return;
        }

        if (!_allowlist.Allows(from.Remote.Address))
        {
            Counters.Forbidden++;
            Reply(request, key, from, 403, now);
            return;
        }

        // sips: needs TLS end to end, which this endpoint does not offer (RFC 3261 §26.2.2).
        if (request.RequestUri.Scheme is not ("sip" or "tel"))
        {
            Reply(request, key, from, 416, now);
            return;
        }

        var required = request.Headers.GetValues(SipHeaderNames.Require);
        if (required.Count > 0 && request.Method != SipMethods.Cancel)
        {
            Reply(request, key, from, 420, now, r => r.Headers.Add(SipHeaderNames.Unsupported, string.Join(", ", required)));
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Invite:
                HandleInvite(request, key, from, now);
                break;
            case SipMethods.Cancel:
                HandleCancel(request, key, from, now);
                break;
            case SipMethods.Bye:
                HandleBye(request, key, from, now);
                break;
            case SipMethods.Options:
                Reply(request, key, from, 200, now, r =>
                {
                    r.Headers.Add(SipHeaderNames.Allow, AllowedMethods);
                    r.Headers.Add(SipHeaderNames.Accept, "application/sdp");
                    r.Headers.Add(SipHeaderNames.AcceptEncoding, "identity");
                    r.Headers.Add(SipHeaderNames.Supported, string.Empty);
                });
                break;
            default:
                Reply(request, key, from, 405, now, r => r.Headers.Add(SipHeaderNames.Allow, AllowedMethods));
                break;
        }
    }

    private void HandleCancel(SipRequest cancel, SipTransactionKey key, SipFlow from, TimeSpan now)
    {
        // CANCEL carries the INVITE's branch (§9.1), so it finds the INVITE transaction by key.
        if (!_serverTransactions.TryGetValue(key.WithMethod(SipMethods.Invite), out var transaction) || transaction is not InviteServerTransaction invite)
        {
            Reply(cancel, key, from, 481, now);
            return;
        }

        var call = cancel.CallId is { } id && _calls.TryGetValue(id, out var c) && ReferenceEquals(c.InviteTransaction, invite) ? c : null;
        Reply(cancel, key, from, 200, now, toTag: call?.LocalTag);
        if (invite.State != InviteServerState.Proceeding)
        {
            return;
        }

        if (call is not null && call.State == SipCallState.Ringing)
        {
            RespondOnInvite(call, 487, now);
            EndCallState(call, CallEndReason.Cancelled);
        }
    }

    private void HandleBye(SipRequest bye, SipTransactionKey key, SipFlow from, TimeSpan now)
    {
        var call = FindDialog(bye);
        if (call is null)
        {
            Reply(bye, key, from, 481, now);
            return;
        }

        if (bye.CSeq.Number <= call.RemoteCSeq && call.State != SipCallState.Ringing)
        {
            Reply(bye, key, from, 500, now, r => r.Headers.Add(SipHeaderNames.RetryAfter, "1"));
            return;
        }

        call.RemoteCSeq = bye.CSeq.Number;
        Reply(bye, key, from, 200, now);
        if (call.State == SipCallState.Ringing)
        {
            RespondOnInvite(call, 487, now);
        }

        EndCallState(call, CallEndReason.RemoteHangup);
    }

    private SipCall? FindDialog(SipRequest request) =>
        request.CallId is { } id && _calls.TryGetValue(id, out var call) && call.State != SipCallState.Ended && call.Matches(request) ? call : null;

    /// <summary>Creates the server transaction for a new request and sends one (final) response on it.</summary>
    private void Reply(SipRequest request, SipTransactionKey key, SipFlow from, int status, TimeSpan now, Action<SipResponse>? decorate = null, string? toTag = null)
    {
        var response = BuildResponse(request, from, status, toTag ?? NewTag());
        decorate?.Invoke(response);
        var bytes = SipMessageWriter.ToBytes(response);
        var flow = ResponseFlow(request, from);
        SipTransaction transaction;
        if (request.Method == SipMethods.Invite)
        {
            var invite = new InviteServerTransaction(key, flow, _options.Timers);
            invite.Respond(status, bytes, now, _outbox);
            transaction = invite;
        }
        else
        {
            var nonInvite = new NonInviteServerTransaction(key, flow, _options.Timers);
            nonInvite.Respond(status, bytes, now, _outbox);
            transaction = nonInvite;
        }

        if (!transaction.IsTerminated)
        {
            _serverTransactions[key] = transaction;
            _timers.Schedule(transaction);
        }
    }

    /// <summary>A response per §8.2.6 with our Server header; Contact on dialog-creating ones.</summary>
    private SipResponse BuildResponse(SipRequest request, SipFlow from, int status, string toTag)
    {
        var response = SipResponseFactory.Create(request, status, toTag, request.TopVia!.WithReceived(from.Remote));
        response.Headers.Add(SipHeaderNames.Server, _options.ServerName);
        if (request.Method == SipMethods.Invite && status is > 100 and < 300)
        {
            // Dialog-creating responses carry the Record-Route values back unchanged (§12.1.1).
            foreach (var recordRoute in request.Headers.GetValues(SipHeaderNames.RecordRoute))
            {
                response.Headers.Add(SipHeaderNames.RecordRoute, recordRoute);
            }

            response.Headers.Add(SipHeaderNames.Contact, OurContact(from));
        }

        if (status == 415)
        {
            response.Headers.Add(SipHeaderNames.Accept, "application/sdp");
            response.Headers.Add(SipHeaderNames.AcceptEncoding, "identity");
        }

        return response;
    }

    private string OurContact(SipFlow flow) =>
        "<sip:" + SipUri.FormatHostPort(_options.SignalingHost, _options.SignalingPort)
        + (flow.Transport == SipTransportKind.Tcp ? ";transport=tcp>" : ">");
}
