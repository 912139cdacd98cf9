using System.Collections.ObjectModel;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// A loaded model (an OrtSession) with its inputs, outputs and metadata read once. Runs go through
/// <see cref="OnnxRunPlan"/>s; ONNX Runtime allows concurrent runs on one session, and so does this class.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private const string CudaProviderName = "CUDAExecutionProvider";

    private static readonly string[] CudaProviderLibraries = ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];

    private static int s_apiNoteLogged;

    private readonly OrtHandle _handle;

    private OnnxSession(OnnxEnvironment environment, OrtHandle handle, string modelPath, string provider)
    {
        Environment = environment;
        _handle = handle;
        ModelPath = modelPath;
        ExecutionProvider = provider;
        nint session = handle.DangerousGetHandle();
        Inputs = ReadTensorInfos(session, isInput: true);
        Outputs = ReadTensorInfos(session, isInput: false);
        ReadMetadata(session);
    }

    /// <summary>Full path of the model file.</summary>
    public string ModelPath { get; }

    /// <summary>"CPU" or "CUDA".</summary>
    public string ExecutionProvider { get; }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>The model's custom metadata map (metadata_props), e.g. sherpa-onnx's "model_type".</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The model's producer_name.</summary>
    public string ProducerName { get; private set; } = "";

    /// <summary>The graph's name.</summary>
    public string GraphName { get; private set; } = "";

    /// <summary>The model's domain.</summary>
    public string Domain { get; private set; } = "";

    /// <summary>The model's doc_string.</summary>
    public string Description { get; private set; } = "";

    /// <summary>The model's model_version.</summary>
    public long ModelVersion { get; private set; }

    internal OnnxEnvironment Environment { get; }

    internal OrtHandle Handle => _handle;

    /// <summary>
    /// Loads <paramref name="modelPath"/>. Errors name the file: missing, unreadable, not an ONNX model;
    /// a missing native library gives <see cref="OnnxRuntimeNotFoundException"/>.
    /// </summary>
    public static OnnxSession Load(string modelPath, OnnxSessionOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(options.InterOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CudaDeviceId);
        logger ??= NullLogger.Instance;

        string path = Path.GetFullPath(modelPath);
        CheckReadable(path);

        OnnxEnvironment env = OnnxEnvironment.Shared;
        if (env.ApiVersionNote is not null && Interlocked.Exchange(ref s_apiNoteLogged, 1) == 0)
        {
            OnnxLog.ApiVersionFallback(logger, env.ApiVersionNote, env.LibraryLocation);
        }

        OrtApi api = env.Api;
        bool wantCuda = options.Provider != ExecutionProviderKind.Cpu;
        string reason = "requested";
        string? cudaProblem = wantCuda ? CudaUnavailableReason(env) : null;
        OrtHandle? session = null;
        string provider = "CPU";
        if (wantCuda && cudaProblem is null)
        {
            session = TryCreate(env, path, options, useCuda: true, out cudaProblem);
            if (session is not null)
            {
                provider = "CUDA";
                reason = options.Provider == ExecutionProviderKind.Auto ? "auto: CUDA execution provider available" : "requested";
            }
        }
        if (session is null)
        {
            if (options.Provider == ExecutionProviderKind.Cuda)
            {
                throw new OnnxRuntimeException(
                    $"Loading ONNX model '{path}' on CUDA failed: the CUDA execution provider is not available ({cudaProblem}). " +
                    "Use Provider = Cpu or Auto, or install ONNX Runtime's CUDA provider libraries next to libonnxruntime.so.1.",
                    path);
            }
            if (options.Provider == ExecutionProviderKind.Auto)
            {
                OnnxLog.CudaUnavailable(logger, path, cudaProblem ?? "unknown reason");
                reason = "auto: CUDA execution provider not available";
            }
            session = TryCreate(env, path, options, useCuda: false, out string? cpuProblem)
                ?? throw new InvalidOperationException($"No session was created for {path}: {cpuProblem}"); // TryCreate throws on CPU failures
        }

        try
        {
            var loaded = new OnnxSession(env, session, path, provider);
            OnnxLog.SessionLoaded(logger, path, provider, reason, env.RuntimeVersion, env.ApiVersion, options.IntraOpThreads, options.InterOpThreads);
            return loaded;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Prepares runs that feed <paramref name="inputNames"/> and fetch <paramref name="outputNames"/>, in those orders.
    /// An unknown or repeated name gives an <see cref="OnnxRuntimeException"/> naming it and the model.
    /// </summary>
    public OnnxRunPlan CreateRunPlan(IReadOnlyList<string> inputNames, IReadOnlyList<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(outputNames);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        OnnxTensorInfo[] inputs = Resolve(inputNames, Inputs, "input");
        OnnxTensorInfo[] outputs = Resolve(outputNames, Outputs, "output");
        if (outputs.Length == 0) throw new OnnxRuntimeException($"A run of model '{ModelPath}' must fetch at least one output.", ModelPath);
        return new OnnxRunPlan(this, inputs, outputs);
    }

    /// <summary>A plan that feeds every input and fetches every output, in the model's order.</summary>
    public OnnxRunPlan CreateRunPlan() =>
        CreateRunPlan(Inputs.Select(i => i.Name).ToArray(), Outputs.Select(o => o.Name).ToArray());

    /// <summary>Releases the OrtSession once no run is using it. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private OnnxTensorInfo[] Resolve(IReadOnlyList<string> names, IReadOnlyList<OnnxTensorInfo> declared, string kind)
    {
        var result = new OnnxTensorInfo[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            OnnxTensorInfo? info = declared.FirstOrDefault(d => d.Name == name);
            if (info is null)
            {
                throw new OnnxRuntimeException(
                    $"Model '{ModelPath}' has no {kind} named '{name}'; its {kind}s are: {string.Join(", ", declared.Select(d => $"'{d.Name}'"))}.",
                    ModelPath);
            }
            for (int j = 0; j < i; j++)
            {
                if (result[j].Name == name) throw new OnnxRuntimeException($"The {kind} '{name}' of model '{ModelPath}' is named twice in one run plan.", ModelPath);
            }
            result[i] = info;
        }
        return result;
    }

    private static void CheckReadable(string path)
    {
        if (Directory.Exists(path)) throw new OnnxRuntimeException($"ONNX model path '{path}' is a directory, not a model file.", path);
        if (!File.Exists(path)) throw new OnnxRuntimeException($"ONNX model file not found: '{path}'.", path);
        try
        {
            using FileStream stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxRuntimeException($"ONNX model file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Why CUDA cannot be tried at all, or null when it can.</summary>
    private static string? CudaUnavailableReason(OnnxEnvironment env)
    {
        if (!env.AvailableProviders.Contains(CudaProviderName))
        {
            return $"ONNX Runtime {env.RuntimeVersion} was built without it; its providers are {string.Join(", ", env.AvailableProviders)}";
        }
        // ONNX Runtime loads the CUDA provider from shared libraries beside its own; onnxruntime-node's
        // package does not include them. Saying so is clearer than ONNX Runtime's dlopen error.
        string? directory = File.Exists(env.LibraryLocation) ? Path.GetDirectoryName(env.LibraryLocation) : null;
        if (directory is not null)
        {
            foreach (string library in CudaProviderLibraries)
            {
                if (!File.Exists(Path.Combine(directory, library))) return $"{library} is not beside {env.LibraryLocation}";
            }
        }
        return null;
    }

    /// <summary>
    /// Creates the OrtSession. With <paramref name="useCuda"/>, a failure to set CUDA up (provider library
    /// missing, no GPU) returns null and says why in <paramref name="cudaProblem"/>; every other failure throws.
    /// </summary>
    private static OrtHandle? TryCreate(OnnxEnvironment env, string path, OnnxSessionOptions options, bool useCuda, out string? cudaProblem)
    {
        OrtApi api = env.Api;
        cudaProblem = null;
        using OrtHandle sessionOptions = CreateSessionOptions(api, options, path);
        nint opts = sessionOptions.DangerousGetHandle();
        if (useCuda)
        {
            cudaProblem = AppendCuda(api, opts, options.CudaDeviceId);
            if (cudaProblem is not null) return null;
        }

        byte[] pathBytes = OrtApi.ToUtf8Z(path);
        nint session;
        nint status;
        fixed (byte* p = pathBytes)
        {
            status = api.CreateSession(env.EnvPointer, p, opts, &session);
        }
        if (status != 0)
        {
            if (useCuda)
            {
                cudaProblem = api.TakeErrorText(status);
                return null;
            }
            OnnxRuntimeException error = api.TakeError(status, $"Loading ONNX model '{path}'", path);
            if (error.ErrorCode is OnnxErrorCode.InvalidProtobuf or OnnxErrorCode.InvalidGraph or OnnxErrorCode.NoModel)
            {
                error = new OnnxRuntimeException(error.Message + " (is the file an ONNX model? it may be damaged or of another format)", error.ErrorCode.Value, path);
            }
            throw error;
        }
        return new OrtHandle(api, OrtObjectKind.Session, session);
    }

    private static OrtHandle CreateSessionOptions(OrtApi api, OnnxSessionOptions options, string path)
    {
        nint opts;
        api.Check(api.CreateSessionOptions(&opts), "Creating session options", path);
        var handle = new OrtHandle(api, OrtObjectKind.SessionOptions, opts);
        try
        {
            api.Check(api.SetIntraOpNumThreads(opts, options.IntraOpThreads), $"Setting {options.IntraOpThreads} intra-op threads", path);
            api.Check(api.SetInterOpNumThreads(opts, options.InterOpThreads), $"Setting {options.InterOpThreads} inter-op threads", path);
            int level = options.Optimization switch
            {
                GraphOptimization.None => 0,
                GraphOptimization.Basic => 1,
                GraphOptimization.Extended => 2,
                _ => 99,
            };
            api.Check(api.SetSessionGraphOptimizationLevel(opts, level), $"Setting graph optimization {options.Optimization}", path);
            if (!options.AllowSpinning)
            {
                // Documented session config keys (onnxruntime_session_options_config_keys.h).
                AddConfigEntry(api, opts, "session.intra_op.allow_spinning", "0", path);
                AddConfigEntry(api, opts, "session.inter_op.allow_spinning", "0", path);
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AddConfigEntry(OrtApi api, nint opts, string key, string value, string path)
    {
        byte[] k = OrtApi.ToUtf8Z(key);
        byte[] v = OrtApi.ToUtf8Z(value);
        fixed (byte* kp = k)
        fixed (byte* vp = v)
        {
            api.Check(api.AddSessionConfigEntry(opts, kp, vp), $"Setting session option {key}={value}", path);
        }
    }

    /// <summary>Adds the CUDA execution provider; returns why it could not, or null.</summary>
    private static string? AppendCuda(OrtApi api, nint opts, int deviceId)
    {
        nint cuda;
        nint status = api.CreateCudaProviderOptions(&cuda);
        if (status != 0) return api.TakeErrorText(status);
        using var cudaHandle = new OrtHandle(api, OrtObjectKind.CudaProviderOptions, cuda);

        byte[] key = OrtApi.ToUtf8Z("device_id");
        byte[] value = OrtApi.ToUtf8Z(deviceId.ToString(CultureInfo.InvariantCulture));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            status = api.UpdateCudaProviderOptions(cuda, &k, &v, 1);
        }
        if (status != 0) return api.TakeErrorText(status);

        status = api.SessionOptionsAppendExecutionProviderCudaV2(opts, cuda);
        return status != 0 ? api.TakeErrorText(status) : null;
    }

    private OnnxTensorInfo[] ReadTensorInfos(nint session, bool isInput)
    {
        OrtApi api = Environment.Api;
        string kind = isInput ? "input" : "output";
        nuint count;
        api.Check(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count),
            $"Counting the {kind}s of model '{ModelPath}'", ModelPath);
        var infos = new OnnxTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePointer;
            api.Check(isInput
                    ? api.SessionGetInputName(session, i, Environment.DefaultAllocator, &namePointer)
                    : api.SessionGetOutputName(session, i, Environment.DefaultAllocator, &namePointer),
                $"Reading the name of {kind} {i} of model '{ModelPath}'", ModelPath);
            string name = api.TakeAllocatedString(Environment.DefaultAllocator, namePointer);

            nint typeInfo;
            api.Check(isInput ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo),
                $"Reading the type of {kind} '{name}' of model '{ModelPath}'", ModelPath);
            using var typeHandle = new OrtHandle(api, OrtObjectKind.TypeInfo, typeInfo);
            infos[(int)i] = OrtTensorShape.Describe(api, name, typeInfo);
        }
        return infos;
    }

    private void ReadMetadata(nint session)
    {
        OrtApi api = Environment.Api;
        nint allocator = Environment.DefaultAllocator;
        string doing = $"Reading the metadata of model '{ModelPath}'";
        nint metadata;
        api.Check(api.SessionGetModelMetadata(session, &metadata), doing, ModelPath);
        using var metadataHandle = new OrtHandle(api, OrtObjectKind.ModelMetadata, metadata);

        byte* text;
        api.Check(api.ModelMetadataGetProducerName(metadata, allocator, &text), doing, ModelPath);
        ProducerName = api.TakeAllocatedString(allocator, text);
        api.Check(api.ModelMetadataGetGraphName(metadata, allocator, &text), doing, ModelPath);
        GraphName = api.TakeAllocatedString(allocator, text);
        api.Check(api.ModelMetadataGetDomain(metadata, allocator, &text), doing, ModelPath);
        Domain = api.TakeAllocatedString(allocator, text);
        api.Check(api.ModelMetadataGetDescription(metadata, allocator, &text), doing, ModelPath);
        Description = api.TakeAllocatedString(allocator, text);
        long version;
        api.Check(api.ModelMetadataGetVersion(metadata, &version), doing, ModelPath);
        ModelVersion = version;

        byte** keys;
        long keyCount;
        api.Check(api.ModelMetadataGetCustomMetadataMapKeys(metadata, allocator, &keys, &keyCount), doing, ModelPath);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys is null)
        {
            Metadata = new ReadOnlyDictionary<string, string>(map);
            return;
        }
        OnnxRuntimeException? failure = null;
        for (long i = 0; i < keyCount; i++)
        {
            if (failure is null)
            {
                byte* value;
                nint status = api.ModelMetadataLookupCustomMetadataMap(metadata, allocator, keys[i], &value);
                if (status != 0)
                {
                    failure = api.TakeError(status, doing, ModelPath);
                }
                else
                {
                    map[OrtApi.Utf8(keys[i])] = api.TakeAllocatedString(allocator, value);
                }
            }
            api.Check(api.AllocatorFree(allocator, keys[i]), doing, ModelPath);
        }
        api.Check(api.AllocatorFree(allocator, keys), doing, ModelPath);
        if (failure is not null) throw failure;
        Metadata = new ReadOnlyDictionary<string, string>(map);
    }
}
