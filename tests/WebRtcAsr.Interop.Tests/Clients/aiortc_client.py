"""A WebRTC client made with aiortc (Debian python3-aiortc), driven by the interop tests.

It offers audio (a WAV file played in real time, Opus-encoded by aiortc) and a data channel
"captions"; the test relays offer and answer through the server's signaling hub. Lines of JSON on
stdout report progress; the answer arrives as one JSON line on stdin. Once connected it sends a text
message and a binary message larger than 64 KiB, expects the server's echoes, notes channels the
server opens, plays the whole WAV, then closes the peer connection and prints the result.

--wrong-fingerprint announces a fingerprint that is not its certificate's: the server must refuse
the DTLS handshake, so the connection must fail.
"""
import argparse
import asyncio
import hashlib
import json
import sys
import time

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer

BIG = bytes(i % 251 for i in range(100_000))


def emit(**fields):
    print(json.dumps(fields), flush=True)


def forge_fingerprints(sdp):
    lines = []
    for line in sdp.split("\r\n"):
        if line.startswith("a=fingerprint:"):
            algorithm, value = line[len("a=fingerprint:"):].split(" ", 1)
            first = int(value[:2], 16) ^ 0xFF
            line = "a=fingerprint:%s %02X%s" % (algorithm, first, value[2:])
        lines.append(line)
    return "\r\n".join(lines)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wav", required=True)
    parser.add_argument("--wrong-fingerprint", action="store_true")
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()

    loop = asyncio.get_event_loop()
    pc = RTCPeerConnection()
    player = MediaPlayer(args.wav)
    pc.addTrack(player.audio)
    channel = pc.createDataChannel("captions")
    received = []
    server_channels = []
    opened = asyncio.Event()
    echoes_done = asyncio.Event()
    failed = asyncio.Event()
    connected_at = None
    started = time.monotonic()

    def on_message(message):
        received.append(message)
        if len(received) == 2:
            echoes_done.set()

    channel.on("message", on_message)
    channel.on("open", opened.set)

    @pc.on("datachannel")
    def on_datachannel(remote):
        messages = []
        server_channels.append({"label": remote.label, "messages": messages})
        def on_remote_message(m):
            if isinstance(m, str):
                messages.append(m)
            else:
                messages.append({"binary": len(m), "pattern_ok": m == bytes(i % 251 for i in range(len(m)))})
        remote.on("message", on_remote_message)

    @pc.on("connectionstatechange")
    def on_state():
        nonlocal connected_at
        emit(state=pc.connectionState)
        if pc.connectionState == "connected" and connected_at is None:
            connected_at = time.monotonic()
        if pc.connectionState == "failed":
            failed.set()

    await pc.setLocalDescription(await pc.createOffer())
    offer = pc.localDescription.sdp
    if args.wrong_fingerprint:
        offer = forge_fingerprints(offer)
    offered_at = time.monotonic()
    emit(offer=offer)

    line = await loop.run_in_executor(None, sys.stdin.readline)
    answer = json.loads(line)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["answer"], type="answer"))

    result = {}
    try:
        done, _ = await asyncio.wait(
            [asyncio.ensure_future(opened.wait()), asyncio.ensure_future(failed.wait())],
            timeout=args.timeout, return_when=asyncio.FIRST_COMPLETED)
        if not opened.is_set():
            result["connected"] = False
            result["state"] = pc.connectionState
            return result
        result["connected"] = True
        result["offer_to_connected_ms"] = round(((connected_at or time.monotonic()) - offered_at) * 1000, 1)
        channel.send("hello from aiortc")
        channel.send(BIG)
        await asyncio.wait_for(echoes_done.wait(), args.timeout)
        result["text_echo"] = received[0]
        # The echo is the message itself, or (when it exceeds our announced max-message-size) its digest.
        digest = "binary %d sha256 %s" % (len(BIG), hashlib.sha256(BIG).hexdigest())
        result["binary_echo_ok"] = received[1] == BIG or received[1] == digest
        result["binary_echo_kind"] = "bytes" if isinstance(received[1], bytes) else "digest"
        # Let the whole file play (MediaPlayer paces it in real time from the start of sending).
        remaining = float(answer.get("play_seconds", 0)) - (time.monotonic() - (connected_at or offered_at))
        if remaining > 0:
            await asyncio.sleep(remaining)
        result["server_channels"] = server_channels
        return result
    finally:
        result["elapsed_s"] = round(time.monotonic() - started, 2)
        await pc.close()
        emit(result=result)


if __name__ == "__main__":
    asyncio.run(main())
