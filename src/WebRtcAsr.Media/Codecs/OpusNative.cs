using System.Runtime.InteropServices;

namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// P/Invoke surface of libopus (Debian package libopus0, soname libopus.so.0). Everything native
/// about Opus goes through this class.
/// </summary>
/// <remarks>
/// <c>opus_encoder_ctl</c>/<c>opus_decoder_ctl</c> are variadic C functions. On x86-64 System V and
/// AArch64 Linux a variadic callee reads integer and pointer arguments from the same registers as
/// a fixed-argument call, so each request shape gets its own fixed-signature import (int value,
/// int* out, none), as other .NET Opus bindings do. (Apple AArch64 passes variadic arguments on the
/// stack; this binding is not for that platform.)
/// </remarks>
internal static unsafe partial class OpusNative
{
    internal const string Library = "libopus.so.0";

    internal const int Ok = 0;
    internal const int ApplicationVoip = 2048;
    internal const int SetBitrateRequest = 4002;
    internal const int SetComplexityRequest = 4010;
    internal const int SetInbandFecRequest = 4012;
    internal const int SetPacketLossPercRequest = 4014;
    internal const int SetDtxRequest = 4016;
    internal const int SetSignalRequest = 4024;
    internal const int GetLookaheadRequest = 4027;
    internal const int ResetStateRequest = 4028;
    internal const int SignalVoice = 3001;

    private static readonly Lazy<bool> Loadable = new(() => NativeLibrary.TryLoad(Library, out _));

    /// <summary>Throws <see cref="OpusLibraryNotFoundException"/> unless libopus can be loaded.</summary>
    internal static void EnsureLoaded()
    {
        if (!Loadable.Value)
        {
            throw new OpusLibraryNotFoundException();
        }
    }

    internal static string ErrorText(int error)
    {
        IntPtr text = opus_strerror(error);
        return text == IntPtr.Zero ? $"opus error {error}" : Marshal.PtrToStringUTF8(text) ?? $"opus error {error}";
    }

    [LibraryImport(Library)]
    internal static partial IntPtr opus_get_version_string();

    [LibraryImport(Library)]
    internal static partial IntPtr opus_strerror(int error);

    [LibraryImport(Library)]
    internal static partial OpusDecoderHandle opus_decoder_create(int fs, int channels, out int error);

    [LibraryImport(Library)]
    internal static partial void opus_decoder_destroy(IntPtr decoder);

    [LibraryImport(Library)]
    internal static partial int opus_decode_float(OpusDecoderHandle decoder, byte* data, int length, float* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_decoder_ctl")]
    internal static partial int opus_decoder_ctl(OpusDecoderHandle decoder, int request);

    [LibraryImport(Library)]
    internal static partial int opus_packet_get_nb_samples(byte* packet, int length, int fs);

    [LibraryImport(Library)]
    internal static partial int opus_packet_parse(byte* data, int length, byte* toc, byte** frames, short* sizes, int* payloadOffset);

    [LibraryImport(Library)]
    internal static partial OpusEncoderHandle opus_encoder_create(int fs, int channels, int application, out int error);

    [LibraryImport(Library)]
    internal static partial void opus_encoder_destroy(IntPtr encoder);

    [LibraryImport(Library)]
    internal static partial int opus_encode_float(OpusEncoderHandle encoder, float* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_set(OpusEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_get(OpusEncoderHandle encoder, int request, int* value);
}

/// <summary>Owns a native <c>OpusDecoder*</c>.</summary>
internal sealed class OpusDecoderHandle : SafeHandle
{
    public OpusDecoderHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_decoder_destroy(handle);
        return true;
    }
}

/// <summary>Owns a native <c>OpusEncoder*</c>.</summary>
internal sealed class OpusEncoderHandle : SafeHandle
{
    public OpusEncoderHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_encoder_destroy(handle);
        return true;
    }
}
