package closer_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/lenient"
)

// FuzzDecode feeds arbitrary bodies, headers and queries to the vendor directly (the registry
// would hide a panic behind a decode_error flag) and then through the registry.
func FuzzDecode(f *testing.F) {
	for name, raw := range rawSamples(f) {
		body, err := lenient.Parse(raw)
		if err != nil {
			f.Fatalf("lenient.Parse(%s) = %v", name, err)
		}
		f.Add(body, "token=abc", "Bearer abc")
	}
	f.Add([]byte(`{"@timestamp": 1, "message": {"description": {"action": ["x"]}, "event": {"roomId": {}, "authorId": 5}, "timestamp": "x"}}`), "%zz", "")
	f.Add([]byte(`{"customer": [], "eventType": null, "timestamp": 1e400}`), "token", "Bearer")
	f.Add([]byte(`{"message": {"event": {"payload": {"inputs": [null, 1, {"name": 2}]}, "subtag": "FORM"}, "description": {"action": "custom_message_sent"}}}`), "", "x")
	f.Fuzz(func(t *testing.T, body []byte, query, auth string) {
		d := &backend.Delivery{ID: "d", Method: "POST", Path: "/closer", Query: query, Body: body,
			ContentType: "application/json",
			Headers:     backend.Headers{{Name: "Content-Type", Value: "application/json"}, {Name: "Authorization", Value: auth}}}
		v := closer.New()
		in := decode.Prepare(d)
		_ = v.Match(in)
		var ev backend.Event
		v.Decode(in, &ev)
		for _, s := range []string{"", "abc", auth} {
			if got := v.Verify(in, s).Status; got == backend.VerifyNone {
				t.Fatalf("Verify(%q) status is empty", s)
			}
		}
		full := decode.New(v).Decode(d, func(string) string { return "abc" })
		for _, fl := range full.Flags {
			if fl.Code == decode.FlagDecodeError {
				t.Fatalf("Decode(%q) = %+v; the vendor panicked", body, fl)
			}
		}
		if !utf8.ValidString(full.Summary) {
			t.Fatalf("Decode(%q).Summary = %q; not UTF-8", body, full.Summary)
		}
		if _, err := json.Marshal(full); err != nil {
			t.Fatalf("Decode(%q) does not marshal: %v", body, err)
		}
	})
}
