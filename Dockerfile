# syntax=docker/dockerfile:1
# WebRtcAsr server on CPU (linux/amd64). docs/deployment.md explains running it, HTTPS, ports, NAT and the GPU variant.
#
#   docker build -t webrtcasr .
#   docker run --rm -p 8080:8080 -p 3478:3478/udp -e WEBRTCASR__PUBLICADDRESS=<this host's IP> webrtcasr
#
# Not yet built: the machine this file was written on reaches no container registry, so the base images could not be
# pulled. Every path and command below was checked by hand against the repository (see docs/deployment.md).

ARG DOTNET_VERSION=10.0

# ---------------------------------------------------------------- build
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /src

# scripts/bootstrap.sh fetches ONNX Runtime's native library and the Silero VAD model as pinned npm packages and checks
# each tarball's SHA-256 (the same script and pins as a developer checkout); `npm pack` needs npm.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/bootstrap.sh scripts/bootstrap.sh
RUN scripts/bootstrap.sh

# Restore first, from the project files alone, so a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/WebRtcAsr.Server/WebRtcAsr.Server.csproj src/WebRtcAsr.Server/
COPY src/WebRtcAsr.Rtc/WebRtcAsr.Rtc.csproj src/WebRtcAsr.Rtc/
COPY src/WebRtcAsr.Sip/WebRtcAsr.Sip.csproj src/WebRtcAsr.Sip/
COPY src/WebRtcAsr.Media/WebRtcAsr.Media.csproj src/WebRtcAsr.Media/
COPY src/WebRtcAsr.Speech/WebRtcAsr.Speech.csproj src/WebRtcAsr.Speech/
RUN dotnet restore src/WebRtcAsr.Server/WebRtcAsr.Server.csproj

COPY src/ src/
# The Speech project copies .deps/onnxruntime/libonnxruntime.so.1 and .deps/silero/silero_vad_v5.onnx next to the program.
RUN dotnet publish src/WebRtcAsr.Server/WebRtcAsr.Server.csproj -c Release --no-restore -o /app -p:UseAppHost=false \
 && test -f /app/libonnxruntime.so.1 \
 && test -f /app/silero_vad_v5.onnx

# ---------------------------------------------------------------- run
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble
# libopus decodes the browsers' Opus (the server's only other native dependency is ONNX Runtime, copied from the build).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopus0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app ./
# The server finds web/ and the default model by looking upwards from its own folder.
COPY web/ web/
COPY models/digits-en-lstm/ models/digits-en-lstm/
RUN mkdir -p /data && chown "$APP_UID" /data

# HTTP on every address (browsers allow the microphone only on https:// or localhost: see docs/deployment.md for
# HTTPS), the archive on the volume, SIP calls' RTP in the 200 ports published below. Any WebRtcAsr setting can be
# given the same way (WEBRTCASR__SECTION__KEY).
ENV ASPNETCORE_URLS=http://+:8080 \
    WEBRTCASR__ARCHIVE__FOLDER=/data/archive \
    WEBRTCASR__SIP__MEDIAPORTFIRST=20000 \
    WEBRTCASR__SIP__MEDIAPORTLAST=20199
VOLUME /data

# 8080 HTTP, 8443 HTTPS when configured, 3478/udp WebRTC media (one port for every peer), 5060 SIP over UDP and TCP,
# 20000-20199/udp RTP of SIP calls (WebRtcAsr:Sip:MediaPortFirst..MediaPortLast above; two ports a call).
EXPOSE 8080/tcp 8443/tcp 3478/udp 5060/udp 5060/tcp 20000-20199/udp

# SIGTERM (docker stop) ends every session with its last results delivered and archived; allow
# WebRtcAsr:Timeouts:ShutdownSeconds + 5 s (docker stop -t 20, compose stop_grace_period: 20s).
STOPSIGNAL SIGTERM
USER $APP_UID
ENTRYPOINT ["dotnet", "WebRtcAsr.Server.dll"]
