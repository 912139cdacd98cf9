using System.Reflection;

namespace WebRtcAsr.Benchmarks;

/// <summary>Marks a benchmark suite: a static class with <c>public static int Run(string[] args)</c>.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class BenchmarkSuiteAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>The benchmark suites, found by their attribute and chosen by name. Each suite prints its own table.</summary>
internal static class BenchmarkCatalog
{
    public static int Run(string[] args)
    {
        var suites = typeof(BenchmarkCatalog).Assembly.GetTypes()
            .Select(t => (Type: t, Suite: t.GetCustomAttribute<BenchmarkSuiteAttribute>()))
            .Where(s => s.Suite is not null)
            .OrderBy(s => s.Suite!.Name, StringComparer.Ordinal)
            .ToList();
        var chosen = args.Length == 0 ? default : suites.FirstOrDefault(s => string.Equals(s.Suite!.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (chosen.Type is null)
        {
            Console.Error.WriteLine("usage: benchmarks <suite> [options]");
            Console.Error.WriteLine("suites:");
            foreach (var (_, suite) in suites)
            {
                Console.Error.WriteLine($"  {suite!.Name,-16} {suite.Description}");
            }

            return args.Length == 0 ? 0 : 2;
        }

        var run = chosen.Type.GetMethod("Run", BindingFlags.Public | BindingFlags.Static, [typeof(string[])])
            ?? throw new InvalidOperationException($"{chosen.Type.Name} has no public static int Run(string[] args)");
        return (int)run.Invoke(null, [args[1..]])!;
    }
}
