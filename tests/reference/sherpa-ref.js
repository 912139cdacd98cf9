#!/usr/bin/env node
// Reference recognizer harness: runs sherpa-onnx (npm sherpa-onnx-node, the reference
// implementation) on a streaming transducer model and prints what it recognised as JSON,
// so tests can compare our recognizer with it token for token.
//
//   node tests/reference/sherpa-ref.js [request.json]      (the request is read from stdin
//                                                            when no file is given)
//
// Request (JSON; paths are absolute or relative to the working directory):
// {
//   "mode": "decode",                      // or "bench" (see below)
//   "model": { "dir": "models/fixtures/zipformer2",  // encoder.onnx decoder.onnx joiner.onnx tokens.txt
//              "type": "zipformer2" },     // sherpa modelType; "" = read from metadata
//   "decodingMethod": "greedy_search",     // or "modified_beam_search"
//   "maxActivePaths": 4, "numThreads": 1,
//   "endpoint": { "enabled": false, "rule1MinTrailingSilence": 2.4,
//                 "rule2MinTrailingSilence": 1.2, "rule3MinUtteranceLength": 20 },
//   "tailPaddingSeconds": 0.66,            // zeros fed after the audio, before inputFinished
//   "inputFinished": true,
//   "partials": false,                     // record the result after every chunk
//   "streams": [ { "id": "a", "wav": "x.wav", "chunkSamples": [1600, 320, 4000] } ]
// }
// chunkSamples is one size or a list of sizes used in turn (cycling) for acceptWaveform.
// All streams share ONE recognizer. Decoding goes in rounds, as sherpa's multi-stream
// examples do: each stream that still has audio accepts its next chunk, then all ready
// streams are decoded together with decodeStreams until none is ready; then endpoints are
// checked (and the stream reset) and partial results taken. A stream whose audio is used up
// gets the tail padding and inputFinished, and is decoded to the end in the same rounds.
//
// Response: { "sherpaOnnxVersion", "onnxruntimeVersion" (the ONNX Runtime sherpa ships),
//   "tailPaddingSeconds", "streams": [ { "id", "sampleRate",
//   "samples", "segments": [result, ...] (one per endpoint, when enabled), "final": result,
//   "partials": [ { "chunk", "samplesFed", "text", "tokenIds" } ] } ] }
// where result = { "text", "tokens", "tokenIds", "timestamps" (seconds, relative to the
//   segment), "startTime", "segment", "ysProbs" }.
//
// Bench mode: { "mode": "bench", "model", "decodingMethod", "maxActivePaths", "numThreads",
//   "wavs": ["a.wav", ...] (stream i plays wavs[i % n]), "streams": 32, "chunkMs": 20,
//   "repeat": 1 (times each stream plays its audio), "tailPaddingSeconds": 0.66 }
// feeds every stream one chunk per round as fast as possible and reports wall time, audio
// seconds, RTF (wall / audio of all streams), and latency percentiles of decodeStreams calls
// and of whole rounds (the time to decode one chunk of every stream).
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const deps = process.env.WEBRTCASR_DEPS || path.join(root, '.deps');
const modulePath = path.join(deps, 'node', 'node_modules', 'sherpa-onnx-node');

function fail(message) {
  process.stderr.write(`sherpa-ref: ${message}\n`);
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(2);
}

let sherpa;
try {
  sherpa = require(modulePath);
} catch (e) {
  fail(`cannot load sherpa-onnx-node from ${modulePath} (run ./test.sh, it bootstraps it): ${e.message}`);
}

function readRequest() {
  const file = process.argv[2];
  const text = file ? fs.readFileSync(file, 'utf8') : fs.readFileSync(0, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`request is not JSON: ${e.message}`);
  }
}

function modelFiles(model) {
  if (!model || !model.dir) fail('request.model.dir is required');
  const dir = path.resolve(model.dir);
  const f = (key, name) => path.resolve(dir, model[key] || name);
  const files = {
    encoder: f('encoder', 'encoder.onnx'),
    decoder: f('decoder', 'decoder.onnx'),
    joiner: f('joiner', 'joiner.onnx'),
    tokens: f('tokens', 'tokens.txt'),
  };
  for (const [k, p] of Object.entries(files)) {
    if (!fs.existsSync(p)) fail(`model ${k} not found: ${p}`);
  }
  return files;
}

function createRecognizer(req) {
  const files = modelFiles(req.model);
  const ep = req.endpoint || {};
  const config = {
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
      transducer: { encoder: files.encoder, decoder: files.decoder, joiner: files.joiner },
      tokens: files.tokens,
      numThreads: req.numThreads || 1,
      provider: 'cpu',
      debug: 0,
      modelType: req.model.type || '',
    },
    decodingMethod: req.decodingMethod || 'greedy_search',
    maxActivePaths: req.maxActivePaths || 4,
    enableEndpoint: ep.enabled ? 1 : 0,
    rule1MinTrailingSilence: ep.rule1MinTrailingSilence ?? 2.4,
    rule2MinTrailingSilence: ep.rule2MinTrailingSilence ?? 1.2,
    rule3MinUtteranceLength: ep.rule3MinUtteranceLength ?? 20,
  };
  return { recognizer: new sherpa.OnlineRecognizer(config), tokenIds: tokenTable(files.tokens) };
}

// sherpa's results carry token strings, with "▁" shown as a space; map them back to ids.
function tokenTable(file) {
  const ids = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(.*) (\d+)\s*$/.exec(line);
    if (m) ids.set(m[1].replace(/▁/g, ' '), Number(m[2]));
  }
  return ids;
}

function convert(result, tokenIds) {
  return {
    text: result.text,
    tokens: result.tokens,
    tokenIds: result.tokens.map((t) => (tokenIds.has(t) ? tokenIds.get(t) : -1)),
    timestamps: result.timestamps,
    startTime: result.start_time,
    segment: result.segment,
    ysProbs: result.ys_probs,
  };
}

function readWave(file) {
  const p = path.resolve(file);
  if (!fs.existsSync(p)) fail(`wav not found: ${p}`);
  const w = sherpa.readWave(p);
  return { samples: Float32Array.from(w.samples), sampleRate: w.sampleRate };
}

function chunkSizes(spec, sampleRate) {
  const sizes = spec === undefined ? [Math.round(sampleRate * 0.1)] : [].concat(spec);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    fail('chunkSamples must be a positive integer or a list of them');
  }
  return sizes;
}

// Decodes every ready stream, batch after batch, until none is ready; returns the
// duration of each decodeStreams call (ms).
function decodeReady(recognizer, streams) {
  const times = [];
  for (;;) {
    const ready = streams.filter((s) => recognizer.isReady(s));
    if (ready.length === 0) return times;
    const t0 = process.hrtime.bigint();
    recognizer.decodeStreams(ready);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}

function decode(req) {
  const { recognizer, tokenIds } = createRecognizer(req);
  const tail = req.tailPaddingSeconds ?? 0.66;
  const finish = req.inputFinished ?? true;
  const endpointOn = !!(req.endpoint && req.endpoint.enabled);
  if (!Array.isArray(req.streams) || req.streams.length === 0) fail('request.streams is empty');

  const states = req.streams.map((s, i) => {
    const wave = readWave(s.wav);
    return {
      id: s.id ?? String(i),
      wave,
      sizes: chunkSizes(s.chunkSamples, wave.sampleRate),
      fed: 0,
      chunk: 0,
      done: false, // all audio given (and padding, inputFinished)
      stream: recognizer.createStream(),
      segments: [],
      partials: [],
    };
  });

  while (states.some((s) => !s.done)) {
    for (const s of states) {
      if (s.done) continue;
      const n = Math.min(s.sizes[s.chunk % s.sizes.length], s.wave.samples.length - s.fed);
      if (n > 0) {
        s.stream.acceptWaveform({ samples: s.wave.samples.subarray(s.fed, s.fed + n), sampleRate: s.wave.sampleRate });
        s.fed += n;
      }
      s.chunk += 1;
      if (s.fed >= s.wave.samples.length) {
        if (tail > 0) {
          s.stream.acceptWaveform({ samples: new Float32Array(Math.round(s.wave.sampleRate * tail)), sampleRate: s.wave.sampleRate });
        }
        if (finish) s.stream.inputFinished();
        s.done = true;
      }
    }
    // A stream that finished this round is decoded to its end here as well.
    decodeReady(recognizer, states.map((s) => s.stream));
    for (const s of states) {
      if (s.lastChunkSeen === s.chunk) continue; // finished in an earlier round
      s.lastChunkSeen = s.chunk;
      if (endpointOn && recognizer.isEndpoint(s.stream)) {
        s.segments.push({ afterChunk: s.chunk, samplesFed: s.fed, ...convert(recognizer.getResult(s.stream), tokenIds) });
        recognizer.reset(s.stream);
      }
      if (req.partials) {
        const r = convert(recognizer.getResult(s.stream), tokenIds);
        s.partials.push({ chunk: s.chunk, samplesFed: s.fed, text: r.text, tokenIds: r.tokenIds });
      }
    }
  }

  return {
    sherpaOnnxVersion: sherpa.version,
    onnxruntimeVersion: ortVersion(),
    tailPaddingSeconds: tail,
    streams: states.map((s) => ({
      id: s.id,
      sampleRate: s.wave.sampleRate,
      samples: s.wave.samples.length,
      segments: s.segments,
      final: convert(recognizer.getResult(s.stream), tokenIds),
      partials: req.partials ? s.partials : undefined,
    })),
  };
}

function ortVersion() {
  const v = sherpa.onnxruntimeVersion;
  return typeof v === 'function' ? v() : String(v ?? '');
}

function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[k];
}

function bench(req) {
  const { recognizer } = createRecognizer(req);
  const wavs = (req.wavs || []).map(readWave);
  if (wavs.length === 0) fail('bench needs request.wavs');
  const count = req.streams || 1;
  const repeat = req.repeat || 1;
  const chunkMs = req.chunkMs || 20;
  const tail = req.tailPaddingSeconds ?? 0.66;

  const states = [];
  for (let i = 0; i < count; i++) {
    const w = wavs[i % wavs.length];
    const audio = new Float32Array(w.samples.length * repeat);
    for (let r = 0; r < repeat; r++) audio.set(w.samples, r * w.samples.length);
    states.push({ audio, sampleRate: w.sampleRate, chunk: Math.round((w.sampleRate * chunkMs) / 1000), fed: 0, done: false, stream: recognizer.createStream() });
  }
  const audioSeconds = states.reduce((a, s) => a + s.audio.length / s.sampleRate, 0);

  const callMs = [];
  const roundMs = [];
  const t0 = process.hrtime.bigint();
  while (states.some((s) => !s.done)) {
    for (const s of states) {
      if (s.done) continue;
      const n = Math.min(s.chunk, s.audio.length - s.fed);
      s.stream.acceptWaveform({ samples: s.audio.subarray(s.fed, s.fed + n), sampleRate: s.sampleRate });
      s.fed += n;
      if (s.fed >= s.audio.length) {
        if (tail > 0) s.stream.acceptWaveform({ samples: new Float32Array(Math.round(s.sampleRate * tail)), sampleRate: s.sampleRate });
        s.stream.inputFinished();
        s.done = true;
      }
    }
    const r0 = process.hrtime.bigint();
    callMs.push(...decodeReady(recognizer, states.map((s) => s.stream)));
    roundMs.push(Number(process.hrtime.bigint() - r0) / 1e6);
  }
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let tokens = 0;
  for (const s of states) tokens += recognizer.getResult(s.stream).tokens.length;

  return {
    sherpaOnnxVersion: sherpa.version,
    onnxruntimeVersion: ortVersion(),
    decodingMethod: req.decodingMethod || 'greedy_search',
    numThreads: req.numThreads || 1,
    streams: count,
    chunkMs,
    wallSeconds,
    audioSeconds,
    rtf: wallSeconds / audioSeconds,
    tokens,
    decodeCalls: callMs.length,
    decodeCallMs: { p50: percentile(callMs, 50), p95: percentile(callMs, 95), max: Math.max(0, ...callMs) },
    rounds: roundMs.length,
    roundMs: { p50: percentile(roundMs, 50), p95: percentile(roundMs, 95), max: Math.max(0, ...roundMs) },
  };
}

const request = readRequest();
let response;
try {
  response = request.mode === 'bench' ? bench(request) : decode(request);
} catch (e) {
  fail(e.stack || String(e));
}
process.stdout.write(JSON.stringify(response) + '\n');
