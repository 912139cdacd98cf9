using System.Buffers.Binary;
using System.Text;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>Reads and describes the error causes carried by ABORT and ERROR chunks (RFC 9260 §3.3.10).</summary>
public static class ErrorCauses
{
    /// <summary>A short human-readable description of the causes, e.g. "User-Initiated Abort: bye".</summary>
    public static string Describe(ReadOnlySpan<byte> causes)
    {
        var text = new StringBuilder();
        int count = 0;
        while (causes.Length >= 4 && count < 8)
        {
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(causes);
            int length = BinaryPrimitives.ReadUInt16BigEndian(causes[2..]);
            if (length < 4 || length > causes.Length)
            {
                text.Append(count > 0 ? "; " : string.Empty).Append("malformed error cause");
                break;
            }

            var info = causes[4..length];
            if (count++ > 0)
            {
                text.Append("; ");
            }

            text.Append(Name(code));
            if ((code == (ushort)SctpErrorCause.UserInitiatedAbort || code == (ushort)SctpErrorCause.ProtocolViolation)
                && !info.IsEmpty)
            {
                text.Append(": ").Append(Encoding.UTF8.GetString(info[..Math.Min(info.Length, 200)]));
            }

            int padded = (length + 3) & ~3;
            causes = padded >= causes.Length ? default : causes[padded..];
        }

        return count == 0 && text.Length == 0 ? "no cause given" : text.ToString();
    }

    /// <summary>True when the causes contain the given code.</summary>
    public static bool Contains(ReadOnlySpan<byte> causes, SctpErrorCause cause)
    {
        while (causes.Length >= 4)
        {
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(causes);
            int length = BinaryPrimitives.ReadUInt16BigEndian(causes[2..]);
            if (length < 4 || length > causes.Length)
            {
                return false;
            }

            if (code == (ushort)cause)
            {
                return true;
            }

            int padded = (length + 3) & ~3;
            causes = padded >= causes.Length ? default : causes[padded..];
        }

        return false;
    }

    public static string Name(ushort code) => code switch
    {
        1 => "Invalid Stream Identifier",
        2 => "Missing Mandatory Parameter",
        3 => "Stale Cookie Error",
        4 => "Out of Resource",
        5 => "Unresolvable Address",
        6 => "Unrecognized Chunk Type",
        7 => "Invalid Mandatory Parameter",
        8 => "Unrecognized Parameters",
        9 => "No User Data",
        10 => "Cookie Received While Shutting Down",
        11 => "Restart of an Association with New Addresses",
        12 => "User-Initiated Abort",
        13 => "Protocol Violation",
        _ => $"cause {code}",
    };
}
