namespace WebRtcAsr.Benchmarks;

/// <summary>The benchmark suites, by name. Each suite prints its own table.</summary>
internal static class BenchmarkCatalog
{
    private static readonly Dictionary<string, (string Description, Func<string[], int> Run)> Suites =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["sctp"] = ("SCTP message throughput between in-memory associations", Rtc.SctpThroughputBenchmark.Run),
        };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine("usage: benchmarks <suite> [options]");
            Console.Error.WriteLine("suites:");
            foreach (var (name, (description, _)) in Suites.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"  {name,-16} {description}");
            }

            return args.Length == 0 ? 0 : 2;
        }

        return suite.Run(args[1..]);
    }
}
