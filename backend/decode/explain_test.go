package decode_test

import (
	"fmt"
	"testing"
)

func TestExplain(t *testing.T) {
	body := `{"kind":"created","zeta":1,"data":{"name":"x","extra":{"k":[1]},"items":[{"n":"1"}]},"id":2}`
	notes := registry().Explain(delivery("/fake", "application/json", body))
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

func TestExplainMissingOnParent(t *testing.T) {
	body := `{"kind":"created","data":{}}`
	notes := registry().Explain(delivery("/fake", "application/json", body))
	if len(notes) != 2 || len(notes[1].Flags) != 1 || notes[1].Flags[0].Path != "data.name" {
		t.Errorf("Explain(%q) = %+v; want the missing data.name flagged on data", body, notes)
	}
}

func TestExplainUnknownVendor(t *testing.T) {
	body := `{"b":{"c":[true]},"a":null}`
	notes := registry().Explain(delivery("/x", "application/json", body))
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
	notes := registry().Explain(delivery("/fake", "application/x-www-form-urlencoded", body))
	var got []string
	for _, n := range notes {
		got = append(got, n.Path)
	}
	if want := "[kind data data.name id]"; fmt.Sprint(got) != want {
		t.Errorf("Explain(%q) = %v; want %v", body, got, want)
	}
}
