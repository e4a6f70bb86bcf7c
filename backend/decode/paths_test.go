package decode_test

import (
	"encoding/json"
	"strings"
	"testing"

	"hooklens/backend/decode"
)

func TestPaths(t *testing.T) {
	var doc any
	body := `{"action":"x","payload":{"chat":{"users":[{"id":"a"},{"id":"b","name":"n"}],"tags":[]},"ids":[[1]]}}`
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(decode.Paths(doc), " ")
	want := "action payload payload.chat payload.chat.tags payload.chat.users payload.chat.users[] payload.chat.users[].id payload.chat.users[].name payload.ids payload.ids[] payload.ids[][]"
	if got != want {
		t.Errorf("Paths =\n%s\nwant\n%s", got, want)
	}
	if p := decode.Paths("scalar"); len(p) != 0 {
		t.Errorf("Paths(scalar) = %v", p)
	}
	wide := map[string]any{}
	for i := range 2000 {
		wide[strings.Repeat("k", 1+i%7)+string(rune('a'+i%26))+strings.Repeat("x", i/182)] = i
	}
	if n := len(decode.Paths(wide)); n > decode.MaxPaths {
		t.Errorf("Paths of a wide object = %d paths; want at most %d", n, decode.MaxPaths)
	}
}

func TestMatchPath(t *testing.T) {
	for _, tt := range []struct {
		pattern, path string
		want          bool
	}{
		{"a.b", "a.b", true},
		{"a.*.c", "a.x.c", true},
		{"a.*", "a.[]", false},
		{"a.*.c", "a.x.d", false},
		{"a.*", "a.x.y", false},
		{"a[].b", "a[].b", true},
	} {
		if got := decode.MatchPath(tt.pattern, tt.path); got != tt.want {
			t.Errorf("MatchPath(%q, %q) = %v; want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
