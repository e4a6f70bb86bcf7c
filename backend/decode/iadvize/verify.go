package iadvize

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Reasons Verify gives for a signature that does not match.
const (
	ReasonNoHeader     = "the delivery has no " + HeaderSignature + " header"
	ReasonNoMatch      = "signature does not match: wrong secret, or the body was changed after signing"
	ReasonDecompressed = "signature matches the decompressed body, not the bytes received: the body was compressed in transit after iAdvize signed it"
	ReasonTrimmed      = "signature matches the body without its trailing newline: a newline was added in transit after iAdvize signed it"
	ReasonNewline      = "signature matches the body with a trailing newline: the newline was removed in transit after iAdvize signed it"
	ReasonSecretSpace  = "signature matches the configured secret without its surrounding spaces or line breaks: remove them from the secret"
)

// Verify checks X-iAdvize-Signature, "sha256=" and the hex HMAC-SHA256 of the raw body (the raw
// query string for a GET) keyed with the secret. When it does not match it tries the likely
// accidents (decompressed body, trailing newline, secret pasted with whitespace) to say why.
func (vendor) Verify(in *decode.Input, secret string) backend.Verification {
	if secret == "" {
		return backend.Verification{Status: backend.VerifyNoSecret}
	}
	var (
		hs     backend.Headers
		raw    []byte
		parsed []byte
	)
	if in != nil {
		parsed = in.Body
		if in.Delivery != nil {
			hs = in.Delivery.Headers
			raw = in.Delivery.Body
			if in.Delivery.Method == http.MethodGet && len(raw) == 0 {
				raw = []byte(in.Delivery.Query)
			}
		} else {
			raw = in.Body
		}
	}
	sig := strings.TrimSpace(hs.Get(HeaderSignature))
	if sig == "" {
		return backend.Verification{Status: backend.VerifyUnsigned, Reason: ReasonNoHeader}
	}
	want, reason := parseSignature(sig)
	if reason != "" {
		return backend.Verification{Status: backend.VerifyMismatch, Reason: reason}
	}
	if signs(want, secret, raw) {
		return backend.Verification{Status: backend.VerifyVerified}
	}
	return backend.Verification{Status: backend.VerifyMismatch, Reason: diagnose(want, secret, raw, parsed)}
}

// Sign returns the X-iAdvize-Signature value for body and secret: "sha256=" and lowercase hex.
func Sign(secret string, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, body))
}

func mac(secret string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return h.Sum(nil)
}

func signs(want []byte, secret string, body []byte) bool {
	return hmac.Equal(want, mac(secret, body))
}

// parseSignature returns the 32 HMAC bytes of "sha256=<hex>", or why the header cannot be one.
func parseSignature(sig string) ([]byte, string) {
	algo, digest, ok := strings.Cut(sig, "=")
	if !ok {
		return nil, fmt.Sprintf("malformed signature %q: it does not start with sha256=", oneLine(sig, 24))
	}
	if !strings.EqualFold(strings.TrimSpace(algo), "sha256") {
		return nil, fmt.Sprintf("malformed signature: algorithm %q, but iAdvize signs with sha256=", oneLine(algo, 24))
	}
	digest = strings.TrimSpace(digest)
	b, err := hex.DecodeString(digest)
	if err != nil {
		return nil, "malformed signature: the value after sha256= is not hexadecimal"
	}
	if len(b) != sha256.Size {
		return nil, fmt.Sprintf("malformed signature: %d hex digits after sha256=, want %d", len(digest), 2*sha256.Size)
	}
	return b, ""
}

// diagnose looks for the usual reasons a genuine signature fails.
func diagnose(want []byte, secret string, raw, parsed []byte) string {
	if len(parsed) > 0 && !bytes.Equal(parsed, raw) && signs(want, secret, parsed) {
		return ReasonDecompressed
	}
	for _, body := range [][]byte{raw, parsed} {
		if t := bytes.TrimRight(body, "\r\n"); len(t) != len(body) && signs(want, secret, t) {
			return ReasonTrimmed
		}
	}
	if signs(want, secret, append(bytes.Clone(raw), '\n')) {
		return ReasonNewline
	}
	if t := strings.TrimSpace(secret); t != secret && t != "" && signs(want, t, raw) {
		return ReasonSecretSpace
	}
	return ReasonNoMatch
}

// SignatureHeader returns HeaderSignature: iAdvize signs every delivery (decode.Signer).
func (vendor) SignatureHeader() string { return HeaderSignature }

// Signature returns the X-iAdvize-Signature of d with secret: of its body, or of its query
// string for a GET without a body.
func (vendor) Signature(d *backend.Delivery, secret string) string {
	signed := d.Body
	if d.Method == "GET" && len(signed) == 0 {
		signed = []byte(d.Query)
	}
	return Sign(secret, signed)
}
