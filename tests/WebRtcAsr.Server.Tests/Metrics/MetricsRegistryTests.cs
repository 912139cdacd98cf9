using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Tests.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Writes_counters_gauges_and_histograms_that_parse_back()
    {
        var registry = new MetricsRegistry();
        var requests = registry.Counter("app_requests_total", "Requests.");
        var refused = registry.Counter("app_refused_total", "Refused, by reason.", "reason");
        var active = registry.Gauge("app_active", "Active now.");
        var computed = registry.Gauge("app_computed", "From a callback.", () => 2.5);
        var latency = registry.Histogram("app_latency_seconds", "Latency.", [0.1, 0.5, 1]);
        requests.Add(3);
        refused.Add("full", 2);
        refused.Add("quote\"back\\slash\nline");
        active.Increment();
        active.Increment();
        active.Decrement();
        foreach (var v in new[] { 0.05, 0.1, 0.3, 0.7, 2.0 })
        {
            latency.Observe(v);
        }

        var (samples, types) = PrometheusText.Parse(registry.WriteText());
        Assert.Equal("counter", types["app_requests_total"]);
        Assert.Equal("gauge", types["app_active"]);
        Assert.Equal("histogram", types["app_latency_seconds"]);
        double Value(string name, string? label = null, string? value = null) =>
            samples.Single(s => s.Name == name && (label is null || s.Labels[label] == value)).Value;

        Assert.Equal(3, Value("app_requests_total"));
        Assert.Equal(2, Value("app_refused_total", "reason", "full"));
        Assert.Equal(1, Value("app_refused_total", "reason", "quote\"back\\slash\nline"));
        Assert.Equal(1, Value("app_active"));
        Assert.Equal(2.5, Value("app_computed"));
        Assert.Equal(2, Value("app_latency_seconds_bucket", "le", "0.1")); // le is inclusive
        Assert.Equal(3, Value("app_latency_seconds_bucket", "le", "0.5"));
        Assert.Equal(4, Value("app_latency_seconds_bucket", "le", "1"));
        Assert.Equal(5, Value("app_latency_seconds_bucket", "le", "+Inf"));
        Assert.Equal(5, Value("app_latency_seconds_count"));
        Assert.Equal(3.15, Value("app_latency_seconds_sum"), 9);
        Assert.Equal(2.5, computed.Value);
    }

    [Fact]
    public void Counts_from_many_threads_without_losing_any()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("c_total", "c");
        var histogram = registry.Histogram("h", "h", [1]);
        var gauge = registry.Gauge("g", "g");
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add();
                histogram.Observe(0.5);
                gauge.Add(1);
            }
        });
        Assert.Equal(80_000, counter.Value);
        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(40_000, histogram.Sum);
        Assert.Equal(80_000, gauge.Value);
    }

    [Fact]
    public void Refuses_bad_names_duplicates_and_unsorted_buckets()
    {
        var registry = new MetricsRegistry();
        registry.Counter("ok_total", "x");
        Assert.Throws<ArgumentException>(() => registry.Counter("ok_total", "x"));
        Assert.Throws<ArgumentException>(() => registry.Counter("9bad", "x"));
        Assert.Throws<ArgumentException>(() => registry.Counter("bad-name", "x"));
        Assert.Throws<ArgumentException>(() => registry.Counter("fine", "x", "bad:label"));
        Assert.Throws<ArgumentException>(() => registry.Histogram("h", "x", [1, 1]));
    }

    [Fact]
    public void The_server_metrics_render_and_take_transport_reports()
    {
        var metrics = new ServerMetrics();
        metrics.ReportMedia(packetsReceived: 50, packetsLost: 2, packetsConcealed: 3, jitterSeconds: 0.004);
        metrics.ReportMedia(packetsReceived: 50, packetsLost: 0, packetsConcealed: 0, jitterSeconds: 0.012);
        var (samples, _) = PrometheusText.Parse(metrics.Registry.WriteText());
        Assert.Equal(100, samples.Single(s => s.Name == "webrtcasr_rtp_packets_received_total").Value);
        Assert.Equal(2, samples.Single(s => s.Name == "webrtcasr_rtp_packets_lost_total").Value);
        Assert.Equal(3, samples.Single(s => s.Name == "webrtcasr_rtp_packets_concealed_total").Value);
        Assert.Equal(2, samples.Single(s => s.Name == "webrtcasr_rtp_jitter_seconds_count").Value);
        Assert.Contains(samples, s => s.Name == "webrtcasr_word_final_latency_seconds_bucket");
        Assert.Contains(samples, s => s.Name == "webrtcasr_inference_mean_batch_size");
    }
}
