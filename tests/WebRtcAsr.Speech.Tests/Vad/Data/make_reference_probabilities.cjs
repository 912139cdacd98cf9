// Makes vad_reference_16k.silero_v5.f32: the speech probability of every 512-sample window of
// vad_reference_16k.wav, as computed by an independent implementation of Silero VAD v5's streaming
// loop: @ricky0123/vad-web 0.0.31's own Silero class (dist/models/silero.js, which carries the
// state and the 64-sample context as upstream silero-vad's OnnxWrapper does) running the same
// silero_vad_v5.onnx on onnxruntime-node 1.23.2. Output: little-endian float32, one per window
// (a trailing partial window is not run).
//
// Run once, by hand (the tests only read the committed output):
//   mkdir ref && cd ref && npm install --ignore-scripts onnxruntime-node@1.23.2 @ricky0123/vad-web@0.0.31
//   node <this file> <wav> <out.f32>
"use strict";
const fs = require("fs");
const path = require("path");
// The packages are installed where the script is run from, not next to it.
const fromCwd = require("module").createRequire(path.join(process.cwd(), "index.js"));
const ort = fromCwd("onnxruntime-node");

const vadWebDist = path.dirname(fromCwd.resolve("@ricky0123/vad-web/dist/models/silero.js"));
const { Silero } = fromCwd(path.join(vadWebDist, "silero.js"));
const modelPath = path.join(vadWebDist, "..", "silero_vad_v5.onnx");

function readPcm16Mono(file) {
  const b = fs.readFileSync(file);
  if (b.toString("ascii", 0, 4) !== "RIFF" || b.toString("ascii", 8, 12) !== "WAVE") throw new Error("not a WAV file");
  let offset = 12, rate = 0, data = null;
  while (offset + 8 <= b.length) {
    const id = b.toString("ascii", offset, offset + 4);
    const size = b.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      if (b.readUInt16LE(body) !== 1 || b.readUInt16LE(body + 2) !== 1 || b.readUInt16LE(body + 14) !== 16) throw new Error("want 16-bit PCM mono");
      rate = b.readUInt32LE(body + 4);
    } else if (id === "data") {
      data = b.subarray(body, body + size);
    }
    offset = body + size + (size & 1);
  }
  if (rate !== 16000 || data === null) throw new Error("want 16 kHz audio with a data chunk");
  const samples = new Float32Array(data.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2) / 32768;
  return samples;
}

async function main() {
  const [wav, out] = process.argv.slice(2);
  if (!wav || !out) throw new Error("usage: node make_reference_probabilities.cjs <wav> <out.f32>");
  const samples = readPcm16Mono(wav);
  const silero = await Silero.new(ort, async () => fs.readFileSync(modelPath));
  const windows = Math.floor(samples.length / 512);
  const probabilities = new Float32Array(windows);
  for (let w = 0; w < windows; w++) {
    const { isSpeech } = await silero.process(samples.slice(w * 512, (w + 1) * 512));
    probabilities[w] = isSpeech;
  }
  fs.writeFileSync(out, Buffer.from(probabilities.buffer));
  console.log(`${windows} windows; max ${Math.max(...probabilities).toFixed(4)}; first ${Array.from(probabilities.slice(0, 4), p => p.toFixed(4)).join(" ")}`);
}

main().catch(e => { console.error(e); process.exit(1); });
