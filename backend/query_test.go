package backend_test

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"hooklens/backend"
)

func TestParseQuery(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []backend.Term
		err  bool
	}{
		{"", nil, false},
		{"vendor:livechat type:incoming_event", []backend.Term{{Key: "vendor", Value: "livechat"}, {Key: "type", Value: "incoming_event"}}, false},
		{`VENDOR:iadvize "two words" smith@example.com`, []backend.Term{{Key: "vendor", Value: "iadvize"}, {Value: "two words"}, {Value: "smith@example.com"}}, false},
		{`conv:"a b" has:flags`, []backend.Term{{Key: "conv", Value: "a b"}, {Key: "has", Value: "flags"}}, false},
		{"http://x.example/a:b", []backend.Term{{Value: "http://x.example/a:b"}}, false},
		{"unknown:key", []backend.Term{{Value: "unknown:key"}}, false},
		{"vendor:", nil, true},
		{"has:nothing", nil, true},
		{`"unterminated`, nil, true},
	} {
		q, err := backend.ParseQuery(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseQuery(%q) error = %v; want error %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && !reflect.DeepEqual(q.Terms, tt.want) {
			t.Errorf("ParseQuery(%q) = %v; want %v", tt.in, q.Terms, tt.want)
		}
		if err != nil && backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("ParseQuery(%q) error code = %q; want invalid", tt.in, backend.ErrorCode(err))
		}
	}
}

// FuzzParseQuery: any input parses or fails with an invalid-input error; never panics; every term
// has a value, and keys are known ones.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"vendor:livechat", `"a b" conv:"x y"`, "has:flags verified:no", "a:b:c", `"`, "agent:é\xff", "   "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := backend.ParseQuery(s)
		if err != nil {
			if backend.ErrorCode(err) != backend.EINVALID {
				t.Fatalf("ParseQuery(%q) error %v is not an invalid-input error", s, err)
			}
			return
		}
		for _, term := range q.Terms {
			if term.Value == "" {
				t.Fatalf("ParseQuery(%q) gave an empty term %+v", s, term)
			}
			if utf8.ValidString(s) && !utf8.ValidString(term.Value) {
				t.Fatalf("ParseQuery(%q) split a rune: %q", s, term.Value)
			}
		}
	})
}
