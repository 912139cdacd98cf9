using System.Text;
using System.Text.Unicode;

namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// Parses SIP messages from bytes (RFC 3261 §7, §18.3, §25): start line, header fields (folding, compact
/// forms, case-insensitive names), Content-Length framing and body. Datagram mode takes the rest of the
/// datagram as body when Content-Length is absent and drops bytes beyond it; stream mode reports
/// <see cref="SipParseStatus.Incomplete"/> until the whole message is there. Never throws on bad input.
/// </summary>
public static class SipMessageParser
{
    public static SipParseResult Parse(ReadOnlySpan<byte> data, SipLimits limits, bool datagram)
    {
        try
        {
            return ParseCore(data, limits, datagram);
        }
#pragma warning disable CA1031 // The parser boundary: a bug on hostile input must not escape as an exception.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return SipParseResult.Invalid("parser fault: " + e.GetType().Name, null, 0);
        }
    }

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data, SipLimits limits, bool datagram)
    {
        var start = 0;
        while (start < data.Length && data[start] is (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        // Leading CRLFs are keep-alives (RFC 5626 §3.5.1): on a stream they are reported on their own so the
        // connection can answer the ping; in a datagram before a message they are ignored (RFC 3261 §7.5).
        if (start == data.Length || (start > 0 && !datagram))
        {
            return new SipParseResult(SipParseStatus.KeepAlive, null, null, start);
        }

        // Header section: lines up to the first empty line.
        var lines = new List<(int Start, int Length)>();
        var pos = start;
        var headerEnd = -1;
        while (pos < data.Length)
        {
            var newline = data[pos..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var length = newline;
            if (length > 0 && data[pos + length - 1] == (byte)'\r')
            {
                length--;
            }

            if (length > limits.MaxLineBytes)
            {
                return SipParseResult.Invalid($"a line is longer than {limits.MaxLineBytes} bytes", null, 0, 400);
            }

            if (length == 0)
            {
                headerEnd = pos + newline + 1;
                break;
            }

            lines.Add((pos, length));
            if (lines.Count > limits.MaxHeaderCount + 1)
            {
                return SipParseResult.Invalid($"more than {limits.MaxHeaderCount} header lines", null, 0, 400);
            }

            pos += newline + 1;
        }

        if (headerEnd < 0)
        {
            if (!datagram && data.Length - start <= limits.MaxMessageBytes && data.Length - pos <= limits.MaxLineBytes)
            {
                return new SipParseResult(SipParseStatus.Incomplete, null, null, 0);
            }

            return SipParseResult.Invalid(headerEnd < 0 && data.Length - start > limits.MaxMessageBytes
                ? $"message exceeds {limits.MaxMessageBytes} bytes"
                : "header section is not terminated by an empty line");
        }

        if (headerEnd - start > limits.MaxMessageBytes)
        {
            return SipParseResult.Invalid($"message exceeds {limits.MaxMessageBytes} bytes", null, 0, 413);
        }

        var headerBytes = data[start..headerEnd];
        if (!Utf8.IsValid(headerBytes))
        {
            return SipParseResult.Invalid("header section is not valid UTF-8");
        }

        // Control characters may only appear escaped as quoted-pairs (RFC 3261 §25.1, RFC 4475 §3.1.1.2).
        for (var i = 0; i < headerBytes.Length; i++)
        {
            var b = headerBytes[i];
            if (((b < 0x20 && b is not (byte)'\t' and not (byte)'\r' and not (byte)'\n') || b == 0x7f)
                && (i == 0 || headerBytes[i - 1] != (byte)'\\'))
            {
                return SipParseResult.Invalid("control character in the header section");
            }
        }

        // Decode the header section once; header values are substrings of it (one allocation per field).
        var head = Encoding.UTF8.GetString(headerBytes);
        var lineEnd = head.IndexOf('\n', StringComparison.Ordinal);
        var startLine = head.AsSpan(0, lineEnd).TrimEnd('\r').ToString();
        var message = ParseStartLine(startLine, out var startError, out var startStatus);
        if (message is null)
        {
            return SipParseResult.Invalid(startError!, null, 0, startStatus);
        }

        // A request line with a bad URI or version still yields a request, so a response can be formed.
        var deferredError = startError;
        var deferredStatus = startStatus;

        // Unfold and split header fields; a StringBuilder only for fields that are actually folded.
        string? pendingName = null;
        var pendingStart = 0;
        var pendingLength = 0;
        StringBuilder? folded = null;
        var cursor = lineEnd + 1;
        while (cursor < head.Length)
        {
            var next = head.IndexOf('\n', cursor);
            var length = (next < 0 ? head.Length : next) - cursor;
            if (length > 0 && head[cursor + length - 1] == '\r')
            {
                length--;
            }

            var lineStart = cursor;
            cursor = next < 0 ? head.Length : next + 1;
            if (length == 0)
            {
                break; // the empty line that ends the header section
            }

            var line = head.AsSpan(lineStart, length);
            if (line[0] is ' ' or '\t')
            {
                if (pendingName is null)
                {
                    return SipParseResult.Invalid("continuation line before any header field");
                }

                folded ??= new StringBuilder(256).Append(head, pendingStart, pendingLength);
                folded.Append(' ').Append(SipSyntax.TrimLws(line));
                if (folded.Length > limits.MaxLineBytes)
                {
                    return SipParseResult.Invalid($"a header field is longer than {limits.MaxLineBytes} bytes");
                }

                continue;
            }

            if (pendingName is not null)
            {
                message.Headers.AddCanonical(pendingName, folded?.ToString().Trim(' ', '\t') ?? head.Substring(pendingStart, pendingLength));
            }

            var colon = line.IndexOf(':');
            var name = colon < 0 ? default : SipSyntax.TrimLws(line[..colon]);
            if (colon < 0 || !SipSyntax.IsToken(name))
            {
                return SipParseResult.Invalid("malformed header field line", message);
            }

            pendingName = SipHeaderNames.Canonicalize(name);
            var value = line[(colon + 1)..];
            var leading = value.Length - value.TrimStart(" \t").Length;
            pendingStart = lineStart + colon + 1 + leading;
            pendingLength = SipSyntax.TrimLws(value).Length;
            folded = null;
        }

        if (pendingName is not null)
        {
            message.Headers.AddCanonical(pendingName, folded?.ToString().Trim(' ', '\t') ?? head.Substring(pendingStart, pendingLength));
        }

        if (message.Headers.Count > limits.MaxHeaderCount)
        {
            return SipParseResult.Invalid($"more than {limits.MaxHeaderCount} header fields", message);
        }

        // Body framing.
        var available = data.Length - headerEnd;
        int bodyLength;
        var lengths = message.Headers.GetValues(SipHeaderNames.ContentLength);
        if (lengths.Count == 0)
        {
            // Stream transports must frame with Content-Length; an absent one means an empty body there.
            bodyLength = datagram ? available : 0;
        }
        else
        {
            if (lengths.Count > 1 && lengths.Exists(l => l != lengths[0]))
            {
                return Partial("conflicting Content-Length header fields", message, limits, 400);
            }

            if (!SipSyntax.TryParseDecimal(lengths[0], int.MaxValue, out var declared))
            {
                return Partial("Content-Length is not a non-negative decimal", message, limits, 400);
            }

            if (declared > limits.MaxBodyBytes)
            {
                return Partial($"body exceeds {limits.MaxBodyBytes} bytes", message, limits, 413);
            }

            if (declared > available)
            {
                if (!datagram)
                {
                    return new SipParseResult(SipParseStatus.Incomplete, null, null, 0);
                }

                return Partial("Content-Length is larger than the rest of the datagram", message, limits, 400);
            }

            bodyLength = (int)declared;
        }

        if (bodyLength > limits.MaxBodyBytes)
        {
            return Partial($"body exceeds {limits.MaxBodyBytes} bytes", message, limits, 413);
        }

        if (headerEnd + bodyLength - start > limits.MaxMessageBytes)
        {
            return Partial($"message exceeds {limits.MaxMessageBytes} bytes", message, limits, 413);
        }

        var consumed = headerEnd + bodyLength;
        message.Body = bodyLength == 0 ? ReadOnlyMemory<byte>.Empty : data.Slice(headerEnd, bodyLength).ToArray();

        var semanticError = SipHeaderValidation.Validate(message, limits, out var semanticStatus);
        if (semanticError is null && deferredError is not null)
        {
            return SipParseResult.Invalid(deferredError, message, consumed, deferredStatus);
        }

        return semanticError is null
            ? new SipParseResult(SipParseStatus.Message, message, null, consumed)
            : SipParseResult.Invalid(semanticError, message, consumed, semanticStatus);
    }

    /// <summary>A framing error: the header fields are still validated so the partial message carries what a 4xx needs.</summary>
    private static SipParseResult Partial(string error, SipMessage message, SipLimits limits, int status)
    {
        SipHeaderValidation.Validate(message, limits, out _);
        return SipParseResult.Invalid(error, message, 0, status);
    }

    private static SipMessage? ParseStartLine(string line, out string? error, out int status)
    {
        status = 400;
        error = null;
        if (line.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
            if (!line.StartsWith("SIP/2.0 ", StringComparison.OrdinalIgnoreCase))
            {
                error = "unsupported SIP version in status line";
                return null;
            }

            var rest = line.AsSpan(8);
            if (rest.Length < 3 || !char.IsAsciiDigit(rest[0]) || !char.IsAsciiDigit(rest[1]) || !char.IsAsciiDigit(rest[2])
                || (rest.Length > 3 && rest[3] != ' '))
            {
                error = "status code is not three digits";
                return null;
            }

            var code = ((rest[0] - '0') * 100) + ((rest[1] - '0') * 10) + (rest[2] - '0');
            if (code is < 100 or > 699)
            {
                error = "status code out of range";
                return null;
            }

            return new SipResponse(code, rest.Length > 4 ? rest[4..].ToString() : string.Empty);
        }

        // Request-Line = Method SP Request-URI SP SIP-Version: exactly single spaces, nothing trailing.
        var firstSpace = line.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = line.LastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            error = "request line is not 'Method SP Request-URI SP SIP-Version'";
            return null;
        }

        var method = line.AsSpan(0, firstSpace);
        if (!SipSyntax.IsToken(method))
        {
            error = "method is not a token";
            return null;
        }

        var uriText = line.AsSpan(firstSpace + 1, lastSpace - firstSpace - 1);
        var version = line.AsSpan(lastSpace + 1);
        if (uriText.IsEmpty || uriText.IndexOfAny(' ', '\t') >= 0 || version.IsEmpty)
        {
            error = "request line has extra whitespace";
            return null;
        }

        var uriOk = SipUri.TryParse(uriText, out var uri, out var uriError);
        if (!uriOk)
        {
            SipUri.TryParse("sip:invalid.invalid", out uri, out _);
        }

        if (!version.Equals("SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            // Answered with 505 Version Not Supported once the headers show where to send it (RFC 3261 §21.5.6).
            error = "unsupported SIP version " + version.ToString();
            status = 505;
        }
        else if (!uriOk)
        {
            error = "Request-URI: " + uriError;
        }
        else if (uri.Headers is not null)
        {
            // Headers are not allowed in a Request-URI (RFC 3261 §19.1.1, RFC 4475 §3.1.2.10).
            error = "Request-URI contains headers";
        }

        return new SipRequest(method.ToString(), uri);
    }
}
