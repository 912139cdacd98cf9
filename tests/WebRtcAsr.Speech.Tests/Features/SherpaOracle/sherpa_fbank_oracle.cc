// Runs sherpa-onnx's own feature extractor (the FeatureExtractor inside an OnlineStream, i.e.
// kaldi-native-fbank as sherpa configures it) on a raw float32 signal and writes its frames.
// Used only to make test references; see make_sherpa_fbank_reference.sh.
//
// sherpa-onnx's C API has no call that returns features, so this reaches two internal functions of
// libsherpa-onnx-c-api.so by their addresses in its symbol table (the script finds them with nm):
//   std::make_unique<sherpa_onnx::OnlineStream>(const FeatureExtractorConfig&)
//   sherpa_onnx::OnlineStream::NumFramesReady() const, ::GetFrames(int, int) const
// and feeds audio through the exported SherpaOnnxOnlineStreamAcceptWaveform / InputFinished, whose
// stream handle is a struct holding the OnlineStream pointer.
//
// FeatureExtractorConfig's layout below is the one of sherpa-onnx 1.13.8 (linux-x64 npm build), read
// from that binary: ToString() prints the fields at 0x00..0x15, the destructor frees std::strings at
// 0x28 and 0x30, and the OnlineStream factory copies 0x18..0x24 and 0x38..0x40 (0x3d: mfcc, 0x3e:
// whisper, 0x3f: raw-audio features, 0x40: round_to_power_of_two). The library uses the old
// (copy-on-write) std::string ABI, hence -D_GLIBCXX_USE_CXX11_ABI=0. Values are the defaults an
// online transducer recognizer gets (features.h), which OnlineFbank's defaults mirror.
#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

struct FeatureExtractorConfig {
  int32_t sampling_rate;
  int32_t feature_dim;
  float low_freq;
  float high_freq;
  float dither;
  bool normalize_samples;
  bool snip_edges;
  float frame_shift_ms;
  float frame_length_ms;
  bool is_librosa;
  bool remove_dc_offset;
  float preemph_coeff;
  std::string window_type;
  std::string nemo_normalize_type;
  int32_t num_ceps;
  bool use_energy;
  bool is_mfcc;
  bool is_whisper;
  bool raw_audio;
  bool round_to_power_of_two;
  char reserve[64];  // room in case the real struct is longer
};
static_assert(offsetof(FeatureExtractorConfig, preemph_coeff) == 0x24, "layout");
static_assert(offsetof(FeatureExtractorConfig, window_type) == 0x28, "layout");
static_assert(offsetof(FeatureExtractorConfig, num_ceps) == 0x38, "layout");
static_assert(offsetof(FeatureExtractorConfig, round_to_power_of_two) == 0x40, "layout");

struct StreamHandle {
  void *online_stream;
};

int main(int argc, char **argv) {
  if (argc != 9) {
    fprintf(stderr,
            "usage: %s LIB MAKE_STREAM_OFFSET NUM_FRAMES_OFFSET GET_FRAMES_OFFSET IN.f32 "
            "OUT.f32 CHUNK INPUT_SCALE_IS_32768(0|1)\n",
            argv[0]);
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  Dl_info info;
  if (!dladdr(dlsym(lib, "SherpaOnnxGetVersionStr"), &info)) return 1;
  char *base = static_cast<char *>(info.dli_fbase);
  auto make_stream = reinterpret_cast<void *(*)(void **, const FeatureExtractorConfig *)>(
      base + strtoul(argv[2], nullptr, 16));
  auto num_frames = reinterpret_cast<int (*)(const void *)>(base + strtoul(argv[3], nullptr, 16));
  auto get_frames = reinterpret_cast<void (*)(std::vector<float> *, const void *, int, int)>(
      base + strtoul(argv[4], nullptr, 16));
  auto accept = reinterpret_cast<void (*)(const StreamHandle *, int32_t, const float *, int32_t)>(
      dlsym(lib, "SherpaOnnxOnlineStreamAcceptWaveform"));
  auto finish = reinterpret_cast<void (*)(const StreamHandle *)>(
      dlsym(lib, "SherpaOnnxOnlineStreamInputFinished"));
  auto version = reinterpret_cast<const char *(*)()>(dlsym(lib, "SherpaOnnxGetVersionStr"));

  FeatureExtractorConfig config;
  memset(static_cast<void *>(&config), 0, sizeof(config));
  config.sampling_rate = 16000;
  config.feature_dim = 80;
  config.low_freq = 20.0f;
  config.high_freq = -400.0f;
  config.dither = 0.0f;
  config.normalize_samples = argv[8][0] != '1';
  config.snip_edges = false;
  config.frame_shift_ms = 10.0f;
  config.frame_length_ms = 25.0f;
  config.remove_dc_offset = true;
  config.preemph_coeff = 0.97f;
  new (&config.window_type) std::string("povey");
  new (&config.nemo_normalize_type) std::string();
  config.num_ceps = 13;
  config.round_to_power_of_two = true;

  StreamHandle stream{nullptr};
  make_stream(&stream.online_stream, &config);

  std::vector<float> samples;
  FILE *in = fopen(argv[5], "rb");
  if (!in) return 1;
  float value;
  while (fread(&value, sizeof(float), 1, in) == 1) samples.push_back(value);
  fclose(in);

  size_t chunk = strtoul(argv[7], nullptr, 10);
  for (size_t i = 0; i < samples.size(); i += chunk) {
    size_t n = samples.size() - i < chunk ? samples.size() - i : chunk;
    accept(&stream, 16000, samples.data() + i, static_cast<int32_t>(n));
  }
  int before_flush = num_frames(stream.online_stream);
  finish(&stream);
  int frames = num_frames(stream.online_stream);
  std::vector<float> features;
  get_frames(&features, stream.online_stream, 0, frames);

  FILE *out = fopen(argv[6], "wb");
  if (!out) return 1;
  fwrite(features.data(), sizeof(float), features.size(), out);
  fclose(out);
  fprintf(stderr, "sherpa-onnx %s: %zu samples, %d frames before InputFinished, %d after\n",
          version(), samples.size(), before_flush, frames);
  return 0;  // the stream is leaked on purpose: the process ends here
}
