#!/usr/bin/env bash
# Makes development certificates under certs/out/ (git-ignored). Idempotent: existing files are
# kept unless --force is given, or unless they expire within 7 days.
#
#   out/dtls.pem, out/dtls.key    ECDSA P-256 self-signed, CN=WebRtcAsr, 30 days: the DTLS identity
#                                 (WebRTC peers check its SHA-256 fingerprint from SDP, not a chain)
#   out/https.pem, out/https.key  ECDSA P-256 self-signed for localhost/127.0.0.1/::1, 365 days:
#                                 HTTPS for the signaling endpoint in development (browsers need
#                                 a secure context for getUserMedia on anything but localhost)
#
# Usage: certs/make-dev-certs.sh [--force]     (CERTS_OUT=dir to write elsewhere)
#
# CERTS_HOSTS="192.168.1.20 devbox.lan" adds names and addresses to the HTTPS certificate, for a server
# reached from other machines (remake with --force after changing it).
set -euo pipefail

command -v openssl >/dev/null || { echo "make-dev-certs: openssl is needed (Debian package openssl)" >&2; exit 1; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${CERTS_OUT:-$here/out}"
force=0
[ "${1:-}" = "--force" ] && force=1
mkdir -p "$out"
umask 077

# fresh NAME: true when out/NAME.pem and its key exist and stay valid for 7 more days.
fresh() {
    [ $force = 0 ] && [ -s "$out/$1.pem" ] && [ -s "$out/$1.key" ] \
        && openssl x509 -in "$out/$1.pem" -noout -checkend $((7 * 24 * 3600)) >/dev/null
}

make_cert() { # NAME DAYS SUBJECT [EXTENSIONS...]
    local name=$1 days=$2 subject=$3
    shift 3
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
        -days "$days" -subj "$subject" -set_serial "0x$(openssl rand -hex 16 | sed 's/^[89a-f]/7/')" \
        -keyout "$out/$name.key.tmp" -out "$out/$name.pem.tmp" "$@" 2>/dev/null
    mv "$out/$name.key.tmp" "$out/$name.key"
    mv "$out/$name.pem.tmp" "$out/$name.pem"
    echo "made $out/$name.pem"
}

if fresh dtls; then
    echo "kept $out/dtls.pem"
else
    make_cert dtls 30 "/CN=WebRtcAsr"
fi

if fresh https; then
    echo "kept $out/https.pem"
else
    san="DNS:localhost,IP:127.0.0.1,IP:::1"
    for host in ${CERTS_HOSTS:-}; do
        if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then san="$san,IP:$host"; else san="$san,DNS:$host"; fi
    done
    make_cert https 365 "/CN=localhost" \
        -addext "subjectAltName=$san" \
        -addext "extendedKeyUsage=serverAuth" \
        -addext "keyUsage=digitalSignature"
fi

printf 'DTLS fingerprint: sha-256 %s\n' \
    "$(openssl x509 -in "$out/dtls.pem" -noout -fingerprint -sha256 | cut -d= -f2)"
