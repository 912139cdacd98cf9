using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// The loaded ONNX Runtime: its C API table, its OrtEnv (one per process, as ONNX Runtime wants),
/// the default allocator and the CPU memory description for caller-owned tensors.
/// </summary>
public sealed unsafe class OnnxEnvironment : IDisposable
{
    /// <summary>Newest C API version this binding knows; it asks for no more than this.</summary>
    public const int NewestKnownApiVersion = 23;

    /// <summary>Oldest C API version this binding accepts (every slot it uses exists from here on).</summary>
    public const int OldestUsableApiVersion = 16;

    // ORT_LOGGING_LEVEL_WARNING: ONNX Runtime's own log lines below warnings stay quiet.
    private const int OrtLoggingLevelWarning = 2;

    private static ILogger? s_nativeLogger;

    private static readonly Lazy<OnnxEnvironment> s_shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly OrtHandle _env;
    private readonly OrtHandle _cpuMemory;

    private OnnxEnvironment(OrtApi api, OrtHandle env, OrtHandle cpuMemory, nint allocator, string runtimeVersion, int apiVersion, string? apiNote, string libraryLocation)
    {
        Api = api;
        _env = env;
        _cpuMemory = cpuMemory;
        DefaultAllocator = allocator;
        RuntimeVersion = runtimeVersion;
        ApiVersion = apiVersion;
        ApiVersionNote = apiNote;
        AvailableProviders = ReadAvailableProviders(api);
        BuildInfo = OrtApi.Utf8(api.GetBuildInfoString());
        LibraryLocation = libraryLocation;
    }

    /// <summary>The process-wide environment, created on first use (loads the native library; may throw <see cref="OnnxRuntimeNotFoundException"/>).</summary>
    public static OnnxEnvironment Shared => s_shared.Value;

    /// <summary>
    /// Where ONNX Runtime's own log lines (warnings and errors) go; when null, to standard error.
    /// The host sets it once at start-up so those lines land in the server's log.
    /// </summary>
    public static ILogger? NativeLogger
    {
        get => Volatile.Read(ref s_nativeLogger);
        set => Volatile.Write(ref s_nativeLogger, value);
    }

    /// <summary>ONNX Runtime's version, e.g. "1.23.2".</summary>
    public string RuntimeVersion { get; }

    /// <summary>The C API version obtained from the library.</summary>
    public int ApiVersion { get; }

    /// <summary>Set when a lower API version than the library's had to be used, saying why; otherwise null.</summary>
    public string? ApiVersionNote { get; }

    /// <summary>Execution providers this build of ONNX Runtime contains, e.g. "CPUExecutionProvider".</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    /// <summary>ONNX Runtime's build description (git commit, build options).</summary>
    public string BuildInfo { get; }

    /// <summary>Where the native library was loaded from.</summary>
    public string LibraryLocation { get; }

    internal OrtApi Api { get; }

    internal nint EnvPointer => _env.DangerousGetHandle();

    internal OrtHandle EnvHandle => _env;

    /// <summary>ONNX Runtime's default CPU allocator; it frees what ONNX Runtime allocates (names, metadata). Never released.</summary>
    internal nint DefaultAllocator { get; }

    /// <summary>OrtMemoryInfo for CPU memory; tensors over caller memory are described with it.</summary>
    internal nint CpuMemoryInfo => _cpuMemory.DangerousGetHandle();

    /// <summary>
    /// Does nothing: the environment is process-wide and sessions may still use it; ONNX Runtime frees
    /// it when the process ends. (IDisposable is kept so the type fits where a disposable is expected.)
    /// </summary>
    public void Dispose()
    {
    }

    /// <summary>Parses the minor version out of "1.23.2"; the C API version of ONNX Runtime 1.x is x.</summary>
    internal static int? ParseApiVersion(string runtimeVersion)
    {
        string[] parts = runtimeVersion.Split('.');
        if (parts.Length >= 2 && parts[0] == "1" &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            return minor;
        }
        return null;
    }

    /// <summary>
    /// Asks for the library's own C API version (capped at <see cref="NewestKnownApiVersion"/>), then for
    /// older ones down to <see cref="OldestUsableApiVersion"/>; the note says when an older one was used.
    /// </summary>
    internal static (nint Table, int Version, string? Note) NegotiateApi(Func<int, nint> getApi, string runtimeVersion, string location)
    {
        int wanted = Math.Min(ParseApiVersion(runtimeVersion) ?? NewestKnownApiVersion, NewestKnownApiVersion);
        for (int version = wanted; version >= OldestUsableApiVersion; version--)
        {
            nint table = getApi(version);
            if (table == 0) continue;
            string? note = version == wanted
                ? null
                : $"ONNX Runtime {runtimeVersion} refused C API version {wanted}; using version {version}";
            return (table, version, note);
        }
        throw new OnnxRuntimeException(
            $"ONNX Runtime {runtimeVersion} (at {location}) offers no C API version this binding can use " +
            $"({OldestUsableApiVersion} to {NewestKnownApiVersion}, i.e. ONNX Runtime 1.16 or newer). Run scripts/bootstrap.sh (it fetches onnxruntime-node 1.23.2).");
    }

    private static OnnxEnvironment Create()
    {
        nint library = OnnxRuntimeLibrary.Load(out string location);
        var getApiBase = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "OrtGetApiBase");
        nint* apiBase = (nint*)getApiBase();
        if (apiBase == null) throw new OnnxRuntimeException($"OrtGetApiBase returned nothing (library: {location}).");
        var getApi = (delegate* unmanaged<uint, nint>)apiBase[0];
        var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
        string version = OrtApi.Utf8(getVersionString());

        (nint table, int obtained, string? note) = NegotiateApi(v => getApi((uint)v), version, location);

        var api = new OrtApi(table);
        nint env;
        byte[] logId = OrtApi.ToUtf8Z("WebRtcAsr");
        fixed (byte* id = logId)
        {
            api.Check(api.CreateEnvWithCustomLogger(&OnNativeLog, 0, OrtLoggingLevelWarning, id, &env), "Creating the ONNX Runtime environment");
        }
        var envHandle = new OrtHandle(api, OrtObjectKind.Env, env);

        nint memoryInfo;
        api.Check(api.CreateCpuMemoryInfo(OrtApi.OrtArenaAllocator, OrtApi.OrtMemTypeDefault, &memoryInfo), "Describing CPU memory");
        var memoryHandle = new OrtHandle(api, OrtObjectKind.MemoryInfo, memoryInfo);

        nint allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), "Getting the default allocator");

        return new OnnxEnvironment(api, envHandle, memoryHandle, allocator, version, obtained, note, location);
    }

    /// <summary>ONNX Runtime's logging callback (any thread): forwards a line to <see cref="NativeLogger"/>.</summary>
    [UnmanagedCallersOnly]
    private static void OnNativeLog(nint param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            string text = OrtApi.Utf8(message);
            LogLevel level = severity switch
            {
                0 => LogLevel.Trace,
                1 => LogLevel.Information,
                2 => LogLevel.Warning,
                3 => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            ILogger? logger = NativeLogger;
            if (logger is null)
            {
                Console.Error.WriteLine($"onnxruntime {level}: {text}");
            }
            else
            {
                OnnxLog.Native(logger, level, OrtApi.Utf8(category), text);
            }
        }
#pragma warning disable CA1031 // an exception must never unwind into ONNX Runtime's native frames
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static string[] ReadAvailableProviders(OrtApi api)
    {
        byte** names;
        int count;
        api.Check(api.GetAvailableProviders(&names, &count), "Listing execution providers");
        var result = new string[count];
        for (int i = 0; i < count; i++) result[i] = OrtApi.Utf8(names[i]);
        api.Check(api.ReleaseAvailableProviders(names, count), "Releasing the execution provider list");
        return result;
    }
}
