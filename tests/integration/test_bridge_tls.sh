#!/usr/bin/env bash
# TLS to NATS: a server with a certificate from a test CA. An importer given
# another CA (tls_ca) fails the handshake: DEGRADED with the TLS error,
# retried, never exiting; the exporter given the right CA sends over tls://,
# and once the importer's config names the right CA too, every tick arrives.
source "$(dirname "$0")/bridge_lib.sh"
command -v openssl >/dev/null || { echo "SKIP: openssl is not installed"; exit 77; }

# ca NAME: a self-signed CA; cert: the server's certificate for 127.0.0.1 from ca "good".
ca() { openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$1" -keyout "$T/$1.key" -out "$T/$1.pem" \
	>>"$T/openssl.log" 2>&1 || tl_fail "openssl: cannot make CA $1"; }
ca good
ca other
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$T/server.key" -out "$T/server.csr" \
	>>"$T/openssl.log" 2>&1 || tl_fail "openssl: cannot make the server key"
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/server.csr" -CA "$T/good.pem" -CAkey "$T/good.key" -CAcreateserial -days 1 \
	-extfile "$T/san.ext" -out "$T/server.pem" >>"$T/openssl.log" 2>&1 || tl_fail "openssl: cannot sign"

tl_nats_start nats --tls --tlscert "$T/server.pem" --tlskey "$T/server.key"
url=${NATS_URL[nats]/nats:/tls:}
bridge_configs "$url" "edge:bridge.out.tls_ca=$T/good.pem" "centre:bridge.in.tls_ca=$T/other.pem" \
	centre:bridge.in.retry_max_ms=500
detail() { tl_bus_field "$1" "$2" .detail; }
importer_says() { [[ $(detail "$CENTRE_CFG" bridge.in) == *"$1"* ]]; }

start_importer
tl_wait_for 10 "the importer reports the TLS failure" importer_says "SSL"
echo "importer with the wrong CA: $(detail "$CENTRE_CFG" bridge.in)"
tl_holds 1 "the importer keeps running" tl_alive importer

start_exporter
start_feed 3000 0
tl_reap feed 10
tl_wait_for 20 "the exporter sent everything over TLS" exporter_lag_is 0
tl_stop importer TERM
sed -i "s|^tls_ca = $T/other.pem|tls_ca = $T/good.pem|" "$CENTRE_CFG"
start_importer
tl_wait_for 20 "the centre holds every edge tick" centre_has 1
compare_rings
tl_pass
