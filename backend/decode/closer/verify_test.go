package closer_test

import (
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
)

func TestVerify(t *testing.T) {
	const secret = "s3cret-token"
	h := func(kv ...string) backend.Headers {
		var hs backend.Headers
		for i := 0; i+1 < len(kv); i += 2 {
			hs = append(hs, backend.Header{Name: kv[i], Value: kv[i+1]})
		}
		return hs
	}
	tests := []struct {
		name    string
		headers backend.Headers
		query   string
		secret  string
		status  string
		reason  string // a part of the reason
	}{
		{"NoSecret", h("X-Closer-Token", secret), "", "", backend.VerifyNoSecret, ""},
		{"NoToken", h("Content-Type", "application/json"), "a=1", secret, backend.VerifyUnsigned, "carries no token"},
		{"BasicAuthIsNoToken", h("Authorization", "Basic dXNlcjpwYXNz"), "", secret, backend.VerifyUnsigned, "carries no token"},
		{"Header", h("x-closer-token", " "+secret+" "), "", secret, backend.VerifyVerified, closer.WhereHeader},
		{"Bearer", h("Authorization", "bearer "+secret), "", secret, backend.VerifyVerified, closer.WhereBearer},
		{"Query", nil, "a=1&token=" + secret, secret, backend.VerifyVerified, closer.WhereQuery},
		{"QueryEscaped", nil, "token=a%2Bb%20c", "a+b c", backend.VerifyVerified, closer.WhereQuery},
		{"MalformedQueryStillRead", nil, "x=%zz&token=" + secret, secret, backend.VerifyVerified, closer.WhereQuery},
		{"WrongHeader", h("X-Closer-Token", "nope"), "", secret, backend.VerifyMismatch, "token in the X-Closer-Token header does not match"},
		{"WrongBearer", h("Authorization", "Bearer nope"), "", secret, backend.VerifyMismatch, "Authorization: Bearer header does not match"},
		{"WrongQuery", nil, "token=nope", secret, backend.VerifyMismatch, "token query parameter does not match"},
		{"PrefixIsNotEnough", h("X-Closer-Token", secret[:5]), "", secret, backend.VerifyMismatch, "does not match"},
		{"EmptyHeader", h("X-Closer-Token", ""), "", secret, backend.VerifyMismatch, "does not match"},
		{"WrongHeaderRightQuery", h("X-Closer-Token", "nope"), "token=" + secret, secret, backend.VerifyVerified, closer.WhereQuery},
		{"BothWrong", h("X-Closer-Token", "nope"), "token=nope", secret, backend.VerifyMismatch, "X-Closer-Token header and the token query parameter"},
		{"SecretPastedWithNewline", h("X-Closer-Token", secret), "", secret + "\n", backend.VerifyMismatch, "without its surrounding spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &backend.Delivery{Method: "POST", Path: "/closer", Headers: tt.headers, Query: tt.query}
			got := closer.New().Verify(&decode.Input{Delivery: d}, tt.secret)
			if got.Status != tt.status || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("Verify(%v, %q, %q) = %+v; want %s with reason containing %q", tt.headers, tt.query, tt.secret, got, tt.status, tt.reason)
			}
		})
	}
	for _, in := range []*decode.Input{nil, {}} {
		if got := closer.New().Verify(in, secret); got.Status != backend.VerifyUnsigned {
			t.Errorf("Verify(%v, secret) = %+v; want unsigned", in, got)
		}
	}
}

// TestVerifyThroughRegistry checks that the registry hands the configured secret to Closer.
func TestVerifyThroughRegistry(t *testing.T) {
	reg := decode.New(closer.New())
	body := []byte(`{"customer": {"id": "c1"}, "timestamp": 1709630041953, "eventType": "ThreadCreatedEvent"}`)
	d := delivery("d1", "/closer", body)
	d.Query = "token=abc"
	secrets := func(v string) string {
		if v == closer.Name {
			return "abc"
		}
		return ""
	}
	if got := reg.Decode(d, secrets).Verification; got.Status != backend.VerifyVerified {
		t.Errorf("Decode(%s?%s).Verification = %+v; want verified", d.Path, d.Query, got)
	}
}
