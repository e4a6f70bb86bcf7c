package decode_test

import (
	"encoding/json"
	"testing"
	"time"

	"hooklens/backend/decode"
)

func TestTime(t *testing.T) {
	tests := []struct {
		in   any
		want string // RFC 3339 in UTC, "" for nil
	}{
		{"2019-12-09T12:01:18.909000Z", "2019-12-09T12:01:18.909Z"},
		{"2021-10-28T08:52:59.726+0000", "2021-10-28T08:52:59.726Z"},
		{"2017-10-12T17:19:21+02:00", "2017-10-12T15:19:21Z"},
		{"2024-01-02 03:04:05", "2024-01-02T03:04:05Z"},
		{json.Number("1635411179726"), "2021-10-28T08:52:59.726Z"},
		{json.Number("1635411179"), "2021-10-28T08:52:59Z"},
		{"1635411179726", "2021-10-28T08:52:59.726Z"},
		{"yesterday", ""},
		{json.Number("-5"), ""},
		{"1000000000000000", ""}, // milliseconds past the year 9999: no RFC 3339 form
		{json.Number("253402300799999"), "9999-12-31T23:59:59.999Z"},
		{nil, ""},
		{map[string]any{}, ""},
	}
	for _, tt := range tests {
		got := decode.Time(tt.in)
		s := ""
		if got != nil {
			s = got.Format(time.RFC3339Nano)
		}
		if s != tt.want {
			t.Errorf("Time(%#v) = %q; want %q", tt.in, s, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello world", 5, "hello…"},
		{"a\nb\tc  d", 20, "a b c d"},
		{"żółć gęś", 4, "żółć…"},
		{"bad \xff byte", 20, "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := decode.Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestStr(t *testing.T) {
	doc, _ := decode.ParseJSON([]byte(`{"a":{"b":"x","n":42,"t":true,"l":[1,"y"]}}`))
	tests := []struct {
		keys []string
		want string
	}{
		{[]string{"a", "b"}, "x"},
		{[]string{"a", "n"}, "42"},
		{[]string{"a", "t"}, "true"},
		{[]string{"a", "l"}, ""},
		{[]string{"a", "b", "c"}, ""},
		{[]string{"z"}, ""},
	}
	for _, tt := range tests {
		if got := decode.Str(doc, tt.keys...); got != tt.want {
			t.Errorf("Str(doc, %q) = %q; want %q", tt.keys, got, tt.want)
		}
	}
	if got := decode.Strings(doc, "a", "l"); len(got) != 2 || got[0] != "1" || got[1] != "y" {
		t.Errorf("Strings(doc, a, l) = %q; want [1 y]", got)
	}
}

func TestHashCanonical(t *testing.T) {
	a, _ := decode.ParseJSON([]byte(`{"b":1,"a":[1,2.50]}`))
	b, _ := decode.ParseJSON([]byte(`{ "a" : [1, 2.50], "b" : 1 }`))
	if decode.Hash(a) == "" || decode.Hash(a) != decode.Hash(b) {
		t.Errorf("Hash(%v) = %q, Hash(%v) = %q; want equal, non-empty", a, decode.Hash(a), b, decode.Hash(b))
	}
}
