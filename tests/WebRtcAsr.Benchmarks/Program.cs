// Benchmarks print figures; each suite is chosen by name on the command line.
// Usage: dotnet run -c Release --project tests/WebRtcAsr.Benchmarks -- <suite> [options]
using WebRtcAsr.Benchmarks;

return BenchmarkCatalog.Run(args);
