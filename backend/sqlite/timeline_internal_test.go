package sqlite

import (
	"encoding/json"
	"testing"
)

func TestDecodeActorRefs(t *testing.T) {
	for _, refs := range [][]actorRef{
		nil,
		{{"a@b.com", "agent", "author", "Ann \"A\" <b>", "a@b.com"}},
		{{"1", "customer", "requester", "", ""}, {"2", "agent", "assignee", "Bob, Jr. [x]", "bob@x.io"}, {"3", "bot", "author", "é", ""}},
	} {
		enc, _ := json.Marshal(nonNil(refs))
		got := decodeActorRefs(string(enc))
		if len(got) != len(refs) {
			t.Fatalf("decodeActorRefs(%s) = %q; want %q", enc, got, refs)
		}
		for i := range refs {
			if got[i] != refs[i] {
				t.Errorf("decodeActorRefs(%s)[%d] = %q; want %q", enc, i, got[i], refs[i])
			}
		}
	}
	for _, odd := range []string{`[["a","b"]]`, `[["a","b","c","d","e","f"]]`, `[{"id":"x"}]`, `[`, `x`} {
		var want []actorRef
		_ = json.Unmarshal([]byte(odd), &want)
		if got := decodeActorRefs(odd); len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) {
			t.Errorf("decodeActorRefs(%s) = %q; want %q (as encoding/json reads it)", odd, got, want)
		}
	}
}
