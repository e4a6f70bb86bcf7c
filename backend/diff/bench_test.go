package diff_test

import (
	"fmt"
	"strings"
	"testing"

	"hooklens/backend/diff"
)

// BenchmarkJSON compares two 1,000-element arrays of objects matched by id, one field changed
// in every tenth element.
func BenchmarkJSON(b *testing.B) {
	doc := func(changed bool) string {
		var sb strings.Builder
		sb.WriteString(`{"items":[`)
		for i := range 1000 {
			if i > 0 {
				sb.WriteByte(',')
			}
			text := "hello"
			if changed && i%10 == 0 {
				text = "bye"
			}
			fmt.Fprintf(&sb, `{"id":"e%d","type":"message","text":%q,"meta":{"n":%d,"tags":["a","b"]}}`, i, text, i)
		}
		sb.WriteString(`]}`)
		return sb.String()
	}
	a, c := parse(b, doc(false)), parse(b, doc(true))
	b.ResetTimer()
	for b.Loop() {
		if n := len(diff.JSON(a, c, diff.Options{})); n != 100 {
			b.Fatalf("%d changes; want 100", n)
		}
	}
}

// BenchmarkAlign aligns two 2,000-event conversations (the API's bound) that differ in the middle.
func BenchmarkAlign(b *testing.B) {
	types := []string{"incoming_event", "incoming_event", "chat_transferred", "thread_tagged"}
	seq := func(skip int) []string {
		var out []string
		for i := range 2000 {
			if i%skip == 7 {
				continue
			}
			out = append(out, types[i%len(types)])
		}
		return out
	}
	a, c := seq(50), seq(40)
	b.ResetTimer()
	for b.Loop() {
		diff.Align(a, c, a, c)
	}
}
