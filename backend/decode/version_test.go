package decode_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"hooklens/backend/decode"
)

// versioned is a small catalog with three versions, a renamed event type and a renamed field.
func versioned(t *testing.T) *decode.Catalog {
	t.Helper()
	c := &decode.Catalog{
		Vendor:   "fake",
		Versions: []decode.APIVersion{{Name: "1"}, {Name: "2"}, {Name: "3"}},
		Common: []decode.Field{
			{Path: "license", Type: "integer", Range: decode.Range{Until: "1"}},
			{Path: "org", Type: "string", Range: decode.Range{Since: "2"}},
			{Path: "requester", Type: "object", Range: decode.Range{Since: "3"}},
		},
		Events: []decode.EventType{
			{Name: "thread_opened", Range: decode.Range{Until: "1"}, RenamedTo: "chat_opened", Fields: []decode.Field{
				{Path: "agent_id", Type: "string", RenamedTo: "id"},
				{Path: "id", Type: "string", Range: decode.Range{Since: "2"}},
			}},
			{Name: "chat_opened", Range: decode.Range{Since: "2"}, Fields: []decode.Field{
				{Path: "id", Type: "string"},
			}},
			{Name: "gone", Range: decode.Range{Since: "2", Until: "2"}},
		},
	}
	if errs := c.Link(); len(errs) > 0 {
		t.Fatalf("Link() = %v", errs)
	}
	return c
}

func TestNarrow(t *testing.T) {
	c := versioned(t)
	for _, tc := range []struct {
		event, body, want string
		ok                bool
		because           string
	}{
		{"chat_opened", `{"org":"o"}`, "2+", true, "event type chat_opened → 2 or later"},
		{"chat_opened", `{"org":"o","requester":{}}`, "3", true, "requester present → 3 only"},
		{"thread_opened", `{"license":1}`, "1", true, "event type thread_opened → 1 only"},
		{"gone", `{}`, "2", true, "event type gone → 2 only"},
		{"chat_opened", `{}`, "2+", true, "event type chat_opened → 2 or later"},
		{"chat_opened", `{"license":1}`, "2+", false, ""}, // conflicting: keeps the event type's range
		{"unknown", `{"license":1}`, "1", true, "license present → 1 only"},
		{"unknown", `{"license":1,"org":"o"}`, "", false, "license present → 1 only"}, // conflict: no narrowing, the evidence stays
	} {
		var doc any
		if err := json.Unmarshal([]byte(tc.body), &doc); err != nil {
			t.Fatal(err)
		}
		lo, hi, ev, ok := c.Narrow(tc.event, doc)
		got := c.Label(lo, hi)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Narrow(%s, %s) = %q ok=%v (%v); want %q ok=%v", tc.event, tc.body, got, ok, ev, tc.want, tc.ok)
		}
		if tc.because != "" && !slices.ContainsFunc(ev, func(e decode.Evidence) bool { return e.Reason == tc.because }) {
			t.Errorf("Narrow(%s, %s) evidence %v; want %q", tc.event, tc.body, ev, tc.because)
		}
	}
}

func TestAtAndRenames(t *testing.T) {
	c := versioned(t)
	v1 := c.At("1")
	if v1.EventType("thread_opened") == nil || v1.EventType("chat_opened") != nil || v1.EventType("gone") != nil {
		t.Errorf("At(1) events = %v", names(v1))
	}
	if f := fieldPaths(v1.EventType("thread_opened").Fields); strings.Join(f, ",") != "agent_id" {
		t.Errorf("At(1) thread_opened fields = %v; want agent_id only", f)
	}
	if got := c.At("3"); got != c.At("3") || got.EventType("gone") != nil {
		t.Errorf("At(3) is not cached or keeps gone: %v", names(got))
	}
	if c.At("") != c || c.At("9") != c {
		t.Error(`At("") and At(unknown) should return the catalog itself`)
	}
	if got := c.Canonical("thread_opened"); got != "chat_opened" {
		t.Errorf("Canonical(thread_opened) = %q", got)
	}
	if got := c.Names("chat_opened"); strings.Join(got, ",") != "thread_opened,chat_opened" {
		t.Errorf("Names(chat_opened) = %v", got)
	}
	if got := c.Names("thread_opened"); strings.Join(got, ",") != "thread_opened,chat_opened" {
		t.Errorf("Names(thread_opened) = %v", got)
	}
	if from := c.EventType("chat_opened").RenamedFrom; !slices.Equal(from, []string{"thread_opened"}) {
		t.Errorf("chat_opened.RenamedFrom = %v", from)
	}
	if from := c.EventType("thread_opened").Fields[1].RenamedFrom; !slices.Equal(from, []string{"agent_id"}) {
		t.Errorf("id.RenamedFrom = %v", from)
	}
	for in, want := range map[[2]int]string{{0, 2}: "", {1, 2}: "2+", {0, 1}: "up to 2", {1, 1}: "2"} {
		if got := c.Label(in[0], in[1]); got != want {
			t.Errorf("Label(%v) = %q; want %q", in, got, want)
		}
	}
}

func TestLinkReportsBadData(t *testing.T) {
	c := &decode.Catalog{Versions: []decode.APIVersion{{Name: "1"}}, Events: []decode.EventType{
		{Name: "a", Range: decode.Range{Since: "0"}, RenamedTo: "b"},
		{Name: "c", Fields: []decode.Field{{Path: "x", RenamedTo: "y"}}},
	}}
	if errs := c.Link(); len(errs) != 3 {
		t.Errorf("Link() = %v; want 3 problems (unknown version, event, field)", errs)
	}
}

func names(c *decode.Catalog) []string {
	var out []string
	for _, e := range c.Events {
		out = append(out, e.Name)
	}
	return out
}

func fieldPaths(fs []decode.Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return out
}
