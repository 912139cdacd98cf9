using System.Globalization;

namespace WebRtcAsr.Server.Tests.Metrics;

/// <summary>Reads Prometheus text format back: every sample line into (name, labels, value), checking the grammar.</summary>
internal static class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static (List<Sample> Samples, Dictionary<string, string> Types) Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.Contains(parts[1], new[] { "counter", "gauge", "histogram" });
                types.Add(parts[0], parts[1]);
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.False(line.StartsWith('#'), line);
            var at = 0;
            while (at < line.Length && (char.IsAsciiLetterOrDigit(line[at]) || line[at] is '_' or ':'))
            {
                at++;
            }

            var name = line[..at];
            var labels = new Dictionary<string, string>();
            if (at < line.Length && line[at] == '{')
            {
                at++;
                while (line[at] != '}')
                {
                    var eq = line.IndexOf('=', at);
                    var labelName = line[at..eq];
                    Assert.Equal('"', line[eq + 1]);
                    var value = new System.Text.StringBuilder();
                    var i = eq + 2;
                    for (; line[i] != '"'; i++)
                    {
                        if (line[i] == '\\')
                        {
                            i++;
                            value.Append(line[i] == 'n' ? '\n' : line[i]);
                        }
                        else
                        {
                            value.Append(line[i]);
                        }
                    }

                    labels.Add(labelName, value.ToString());
                    at = i + 1;
                    if (line[at] == ',')
                    {
                        at++;
                    }
                }

                at++;
            }

            Assert.Equal(' ', line[at]);
            var number = line[(at + 1)..];
            var parsed = number switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(name, labels, parsed));
        }

        return (samples, types);
    }
}
