namespace WebRtcAsr.Sip.Messages;

/// <summary>Header field names, their compact forms (RFC 3261 §7.3.3, §20) and which ones are comma-separated lists.</summary>
public static class SipHeaderNames
{
    public const string Accept = "Accept";
    public const string Allow = "Allow";
    public const string Authorization = "Authorization";
    public const string CallId = "Call-ID";
    public const string Contact = "Contact";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string CSeq = "CSeq";
    public const string Event = "Event";
    public const string Expires = "Expires";
    public const string From = "From";
    public const string MaxForwards = "Max-Forwards";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string RecordRoute = "Record-Route";
    public const string ReferTo = "Refer-To";
    public const string Require = "Require";
    public const string RetryAfter = "Retry-After";
    public const string Route = "Route";
    public const string Server = "Server";
    public const string Subject = "Subject";
    public const string Supported = "Supported";
    public const string Timestamp = "Timestamp";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string Warning = "Warning";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string AllowEvents = "Allow-Events";
    public const string SessionExpires = "Session-Expires";
    public const string AcceptEncoding = "Accept-Encoding";
    public const string AcceptLanguage = "Accept-Language";

    private static readonly Dictionary<string, string> Canonical = BuildCanonical();

    private static readonly HashSet<string> ListHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        Via, Route, RecordRoute, Contact, Allow, Supported, Require, Unsupported, Accept,
        AcceptEncoding, AcceptLanguage, ContentEncoding, "Proxy-Require", AllowEvents,
    };

    /// <summary>
    /// The canonical spelling of a header name: compact forms expand (v → Via), known names get
    /// their standard case, unknown names are kept as received.
    /// </summary>
    public static string Canonicalize(ReadOnlySpan<char> name)
    {
        var lookup = Canonical.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(name, out var canonical) ? canonical : name.ToString();
    }

    /// <summary>True for headers whose value is a comma-separated list (§7.3.1), so values may be split and combined.</summary>
    public static bool IsList(string canonicalName) => ListHeaders.Contains(canonicalName);

    private static Dictionary<string, string> BuildCanonical()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string[] known =
        [
            Accept, Allow, Authorization, CallId, Contact, ContentEncoding, ContentLength, ContentType, CSeq,
            Event, Expires, From, MaxForwards, ProxyAuthorization, RecordRoute, ReferTo, Require, RetryAfter,
            Route, Server, Subject, Supported, Timestamp, To, Unsupported, UserAgent, Via, Warning, WwwAuthenticate,
            AllowEvents, SessionExpires, AcceptEncoding, AcceptLanguage, "Proxy-Require", "Proxy-Authenticate", "Date",
            "Content-Disposition", "MIME-Version", "Min-Expires", "Organization", "Priority", "Reply-To",
            "Alert-Info", "Call-Info", "Error-Info", "In-Reply-To", "Content-Language", "Min-SE", "P-Asserted-Identity",
        ];
        foreach (var name in known)
        {
            map[name] = name;
        }

        // Compact forms, RFC 3261 §7.3.3 and the extensions registered with IANA.
        map["i"] = CallId;
        map["m"] = Contact;
        map["e"] = ContentEncoding;
        map["l"] = ContentLength;
        map["c"] = ContentType;
        map["f"] = From;
        map["s"] = Subject;
        map["k"] = Supported;
        map["t"] = To;
        map["v"] = Via;
        map["o"] = Event;
        map["u"] = AllowEvents;
        map["r"] = ReferTo;
        map["x"] = SessionExpires;
        return map;
    }
}
