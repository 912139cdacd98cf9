using System.Text;
using WebRtcAsr.Media.Rtcp;

namespace WebRtcAsr.Rtc.Tests.Rtcp;

/// <summary>A receiver-report compound read back with Media's RTCP parsers, checking the RFC 3550 6.1 layout on the way.</summary>
internal readonly record struct ReceivedReport(uint ReporterSsrc, ReportBlock? Block, string Cname)
{
    public static ReceivedReport Parse(ReadOnlySpan<byte> compound)
    {
        Assert.Equal(RtcpParseError.None, RtcpCompoundReader.Validate(compound));
        var reader = new RtcpCompoundReader(compound);
        Assert.True(reader.MoveNext());
        Assert.True(ReceiverReportView.TryParse(reader.Current, out var rr, out _), "the compound starts with an RR");
        Assert.InRange(rr.ReportCount, 0, 1);
        ReportBlock? block = rr.ReportCount == 1 ? rr.GetReport(0) : null;
        uint reporter = rr.Ssrc;

        Assert.True(reader.MoveNext());
        var sdes = new SdesReader(reader.Current);
        Assert.True(sdes.MoveNext(), "an SDES follows the RR");
        Assert.Equal(SdesItemType.CName, sdes.ItemType);
        Assert.Equal(reporter, sdes.Source);
        string cname = Encoding.ASCII.GetString(sdes.Text);
        Assert.False(reader.MoveNext());
        return new ReceivedReport(reporter, block, cname);
    }
}
