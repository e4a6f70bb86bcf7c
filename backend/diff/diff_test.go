package diff_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/diff"
)

func parse(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

// line renders a change as "kind path a → b" for compact expectations.
func line(c diff.Change) string {
	s := fmt.Sprintf("%s %s %s→%s", c.Kind, c.Path, c.A, c.B)
	if c.Volatile {
		s += " (volatile)"
	}
	return s
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       []string
	}{
		{"Same", `{"a":1,"b":[1,2]}`, `{"b":[1,2],"a":1.0}`, nil},
		{"NestedObjects", `{"p":{"chat":{"id":"X","n":1,"gone":true}}}`, `{"p":{"chat":{"id":"X","n":2,"new":"y"}}}`,
			[]string{`removed p.chat.gone true→`, `changed p.chat.n 1→2`, `added p.chat.new →"y"`}},
		{"TypeChange", `{"n":1,"o":{"x":1},"s":null}`, `{"n":"1","o":[1],"s":"v"}`,
			[]string{`type_changed n 1→"1"`, `type_changed o {"x":1}→[1]`, `type_changed s null→"v"`}},
		{"ArrayByPosition", `{"l":[1,2,3]}`, `{"l":[1,5]}`,
			[]string{`changed l[1] 2→5`, `removed l[2] 3→`}},
		{"ArrayOfObjectsWithoutIDs", `{"l":[{"t":"a"},{"t":"b"}]}`, `{"l":[{"t":"b"}]}`,
			[]string{`changed l[0].t "a"→"b"`, `removed l[1] {"t":"b"}→`}},
		{"ArrayByID", `{"users":[{"id":"a","n":1},{"id":"b","n":2}]}`, `{"users":[{"id":"c","n":3},{"id":"b","n":5},{"id":"a","n":1}]}`,
			[]string{`changed users[id=b].n 2→5`, `added users[id=c] →{"id":"c","n":3}`}},
		{"DuplicateIDsFallBackToPosition", `{"l":[{"id":1},{"id":1}]}`, `{"l":[{"id":1},{"id":2}]}`,
			[]string{`changed l[1].id 1→2`}},
		{"RootArray", `[1]`, `[1,2]`, []string{`added [1] →2`}},
		{"RootScalar", `"a"`, `"b"`, []string{`changed  "a"→"b"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diff.JSON(parse(t, tt.a), parse(t, tt.b), diff.Options{})
			var lines []string
			for _, c := range got {
				lines = append(lines, line(c))
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("JSON(%s, %s) =\n%s\nwant\n%s", tt.a, tt.b, strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestJSON_ConcretePaths(t *testing.T) {
	got := diff.JSON(parse(t, `{"u":[{"id":"a","n":1},{"id":"b","n":2}]}`), parse(t, `{"u":[{"id":"b","n":3},{"id":"a","n":1}]}`), diff.Options{})
	if len(got) != 1 {
		t.Fatalf("JSON = %v; want one change", got)
	}
	c := got[0]
	if c.APath != "u[1].n" || c.BPath != "u[0].n" || c.Pattern != "u[].n" || c.AType != "number" {
		t.Errorf("change = %+v; want a_path u[1].n, b_path u[0].n, pattern u[].n", c)
	}
}

func TestJSON_Volatile(t *testing.T) {
	vol := func(pattern string, a, b any) bool {
		return pattern == "secret_key" || strings.HasSuffix(pattern, ".created_at")
	}
	a := parse(t, `{"secret_key":"s1","payload":{"created_at":"2026-01-01T00:00:00Z","text":"hi"}}`)
	b := parse(t, `{"secret_key":"s2","payload":{"created_at":"2026-01-02T00:00:00Z","text":"hello"}}`)
	all := diff.JSON(a, b, diff.Options{Volatile: vol})
	if len(all) != 3 {
		t.Fatalf("JSON = %v; want 3 changes", all)
	}
	shown, hidden := diff.Visible(all, false)
	if len(shown) != 1 || shown[0].Path != "payload.text" || hidden != 2 {
		t.Errorf("Visible = %v, %d hidden; want payload.text only, 2 hidden", shown, hidden)
	}
	if shown, hidden := diff.Visible(all, true); len(shown) != 3 || hidden != 0 {
		t.Errorf("Visible(all) = %d shown, %d hidden; want 3, 0", len(shown), hidden)
	}
}

func TestJSON_Depth(t *testing.T) {
	deep := func(leaf string) any {
		s := strings.Repeat(`{"a":`, 100) + leaf + strings.Repeat(`}`, 100)
		return parse(t, s)
	}
	got := diff.JSON(deep("1"), deep("2"), diff.Options{MaxDepth: 10})
	if len(got) != 1 || got[0].Kind != diff.Changed {
		t.Errorf("JSON(deep) = %v; want one change at the depth bound", got)
	}
}

func TestHeaders(t *testing.T) {
	a := hdrs("Content-Type", "application/json", "X-Sig", "1", "Accept", "*/*", "Via", "a", "Via", "b")
	b := hdrs("accept", "*/*", "content-type", "application/json", "X-Sig", "2", "X-New", "y", "Via", "a", "Via", "b")
	vol := func(n string) bool { return strings.EqualFold(n, "X-Sig") }
	tests := []struct {
		name string
		opt  diff.HeaderOptions
		want string
	}{
		{"Default", diff.HeaderOptions{Volatile: vol}, "changed X-Sig 1→2 (volatile); added X-New →y"},
		{"Order", diff.HeaderOptions{Order: true},
			"changed X-Sig 1→2; added X-New →y; reordered (order) Content-Type, X-Sig, Accept, Via→accept, content-type, X-Sig, Via"},
		{"Case", diff.HeaderOptions{Case: true},
			"removed Content-Type application/json→; changed X-Sig 1→2; removed Accept */*→; added accept →*/*; added content-type →application/json; added X-New →y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []string
			for _, c := range diff.Headers(a, b, tt.opt) {
				s := fmt.Sprintf("%s %s %s→%s", c.Kind, c.Name, c.A, c.B)
				if c.Volatile {
					s += " (volatile)"
				}
				parts = append(parts, s)
			}
			if got := strings.Join(parts, "; "); got != tt.want {
				t.Errorf("Headers(%+v) =\n%s\nwant\n%s", tt.opt, got, tt.want)
			}
		})
	}
	if got := diff.Headers(a, a, diff.HeaderOptions{Order: true, Case: true}); len(got) != 0 {
		t.Errorf("Headers(a, a) = %v; want none", got)
	}
}

func TestAlign(t *testing.T) {
	render := func(ps []diff.Pair) string {
		var s []string
		for _, p := range ps {
			s = append(s, fmt.Sprintf("%d:%d", p.A, p.B))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name         string
		a, b         string // strict keys, space-separated
		la, lb, want string
	}{
		{"Same", "start msg close", "start msg close", "", "", "0:0 1:1 2:2"},
		{"MissingInB", "start msg transfer msg close", "start msg msg close", "", "", "0:0 1:1 2:-1 3:2 4:3"},
		{"InsertedInB", "start msg close", "start msg rating close", "", "", "0:0 1:1 -1:2 2:3"},
		{"MissingAndInserted", "start a b close", "start b c close", "", "", "0:0 1:-1 2:1 -1:2 3:3"},
		{"LooseRolesDiffer", "start msg/agent close", "start msg/bot close", "start msg close", "start msg close", "0:0 1:1 2:2"},
		{"Empty", "", "x", "", "", "-1:0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := strings.Fields(tt.a), strings.Fields(tt.b)
			got := render(diff.Align(a, b, strings.Fields(tt.la), strings.Fields(tt.lb)))
			if got != tt.want {
				t.Errorf("Align(%q, %q) = %s; want %s", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func hdrs(kv ...string) backend.Headers {
	var hs backend.Headers
	for i := 0; i+1 < len(kv); i += 2 {
		hs = append(hs, backend.Header{Name: kv[i], Value: kv[i+1]})
	}
	return hs
}
