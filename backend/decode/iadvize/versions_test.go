package iadvize

import (
	"encoding/json"
	"strings"
	"testing"

	"hooklens/backend/decode"
)

func TestCatalogLinks(t *testing.T) {
	for _, err := range linkErrs {
		t.Error(err)
	}
	if len(catalog.Versions) < 8 {
		t.Fatalf("versions = %s; want every dated shape", catalog.VersionNames())
	}
}

// Hand-made deliveries, one per piece of detection evidence: what Narrow concludes from them.
func TestNarrowEvidence(t *testing.T) {
	cases := []struct {
		name, body string
		label      string // "" = every version
		ok         bool
		because    string // a path that must be named in the evidence ("" = the event type)
	}{
		{"per-channel name", `{"eventType":"conversation.chat.started","conversationId":1,"channel":"chat"}`, "2017-08", true, ""},
		{"plain legacy name, no clientId", `{"eventType":"conversation.started","conversationId":1}`, "", true, ""},
		{"clientId present", `{"eventType":"conversation.started","clientId":1,"conversationId":1}`, "2017-09+", true, "clientId"},
		{"transfer event", `{"eventType":"conversation.transferred","clientId":1,"conversationId":2}`, "2017-12+", true, ""},
		{"v2 event", `{"eventType":"v2.conversation.pushed","projectId":1,"conversationId":"x"}`, "2019-04+", true, ""},
		{"operatorId array", `{"eventType":"v2.conversation.closed","operatorId":[1,2]}`, "2019-04", true, "operatorId"},
		{"operatorIds", `{"eventType":"v2.conversation.closed","operatorIds":[1]}`, "2020-05+", true, "operatorIds"},
		{"operatorIds and visitorId", `{"eventType":"v2.conversation.closed","operatorIds":[1],"visitorId":"u"}`, "2022-03+", true, "visitorId"},
		{"both operator names conflict", `{"eventType":"v2.conversation.closed","operatorId":[1],"operatorIds":[1]}`, "2019-04+", false, ""},
		{"old survey event", `{"eventType":"satisfaction.filled","score":3}`, "up to 2020-05", true, ""},
		{"old survey event with clientId", `{"eventType":"satisfaction.filled","clientId":1,"score":3}`, "2017-09–2020-05", true, "clientId"},
		{"new survey event", `{"eventType":"satisfaction.answered","customerSatisfaction":3}`, "2021-03+", true, ""},
		{"availability", `{"eventType":"user.availability.updated","availabilities":[]}`, "2022-12", true, ""},
		{"connector events", `{"eventType":"connector.installed","connectorId":"c"}`, "up to 2017-12", true, ""},
		{"user event in the first shape", `{"eventType":"user.created","userId":1}`, "", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal([]byte(tc.body), &doc); err != nil {
				t.Fatal(err)
			}
			lo, hi, ev, ok := catalog.Narrow(doc["eventType"].(string), doc)
			if got := catalog.Label(lo, hi); got != tc.label || ok != tc.ok {
				t.Fatalf("Narrow = %q ok=%v (evidence %+v); want %q ok=%v", got, ok, ev, tc.label, tc.ok)
			}
			if tc.label == "" {
				if len(ev) != 0 {
					t.Fatalf("evidence %+v for a delivery every version could send", ev)
				}
				return
			}
			found := false
			for _, e := range ev {
				if e.Path == tc.because && strings.Contains(e.Reason, "→") {
					found = true
				}
			}
			if !found {
				t.Fatalf("evidence %+v does not name %q", ev, tc.because)
			}
		})
	}
}

// Every rename is understood both ways: the old name leads to the new one (Canonical,
// RenamedTo), the new one knows the old (RenamedFrom, Names), and both decode alike.
func TestRenamesBothWays(t *testing.T) {
	n := 0
	for _, et := range catalog.Events {
		for _, f := range et.Fields {
			if f.RenamedTo == "" {
				continue
			}
			n++
			var to *struct{ from []string }
			for _, g := range catalog.EventType(et.Name).Fields {
				if g.Path == f.RenamedTo {
					to = &struct{ from []string }{g.RenamedFrom}
				}
			}
			if to == nil || !contains(to.from, f.Path) {
				t.Errorf("%s: %s renamed to %s, which does not name it back", et.Name, f.Path, f.RenamedTo)
			}
		}
		if et.RenamedTo == "" {
			continue
		}
		n++
		to := catalog.EventType(et.RenamedTo)
		if to == nil || !contains(to.RenamedFrom, et.Name) {
			t.Errorf("%s renamed to %s, which does not name it back", et.Name, et.RenamedTo)
			continue
		}
		if got := catalog.Canonical(et.Name); got != catalog.Canonical(et.RenamedTo) {
			t.Errorf("Canonical(%s) = %s; want %s", et.Name, got, catalog.Canonical(et.RenamedTo))
		}
		if names := catalog.Names(et.RenamedTo); !contains(names, et.Name) {
			t.Errorf("Names(%s) = %v; want %s among them", et.RenamedTo, names, et.Name)
		}
	}
	if n < 10 {
		t.Fatalf("only %d renames; the per-channel names, satisfaction.filled and operatorId should all be linked", n)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// What changes from the first v2 events to March 2022, on the real catalog.
func TestChangesOnTheCatalog(t *testing.T) {
	cs, err := decode.Changes(catalog, "2019-04", "2022-03")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"renamed satisfaction.filled  satisfaction.answered",
		"added transaction.attributed  ",
		"renamed v2.conversation.closed operatorId operatorIds",
		"renamed v2.conversation.closed operatorId[] operatorIds[]",
		"added v2.conversation.closed visitorId ",
		"added v2.conversation.pushed visitorId ",
	}
	var got []string
	for _, c := range append(cs.Events, cs.Fields...) {
		got = append(got, c.Kind+" "+c.EventType+" "+c.Path+" "+c.To)
	}
	for _, w := range want {
		if !contains(got, w) {
			t.Errorf("Changes(2019-04, 2022-03) lacks %q; got\n%s", w, strings.Join(got, "\n"))
		}
	}
	back, err := decode.Changes(catalog, "2022-03", "2017-08")
	if err != nil {
		t.Fatal(err)
	}
	var gotBack []string
	for _, c := range back.Events {
		gotBack = append(gotBack, c.Kind+" "+c.EventType+" "+c.To)
	}
	for _, w := range []string{"added conversation.chat.started ", "renamed satisfaction.answered satisfaction.filled", "removed v2.conversation.pushed "} {
		if !contains(gotBack, w) {
			t.Errorf("Changes(2022-03, 2017-08) lacks %q; got %q", w, gotBack)
		}
	}
}
