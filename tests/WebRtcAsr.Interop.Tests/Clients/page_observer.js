// Injected into a page before its own scripts (Playwright's addInitScript): records, on the page's clock
// (performance.now()), what the page's microphone captured and what came and went on its data channels, without
// changing the page. window.pageObserver.read() returns it all as JSON.
//
// Microphone: the first audio track getUserMedia returns is cloned and read through MediaStreamTrackProcessor,
// which hands over the captured audio in 10 ms AudioData chunks as the capture produces them. For each chunk the
// tap logs how many samples the track had delivered by its end and when it arrived; and it notes every onset (the
// first sample above THRESHOLD after at least 0.5 s without one). A sample's capture time is at most its chunk's
// arrival time; CaptureClock (C#) turns the log into a sample → page-time map.
(() => {
  const THRESHOLD = 1e-3; // MicrophoneScript.SoundThreshold
  const QUIET_SECONDS = 0.5;
  const log = { rate: 0, position: 0, chunks: [], onsets: [], gaps: [], received: [], sent: [], dom: [] };
  const waiters = [];

  async function tap(track) {
    // A deep queue (1 s): a busy page thread delays chunks (the clock below allows for that) but loses none.
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 100 }).readable.getReader();
    let quiet = Infinity;
    let nextTimestamp = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const t = performance.now();
      const n = value.numberOfFrames;
      log.rate = value.sampleRate;
      const chunkMicros = (n * 1e6) / value.sampleRate;
      if (nextTimestamp !== null && value.timestamp - nextTimestamp > chunkMicros / 2) {
        // Chunks the processor dropped (its queue overflowed) leave a gap in the timestamps; a capture tick that was
        // merely late stamps less than half a chunk late. Positions skip the lost chunks, so they stay true to the
        // capture; the C# side checks the onsets against the script.
        const lost = Math.round((value.timestamp - nextTimestamp) / chunkMicros);
        log.gaps.push(value.timestamp - nextTimestamp);
        log.position += lost * n;
        quiet += lost * n;
      }
      nextTimestamp = value.timestamp + chunkMicros;
      const samples = new Float32Array(n);
      value.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      value.close();
      for (let i = 0; i < n; i++) {
        if (Math.abs(samples[i]) > THRESHOLD) {
          if (quiet >= QUIET_SECONDS * log.rate) log.onsets.push(log.position + i);
          quiet = 0;
        } else {
          quiet++;
        }
      }
      log.position += n;
      log.chunks.push(log.position, t);
      for (let w = waiters.length - 1; w >= 0; w--) {
        if (waiters[w].ready()) waiters.splice(w, 1)[0].resolve(t);
      }
    }
  }

  const md = navigator.mediaDevices;
  if (md?.getUserMedia) {
    const getUserMedia = md.getUserMedia.bind(md);
    md.getUserMedia = async (constraints) => {
      if (window.pageObserverRawAudio && constraints?.audio) {
        // The test asked for the microphone without the browser's voice processing (see PageObservation.AttachAsync).
        const audio = typeof constraints.audio === 'object' ? constraints.audio : {};
        constraints = { ...constraints, audio: { ...audio, echoCancellation: false, noiseSuppression: false, autoGainControl: false } };
      }
      const stream = await getUserMedia(constraints);
      const track = stream.getAudioTracks()[0];
      if (track && !log.tapped) {
        log.tapped = true;
        tap(track.clone()).catch((e) => (log.error = String(e)));
      }
      return stream;
    };
  }

  const createDataChannel = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const dc = createDataChannel.apply(this, args);
    dc.addEventListener('message', (e) => log.received.push({ t: performance.now(), data: String(e.data) }));
    const send = dc.send;
    dc.send = function (data) {
      log.sent.push({ t: performance.now(), data: String(data) });
      return send.call(this, data);
    };
    return dc;
  };

  // What the page shows: the interim line and the list of final text, each time either changes.
  function watch() {
    const interim = document.getElementById('interim');
    const finals = document.getElementById('final-list');
    if (!interim || !finals) return;
    let last = '';
    new MutationObserver(() => {
      const now = { interim: interim.textContent, finals: [...finals.querySelectorAll('.text')].map((e) => e.textContent).join(' | ') };
      const key = JSON.stringify(now);
      if (key !== last) log.dom.push({ t: performance.now(), ...now });
      last = key;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();

  window.pageObserver = {
    read: () => JSON.stringify(log),
    /** Seconds of audio the track has delivered so far. */
    seconds: () => (log.rate ? log.position / log.rate : 0),
    /** Resolves (with the arrival time) once the track has delivered `seconds` of audio past onset number `index`. */
    afterOnset: (index, seconds) =>
      new Promise((resolve) => {
        const ready = () => log.onsets.length > index && log.position >= log.onsets[index] + seconds * log.rate;
        if (ready()) resolve(performance.now());
        else waiters.push({ ready, resolve });
      }),
  };
})();
