# tests/lib/tls.sh: a throwaway self-signed certificate for wss:// tests.
#
#   tl_make_cert     writes $TL_TMP/tls/{cert,key}.pem for CN and SAN
#                    127.0.0.1 (P-256, valid one day); sets TL_CERT, TL_KEY
#
# Needs tests/lib/common.sh and the openssl command.

tl_make_cert() {
	command -v openssl >/dev/null || tl_fail "openssl not installed"
	mkdir -p "$TL_TMP/tls"
	TL_CERT=$TL_TMP/tls/cert.pem
	TL_KEY=$TL_TMP/tls/key.pem
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-keyout "$TL_KEY" -out "$TL_CERT" >>"$TL_TMP/openssl.log" 2>&1 ||
		tl_fail "openssl could not make a certificate"
}
