package decode_test

import (
	"fmt"
	"hooklens/backend"
	"testing"
)

func TestExplain(t *testing.T) {
	body := `{"kind":"created","zeta":1,"data":{"name":"x","extra":{"k":[1]},"items":[{"n":"1"}]},"id":2}`
	notes := registry().Explain(delivery("/fake", "application/json", body), nil)
	want := []string{
		"kind kind true 0", "zeta  false 1", "data data true 0", "data.name data.name true 0",
		"data.extra data.extra true 0", "data.extra.k data.extra true 0", "data.extra.k[0] data.extra true 0",
		"data.items data.items true 0", "data.items[0] data.items[] true 0", "data.items[0].n data.items[].n true 1",
		"id id true 0",
	}
	var got []string
	for _, n := range notes {
		got = append(got, fmt.Sprintf("%s %s %v %d", n.Path, n.Pattern, n.Known, len(n.Flags)))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Explain(%q) =\n%v\nwant\n%v", body, got, want)
	}
	if len(notes) > 3 && (notes[3].Description != "Its name." || notes[3].Type != "string" || notes[0].Enum == nil) {
		t.Errorf("Explain(%q)[3] = %+v; want the catalog's description and type", body, notes[3])
	}
}

// TestExplain_StoredEvent: with the stored event, its event type and flags are what the notes
// show; the body is not decoded again (the event here says what the body does not).
func TestExplain_StoredEvent(t *testing.T) {
	body := `{"kind":"created","zeta":1}`
	ev := &backend.Event{Vendor: "fake", EventType: "created", Documented: true,
		Flags: []backend.Flag{{Path: "kind", Code: "stored_flag", Reason: "from the store"}}}
	notes := registry().Explain(delivery("/fake", "application/json", body), ev)
	if len(notes) != 2 || len(notes[0].Flags) != 1 || notes[0].Flags[0].Code != "stored_flag" || len(notes[1].Flags) != 0 {
		t.Errorf("Explain(%q, stored) = %+v; want the stored flag on kind and none on zeta", body, notes)
	}
	ev.Vendor = "nobody" // a vendor no longer registered: every field unknown
	if notes := registry().Explain(delivery("/fake", "application/json", body), ev); len(notes) != 2 || notes[0].Known {
		t.Errorf("Explain(%q, unknown vendor) = %+v; want unknown fields", body, notes)
	}
}

func TestExplainMissingOnParent(t *testing.T) {
	body := `{"kind":"created","data":{}}`
	notes := registry().Explain(delivery("/fake", "application/json", body), nil)
	if len(notes) != 2 || len(notes[1].Flags) != 1 || notes[1].Flags[0].Path != "data.name" {
		t.Errorf("Explain(%q) = %+v; want the missing data.name flagged on data", body, notes)
	}
}

func TestExplainUnknownVendor(t *testing.T) {
	body := `{"b":{"c":[true]},"a":null}`
	notes := registry().Explain(delivery("/x", "application/json", body), nil)
	want := "[b object false b.c array false b.c[0] boolean false a null false]"
	var got []any
	for _, n := range notes {
		got = append(got, n.Path, n.Type, n.Known)
	}
	if fmt.Sprint(got) != want {
		t.Errorf("Explain(%q) = %v; want %v", body, got, want)
	}
}

func TestExplainForm(t *testing.T) {
	body := "kind=created&data=%7B%22name%22%3A%22x%22%7D&id=3"
	notes := registry().Explain(delivery("/fake", "application/x-www-form-urlencoded", body), nil)
	var got []string
	for _, n := range notes {
		got = append(got, n.Path)
	}
	if want := "[kind data data.name id]"; fmt.Sprint(got) != want {
		t.Errorf("Explain(%q) = %v; want %v", body, got, want)
	}
}
