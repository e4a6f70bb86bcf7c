package decode_test

import (
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
)

func TestDecodeDetect(t *testing.T) {
	const js = "application/json"
	tests := []struct {
		name, path, ct, body string
		vendor, eventType    string
		summary              string // prefix
		flag                 string // a flag code that must be present, "" for none at all
	}{
		{"PathPrefix", "/fake", js, `{"kind":"created","data":{"name":"x"}}`, "fake", "created", "fake created", ""},
		{"PathSuffixAndCase", "/FAKE/hooks/1", js, `{"kind":"created","data":{"name":"x"}}`, "fake", "created", "fake created", ""},
		{"PathWithoutShape", "/fake", js, `{"other":1}`, "fake", "", "fake", decode.FlagUndocumentedEvent},
		{"Shape", "/hooks", js, `{"kind":"created","data":{"name":"x"}}`, "fake", "created", "fake created", ""},
		{"Unknown", "/some/path", js, `{"a":1,"b":2,"c":3}`, "unknown", "", "POST /some/path — JSON object with 3 fields (19 bytes)", ""},
		{"UnknownArray", "/x", js, `[1,2]`, "unknown", "", "POST /x — JSON array of 2 items", ""},
		{"Empty", "/x", js, ``, "unknown", "", "POST /x — empty body", ""},
		{"NotJSONText", "/x", "text/plain", `hello`, "unknown", "", "POST /x — not JSON: invalid character", ""},
		{"InvalidJSON", "/x", js, `{"a":`, "unknown", "", "POST /x — not JSON:", decode.FlagInvalidBody},
		{"TrailingGarbage", "/x", js, `{"a":1} x`, "unknown", "", "POST /x — not JSON: unexpected data after", decode.FlagInvalidBody},
		{"Undocumented", "/fake", js, `{"kind":"nope"}`, "fake", "nope", "fake nope", decode.FlagUndocumentedEvent},
		{"Deprecated", "/fake", js, `{"kind":"old"}`, "fake", "old", "fake old", ""}, // a note, not a flag: see TestDeprecatedIsNote
		{"Panic", "/fake", js, `{"kind":"boom"}`, "fake", "boom", "POST /fake — JSON object with 1 field", decode.FlagDecodeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := registry().Decode(delivery(tt.path, tt.ct, tt.body), nil)
			if ev.Vendor != tt.vendor || ev.EventType != tt.eventType || !strings.HasPrefix(ev.Summary, tt.summary) {
				t.Errorf("Decode(%q) = %s/%s %q; want %s/%s %q…", tt.body, ev.Vendor, ev.EventType, ev.Summary, tt.vendor, tt.eventType, tt.summary)
			}
			if ev.DeliveryID != "d1" || ev.Flags == nil || ev.Actors == nil {
				t.Errorf("Decode(%q) = id %q, flags %v, actors %v; want d1 and non-nil slices", tt.body, ev.DeliveryID, ev.Flags, ev.Actors)
			}
			if tt.flag == "" && len(ev.Flags) > 0 {
				t.Errorf("Decode(%q).Flags = %v; want none", tt.body, ev.Flags)
			}
			if tt.flag != "" && !hasFlag(ev.Flags, "", tt.flag) {
				t.Errorf("Decode(%q).Flags = %v; want %s", tt.body, ev.Flags, tt.flag)
			}
			if want := tt.vendor != "unknown" && tt.flag != decode.FlagUndocumentedEvent; ev.Documented != want && tt.flag != decode.FlagDecodeError {
				t.Errorf("Decode(%q).Documented = %v; want %v", tt.body, ev.Documented, want)
			}
		})
	}
}

func TestDecodeRefused(t *testing.T) {
	d := delivery("/fake/x", "application/json", "")
	d.Refused, d.Size = "body_too_large", 50<<20
	ev := registry().Decode(d, nil)
	want := "POST /fake/x — body not kept: body too large (52428800 bytes)"
	if ev.Summary != want || ev.Vendor != "fake" || ev.EventType != "" {
		t.Errorf("Decode(refused) = %s %q; want fake %q", ev.Vendor, ev.Summary, want)
	}
}

func TestDecodeVerify(t *testing.T) {
	body := `{"kind":"created","token":"s3","data":{"name":"x"}}`
	tests := []struct {
		secret func(string) string
		want   string
	}{
		{nil, backend.VerifyNoSecret},
		{func(string) string { return "" }, backend.VerifyNoSecret},
		{func(v string) string { return map[string]string{"fake": "s3"}[v] }, backend.VerifyVerified},
		{func(string) string { return "other" }, backend.VerifyMismatch},
	}
	for i, tt := range tests {
		if got := registry().Decode(delivery("/fake", "application/json", body), tt.secret).Verification.Status; got != tt.want {
			t.Errorf("Decode(%q) #%d verification = %q; want %q", body, i, got, tt.want)
		}
	}
	if got := registry().Decode(delivery("/x", "application/json", `{}`), func(string) string { return "s" }).Verification; got.Status != backend.VerifyNone {
		t.Errorf("Decode(unknown).Verification = %v; want none", got)
	}
}

func TestRegistryVendors(t *testing.T) {
	r := decode.New(fake{}, nil)
	if got := len(r.Vendors()); got != 1 {
		t.Errorf("len(Vendors()) = %d; want 1", got)
	}
	if r.Vendor("fake") == nil || r.Vendor("nope") != nil {
		t.Errorf("Vendor(fake), Vendor(nope) = %v, %v; want fake, nil", r.Vendor("fake"), r.Vendor("nope"))
	}
}

func TestDecodeNil(t *testing.T) {
	if ev := registry().Decode(nil, nil); ev.Vendor != "unknown" || ev.Summary == "" {
		t.Errorf("Decode(nil) = %+v; want an unknown event with a summary", ev)
	}
}

func TestDecodeInvalidUTF8Summary(t *testing.T) {
	ev := registry().Decode(delivery("/x\xff", "text/plain", "\xff\xfe"), nil)
	if !strings.HasPrefix(ev.Summary, "POST /x\uFFFD") || strings.ContainsRune(ev.Summary, '\n') {
		t.Errorf("Decode(invalid utf-8).Summary = %q; want valid one-line text", ev.Summary)
	}
}

func hasFlag(flags []backend.Flag, path, code string) bool {
	for _, f := range flags {
		if f.Code == code && (path == "" || f.Path == path) {
			return true
		}
	}
	return false
}

func FuzzRegistry(f *testing.F) {
	f.Add("application/json", []byte(`{"kind":"created","data":{"name":"x","items":[{"n":1}]}}`))
	f.Add("application/x-www-form-urlencoded", []byte(`kind=created&a[b][]=1&data=%7B%22name%22%3A1%7D`))
	f.Add("text/plain", []byte(`[[[[{"a":`))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		for _, path := range []string{"/fake", "/x"} {
			d := delivery(path, ct, string(body))
			ev := registry().Decode(d, nil)
			if ev.Summary == "" || ev.Flags == nil || ev.Actors == nil {
				t.Errorf("Decode(%q, %q) = %+v; want a summary and non-nil slices", ct, body, ev)
			}
			_ = registry().Explain(d, nil)
		}
	})
}

// TestDeprecatedIsNote checks that a deprecated event type gets an informational note and no
// drift flag.
func TestDeprecatedIsNote(t *testing.T) {
	ev := registry().Decode(delivery("/fake", "application/json", `{"kind":"old"}`), nil)
	if len(ev.Flags) != 0 || len(ev.Notes) != 1 || ev.Notes[0].Code != decode.FlagDeprecated {
		t.Errorf("Decode(old) flags %v notes %v; want no flag and one deprecated note", ev.Flags, ev.Notes)
	}
}
