package closer

import (
	"encoding/json"
	"testing"
)

func TestCatalogLinks(t *testing.T) {
	for _, err := range linkErrs {
		t.Error(err)
	}
}

// Hand-made deliveries for each piece of evidence: what Narrow concludes.
func TestNarrowEvidence(t *testing.T) {
	cases := []struct{ name, typ, body, label string }{
		{"legacy created", LegacyConversationCreated, `{"customer":{"id":"c"},"timestamp":1,"eventType":"ThreadCreatedEvent"}`, versionLegacy},
		{"legacy closed with history", LegacyConversationClosed, `{"customer":{"id":"c"},"closedType":"X","assignee":{"isBot":true},"messageHistory":[{"author":{"role":"CUSTOMER"}}]}`, versionLegacy},
		{"business created", ActionCreated, `{"@timestamp":"x","message":{"event":{"roomId":"r"}}}`, versionBusiness},
		{"business login", ActionLogin, `{"@timestamp":"x","message":{"event":{"agentId":"a"}}}`, versionBusiness},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal([]byte(tc.body), &doc); err != nil {
				t.Fatal(err)
			}
			lo, hi, ev, ok := catalog.Narrow(tc.typ, doc)
			if got := catalog.Label(lo, hi); got != tc.label || !ok || len(ev) == 0 {
				t.Fatalf("Narrow(%s) = %q ok=%v evidence %+v; want %q from the event type", tc.typ, got, ok, ev, tc.label)
			}
		})
	}
}

// Each legacy event type leads to its business name and back.
func TestRenamesBothWays(t *testing.T) {
	pairs := map[string]string{LegacyConversationCreated: ActionCreated, LegacyConversationClosed: ActionClosed}
	for old, now := range pairs {
		if got := catalog.Canonical(old); got != now {
			t.Errorf("Canonical(%s) = %s; want %s", old, got, now)
		}
		names := catalog.Names(now)
		if len(names) != 2 || names[0] != old || names[1] != now {
			t.Errorf("Names(%s) = %v; want [%s %s]", now, names, old, now)
		}
		if et := catalog.EventType(old); et == nil || et.Family != familyLegacy {
			t.Errorf("%s is not in the legacy family", old)
		}
	}
}
