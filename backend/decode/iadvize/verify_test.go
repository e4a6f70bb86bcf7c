package iadvize_test

import (
	"bytes"
	"compress/gzip"
	"net/url"
	"os"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
)

const secret = "s3cr3t-token"

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// formBody re-encodes a JSON sample as a form body, numbers as strings, lists as repeated keys.
func formBody(t *testing.T, name string) []byte {
	t.Helper()
	doc, err := decode.ParseJSON(mustRead(t, name))
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	for k, x := range doc.(map[string]any) {
		switch x := x.(type) {
		case []any:
			for _, e := range x {
				v.Add(k+"[]", decode.String(e))
			}
		default:
			v.Set(k, decode.String(x))
		}
	}
	return []byte(v.Encode())
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerify(t *testing.T) {
	body := mustRead(t, "v2.conversation.pushed.json")
	form := formBody(t, "v2.conversation.closed.json")
	zipped := gzipped(t, body)
	trimmed := bytes.TrimRight(body, "\n")
	json := backend.Headers{{Name: "Content-Type", Value: "application/json"}}
	for _, tt := range []struct {
		name    string
		headers backend.Headers
		body    []byte
		secret  string
		status  string
		reason  string // substring of the reason
	}{
		{"Good", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, body)}}, body, secret, backend.VerifyVerified, ""},
		{"HeaderLowerCase", backend.Headers{{Name: "x-iadvize-signature", Value: iadvize.Sign(secret, body)}}, body, secret, backend.VerifyVerified, ""},
		{"HeaderUpperCase", backend.Headers{{Name: "X-IADVIZE-SIGNATURE", Value: iadvize.Sign(secret, body)}}, body, secret, backend.VerifyVerified, ""},
		{"UpperCaseHex", backend.Headers{{Name: "X-iAdvize-Signature", Value: "sha256=" + strings.ToUpper(strings.TrimPrefix(iadvize.Sign(secret, body), "sha256="))}}, body, secret, backend.VerifyVerified, ""},
		{"FormBody", backend.Headers{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}, {Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, form)}}, form, secret, backend.VerifyVerified, ""},
		{"NoSecret", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, body)}}, body, "", backend.VerifyNoSecret, ""},
		{"BadSecret", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign("other", body)}}, body, secret, backend.VerifyMismatch, "wrong secret, or the body was changed"},
		{"TamperedBody", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, body)}}, bytes.Replace(body, []byte(`"operatorId": 1`), []byte(`"operatorId": 2`), 1), secret, backend.VerifyMismatch, "wrong secret, or the body was changed"},
		{"TamperedForm", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, form)}}, append(bytes.Clone(form), "&x=1"...), secret, backend.VerifyMismatch, "wrong secret"},
		{"MissingHeader", json, body, secret, backend.VerifyUnsigned, "no X-iAdvize-Signature"},
		{"EmptyHeader", backend.Headers{{Name: "X-iAdvize-Signature", Value: "  "}}, body, secret, backend.VerifyUnsigned, ""},
		{"NoPrefix", backend.Headers{{Name: "X-iAdvize-Signature", Value: strings.TrimPrefix(iadvize.Sign(secret, body), "sha256=")}}, body, secret, backend.VerifyMismatch, "does not start with sha256="},
		{"OtherAlgorithm", backend.Headers{{Name: "X-iAdvize-Signature", Value: "sha1=0123"}}, body, secret, backend.VerifyMismatch, `algorithm "sha1"`},
		{"NotHex", backend.Headers{{Name: "X-iAdvize-Signature", Value: "sha256=" + strings.Repeat("zz", 32)}}, body, secret, backend.VerifyMismatch, "not hexadecimal"},
		{"WrongLength", backend.Headers{{Name: "X-iAdvize-Signature", Value: "sha256=abcd"}}, body, secret, backend.VerifyMismatch, "4 hex digits after sha256=, want 64"},
		{"UUIDPlaceholder", backend.Headers{{Name: "X-iAdvize-Signature", Value: "110e8400-e29b-11d4-a716-446655440000"}}, body, secret, backend.VerifyMismatch, "does not start with sha256="},
		{"Compressed", backend.Headers{{Name: "Content-Encoding", Value: "gzip"}, {Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, body)}}, zipped, secret, backend.VerifyMismatch, "decompressed body"},
		{"NewlineAdded", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, trimmed)}}, body, secret, backend.VerifyMismatch, "without its trailing newline"},
		{"NewlineRemoved", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, body)}}, trimmed, secret, backend.VerifyMismatch, "with a trailing newline"},
		{"SecretWithNewline", backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, body)}}, body, secret + "\n", backend.VerifyMismatch, "without its surrounding spaces"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &backend.Delivery{Method: "POST", Path: "/iadvize", Headers: tt.headers, Body: tt.body}
			got := iadvize.New().Verify(decode.Prepare(d), tt.secret)
			if got.Status != tt.status || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("Verify(%s) = %+v; want %s with reason containing %q", tt.name, got, tt.status, tt.reason)
			}
		})
	}
}

// A GET is signed over its raw query string.
func TestVerifyQuery(t *testing.T) {
	q := "conversationId=c1&x=1"
	d := &backend.Delivery{Method: "GET", Path: "/iadvize", Query: q,
		Headers: backend.Headers{{Name: "X-iAdvize-Signature", Value: iadvize.Sign(secret, []byte(q))}}}
	if got := iadvize.New().Verify(decode.Prepare(d), secret); got.Status != backend.VerifyVerified {
		t.Errorf("Verify(GET ?%s) = %+v; want verified", q, got)
	}
}

func TestVerifyNil(t *testing.T) {
	if got := iadvize.New().Verify(nil, secret); got.Status != backend.VerifyUnsigned {
		t.Errorf("Verify(nil) = %+v; want unsigned", got)
	}
}

func TestDedupeKey(t *testing.T) {
	body := mustRead(t, "v2.conversation.pushed.json")
	noID := []byte(`{"eventType":"user.created","userId":1}`)
	retry := func(b []byte, h ...backend.Header) string {
		var ev backend.Event
		iadvize.New().Decode(decode.Prepare(&backend.Delivery{Path: "/iadvize", Headers: h, Body: b}), &ev)
		return ev.DedupeKey
	}
	corr := backend.Header{Name: "x-iadvize-correlationid", Value: "332e8400-e34b-11d4-a716-446655444444"}
	corrUpper := backend.Header{Name: "X-IADVIZE-CORRELATIONID", Value: "332e8400-e34b-11d4-a716-446655444444"}
	deliveryA := backend.Header{Name: "X-iAdvize-Delivery", Value: "a"}
	deliveryB := backend.Header{Name: "X-iAdvize-Delivery", Value: "b"}
	for _, tt := range []struct {
		name string
		a, b string
		same bool
	}{
		{"SameEventIDAcrossAttempts", retry(body, deliveryA), retry(body, deliveryB), true},
		{"EventIDWinsOverCorrelation", retry(body, corr), "0f0bb3af-5035-4ba3-b3fb-ff4879a3a74d v2.conversation.pushed", true},
		{"CorrelationAnyCase", retry(noID, corr), retry(noID, corrUpper), true},
		{"CorrelationPrefixed", retry(noID, corr), iadvize.KeyPrefixCorrelation + corr.Value, true},
		{"BodyHashSameBody", retry(noID), retry(noID), true},
		{"BodyHashOtherBody", retry(noID), retry([]byte(`{"eventType":"user.created","userId":2}`)), false},
		{"CorrelationNotEventID", retry(noID, backend.Header{Name: "X-iAdvize-CorrelationId", Value: "e1"}), retry([]byte(`{"eventId":"e1","eventType":"user.created"}`)), false},
	} {
		if (tt.a == tt.b) != tt.same {
			t.Errorf("%s: keys %q and %q; want same = %v", tt.name, tt.a, tt.b, tt.same)
		}
	}
	if k := retry(noID); !strings.HasPrefix(k, iadvize.KeyPrefixBody) {
		t.Errorf("DedupeKey(%s) = %q; want a %s key", noID, k, iadvize.KeyPrefixBody)
	}
}
