// transcribe: streams a WAV file through WebRtcAsr's recognizer and prints caption messages as
// JSON lines (the same schema the server sends), then a summary line. Also lists and fetches
// published models. Logs go to standard error, results to standard output.
using System.CommandLine;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Speech.Models;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.Transcribe;

Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose, outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}")
    .CreateLogger();
using var loggerFactory = new SerilogLoggerFactory(Log.Logger, dispose: true);
var logger = loggerFactory.CreateLogger("transcribe");

var wav = new Argument<string>("wav") { Description = "WAV file to transcribe (any sample rate and channel count)" };
var model = new Option<string?>("--model") { Description = $"Model folder (sherpa-onnx transducer layout); default: models/{DefaultModel.Name} or ${DefaultModel.EnvironmentVariable}" };
var decoding = new Option<string>("--decoding") { Description = "greedy or beam (modified beam search)", DefaultValueFactory = _ => "greedy" };
decoding.AcceptOnlyFromAmong("greedy", "beam");
var beam = new Option<int>("--beam") { Description = "Active paths for beam search", DefaultValueFactory = _ => 4 };
var realtime = new Option<bool>("--realtime") { Description = "Feed audio at the pace it was spoken (default: as fast as possible)" };
var chunkMs = new Option<int>("--chunk-ms") { Description = "Audio per chunk fed to the recognizer, ms", DefaultValueFactory = _ => 20 };
var noEndpoint = new Option<bool>("--no-endpointing") { Description = "Never end an utterance on silence; one final result at the end" };
var endpointMs = new Option<int>("--endpointing") { Description = "Trailing silence after speech that ends an utterance, ms", DefaultValueFactory = _ => 1200 };
var silenceMs = new Option<int>("--silence-timeout") { Description = "Trailing silence with nothing heard that ends a segment, ms", DefaultValueFactory = _ => 2400 };
var maxUtteranceMs = new Option<int>("--max-utterance") { Description = "Longest utterance before it is cut, ms", DefaultValueFactory = _ => 20000 };
var noInterim = new Option<bool>("--no-interim") { Description = "Print only final results" };
var numerals = new Option<bool>("--numerals") { Description = "Write spoken digits as digits (\"four one five two\" -> \"4152\")" };
var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads", DefaultValueFactory = _ => 1 };
var provider = new Option<string>("--provider") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "cpu" };
provider.AcceptOnlyFromAmong("cpu", "cuda", "auto");

var root = new RootCommand("Stream a WAV file through WebRtcAsr's streaming recognizer and print captions as JSON lines.");
root.Arguments.Add(wav);
foreach (var option in new Option[] { model, decoding, beam, realtime, chunkMs, noEndpoint, endpointMs, silenceMs, maxUtteranceMs, noInterim, numerals, threads, provider })
{
    root.Options.Add(option);
}

// Range checks, one clear line each (System.CommandLine checks the types).
foreach (var (option, min, max) in new[] { (chunkMs, 1, 10000), (beam, 1, 64), (threads, 1, 256), (endpointMs, 0, 600000), (silenceMs, 0, 600000), (maxUtteranceMs, 0, 3600000) })
{
    option.Validators.Add(result =>
    {
        var value = result.GetValueOrDefault<int>();
        if (value < min || value > max)
        {
            result.AddError($"{option.Name} must be from {min} to {max} (got {value})");
        }
    });
}

root.SetAction((parse, cancellationToken) => Task.FromResult(Guarded(logger, () => new Transcriber(
    new TranscribeOptions
    {
        WavPath = parse.GetValue(wav)!,
        ModelDirectory = parse.GetValue(model),
        Decoding = parse.GetValue(decoding) == "beam" ? DecodingMethod.ModifiedBeamSearch : DecodingMethod.GreedySearch,
        Beam = parse.GetValue(beam),
        Realtime = parse.GetValue(realtime),
        ChunkMs = parse.GetValue(chunkMs),
        Endpointing = !parse.GetValue(noEndpoint),
        EndpointSilenceMs = parse.GetValue(endpointMs),
        EndpointSilenceNoSpeechMs = parse.GetValue(silenceMs),
        MaxUtteranceMs = parse.GetValue(maxUtteranceMs),
        InterimResults = !parse.GetValue(noInterim),
        Numerals = parse.GetValue(numerals),
        Threads = parse.GetValue(threads),
        Provider = parse.GetValue(provider)!,
    },
    Console.Out,
    logger).Run(cancellationToken))));

root.Subcommands.Add(ModelsCommand.Create(logger));

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

// Known failures end with one clear line and exit code 1; anything else is a bug and shows its stack.
static int Guarded(Microsoft.Extensions.Logging.ILogger logger, Func<int> run)
{
    try
    {
        return run();
    }
    catch (Exception ex) when (ex is WavFormatException or TransducerModelException or OnnxRuntimeException
        or ModelManifestException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
    {
        logger.LogError("{Message}", ex.Message);
        return 1;
    }
    catch (OperationCanceledException)
    {
        return 130;
    }
}
