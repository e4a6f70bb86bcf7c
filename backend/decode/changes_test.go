package decode_test

import (
	"fmt"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// migrating is a fake catalog of four versions: an event type renamed twice (a → b → c), a
// field renamed in the middle, one retyped, one added, one removed, an event type added and
// one removed, and envelope fields coming and going.
func migrating(t *testing.T) *decode.Catalog {
	t.Helper()
	c := &decode.Catalog{
		Vendor:   "fake",
		Versions: []decode.APIVersion{{Name: "1"}, {Name: "2"}, {Name: "3"}, {Name: "4"}},
		Common: []decode.Field{
			{Path: "license_id", Type: "integer", Range: decode.Range{Until: "2"}},
			{Path: "organization_id", Type: "string", Range: decode.Range{Since: "3"}},
			{Path: "action", Type: "string"},
		},
		Events: []decode.EventType{
			{Name: "a", Range: decode.Range{Until: "1"}, RenamedTo: "b", Fields: []decode.Field{
				{Path: "agent_id", Type: "string"},
				{Path: "seen", Type: "integer"},
			}},
			{Name: "b", Range: decode.Range{Since: "2", Until: "3"}, RenamedTo: "c", Fields: []decode.Field{
				{Path: "agent_id", Type: "string", Range: decode.Range{Until: "2"}, RenamedTo: "id"},
				{Path: "id", Type: "string", Range: decode.Range{Since: "3"}},
				{Path: "seen", Type: "integer"},
			}},
			{Name: "c", Range: decode.Range{Since: "4"}, Fields: []decode.Field{
				{Path: "id", Type: "string"},
				{Path: "seen", Type: "string"},
				{Path: "requester", Type: "object"},
			}},
			{Name: "old_only", Range: decode.Range{Until: "1"}, Fields: []decode.Field{{Path: "x", Type: "string"}}},
			{Name: "steady", Fields: []decode.Field{
				{Path: "days", Type: "array", Range: decode.Range{Since: "4"}},
				{Path: "legacy", Type: "boolean", Range: decode.Range{Until: "3"}},
			}},
			{Name: "fresh", Range: decode.Range{Since: "3"}},
		},
	}
	if errs := c.Link(); len(errs) > 0 {
		t.Fatalf("Link() = %v", errs)
	}
	return c
}

func lines(cs []decode.Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s>%s", c.Kind, c.EventType, c.Path, c.To))
	}
	return strings.Join(out, "\n")
}

func TestChanges(t *testing.T) {
	c := migrating(t)
	tests := []struct{ from, to, events, fields string }{
		{"1", "4",
			"renamed a >c\nadded fresh >\nremoved old_only >",
			"renamed * license_id>organization_id\nrenamed a agent_id>id\nadded a requester>\nretyped a seen>string\nadded steady days>\nremoved steady legacy>"},
		// Backwards: the renames are followed the other way.
		{"4", "1",
			"renamed c >a\nremoved fresh >\nadded old_only >",
			"renamed * organization_id>license_id\nrenamed c id>agent_id\nremoved c requester>\nretyped c seen>integer\nremoved steady days>\nadded steady legacy>"},
		{"2", "3",
			"added fresh >",
			"renamed * license_id>organization_id\nrenamed b agent_id>id"},
		{"3", "3", "", ""},
	}
	// The envelope's license_id → organization_id is not a declared rename: it is a removal and
	// an addition, unless the catalog says so. Declare it, as a vendor would.
	c.Common[0].RenamedTo = "organization_id"
	c.Common[1].RenamedFrom = []string{"license_id"}
	for _, tt := range tests {
		t.Run(tt.from+"→"+tt.to, func(t *testing.T) {
			cs, err := decode.Changes(c, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(cs.Events); got != tt.events {
				t.Errorf("events:\n%s\nwant\n%s", got, tt.events)
			}
			if got := lines(cs.Fields); got != tt.fields {
				t.Errorf("fields:\n%s\nwant\n%s", got, tt.fields)
			}
			for _, ch := range append(cs.Events, cs.Fields...) {
				if ch.Note == "" {
					t.Errorf("%+v has no note", ch)
				}
			}
		})
	}
}

func TestChangesRefusesUnknownVersions(t *testing.T) {
	c := migrating(t)
	for _, v := range [][2]string{{"0", "4"}, {"1", ""}, {"v9", "v9"}} {
		if _, err := decode.Changes(c, v[0], v[1]); err == nil || !strings.Contains(err.Error(), "known: 1, 2, 3, 4") {
			t.Errorf("Changes(%q, %q) error = %v; want the known versions named", v[0], v[1], err)
		}
	}
	if _, err := decode.Changes(&decode.Catalog{Vendor: "x"}, "1", "2"); err == nil {
		t.Error("Changes on a catalog without versions: want an error")
	}
	if _, err := decode.Changes(nil, "1", "2"); err == nil {
		t.Error("Changes(nil): want an error")
	}
}

func TestChangesCount(t *testing.T) {
	c := migrating(t)
	cs, err := decode.Changes(c, "2", "4")
	if err != nil {
		t.Fatal(err)
	}
	cs.Count([]backend.CapturedType{
		{EventType: "b", Events: 10, Unknown: 2, Fields: map[string]int{"agent_id": 7, "seen": 8}},
		{EventType: "steady", Events: 5, Fields: map[string]int{"legacy": 5, "license_id": 5}},
		{EventType: "fresh", Events: 1, Fields: map[string]int{}},
	})
	got := map[string]int{}
	for _, ch := range append(cs.Events, cs.Fields...) {
		got[ch.Kind+" "+ch.EventType+" "+ch.Path] = ch.Captured
	}
	want := map[string]int{
		"added * organization_id": 14, // the envelope concerns every event known to lack it
		"renamed b ":              10, // the event type's events
		"renamed b agent_id":      7,  // the events carrying the field
		"retyped b seen":          8,
		"added b requester":       8, // the events of the type known to lack it (2 are unknown)
		"removed steady legacy":   5,
		"added steady days":       5,
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: captured %d; want %d (all: %v)", k, got[k], n, got)
		}
	}
	if !cs.Store || cs.Unknown != 2 {
		t.Errorf("Store, Unknown = %v, %d; want true, 2", cs.Store, cs.Unknown)
	}
	aff := cs.Affected()
	for i, a := range aff {
		if i > 0 && a.Captured > aff[i-1].Captured {
			t.Errorf("Affected = %+v; want the most events first", aff)
		}
		if a.Captured == 0 {
			t.Errorf("Affected lists %+v, which concerns no event", a)
		}
	}
}
