package closer_test

import (
	"slices"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
)

func TestCatalog(t *testing.T) {
	v := closer.New()
	cat := v.Catalog()
	if cat == nil || cat != v.Catalog() || cat.Vendor != closer.Name {
		t.Fatalf("Catalog() = %p, %p; want the same closer catalog each call", cat, v.Catalog())
	}
	want := []string{
		closer.ActionLogin, closer.ActionLogout, closer.ActionStatusChange, closer.ActionCreated,
		closer.ActionBackofficeDataChange, closer.ActionTagChange, closer.ActionAssigneeChange,
		closer.ActionMessageSent, closer.ActionCustomMessageSent, closer.ActionClosed, closer.ActionReopened,
		closer.ActionSnoozed, closer.ActionUnsnoozed, closer.ActionThreadCreated,
		closer.LegacyConversationCreated, closer.LegacyConversationClosed,
	}
	var names []string
	for _, et := range cat.Events {
		names = append(names, et.Name)
	}
	if !slices.Equal(names, want) {
		t.Errorf("Catalog().Events = %q; want %q", names, want)
	}
	types := []string{"string", "integer", "number", "boolean", "object", "array", "any", "null"}
	for _, et := range cat.Events {
		if et.Description == "" || et.Category == "" || (et.Since == "" && et.Until == "") || len(et.Fields) == 0 {
			t.Errorf("event %s: description, category, a version range and fields must be set", et.Name)
		}
		seen := map[string]bool{}
		for _, f := range et.Fields {
			if seen[f.Path] {
				t.Errorf("event %s: field %s listed twice", et.Name, f.Path)
			}
			seen[f.Path] = true
			if f.Description == "" || !strings.HasSuffix(f.Description, ".") {
				t.Errorf("event %s: field %s needs a description ending in a period, got %q", et.Name, f.Path, f.Description)
			}
			for _, typ := range strings.Split(f.Type, "|") {
				if !slices.Contains(types, typ) {
					t.Errorf("event %s: field %s has type %q", et.Name, f.Path, f.Type)
				}
			}
		}
		if strings.Contains(et.Name, ".") {
			if !seen["customer.apiKey"] || !seen["eventType"] {
				t.Errorf("legacy event %s must document customer.apiKey and eventType", et.Name)
			}
			continue
		}
		for _, p := range []string{"@timestamp", "message.timestamp", "message.description.action", "message.description.outcome", "message.event.orgId"} {
			if !seen[p] {
				t.Errorf("event %s: envelope field %s missing", et.Name, p)
			}
		}
		if !slices.Contains(fieldEnum(et, "message.description.action"), et.Name) {
			t.Errorf("event %s: the action enum does not list it", et.Name)
		}
	}
}

func fieldEnum(et decode.EventType, path string) []string {
	for _, f := range et.Fields {
		if f.Path == path {
			return f.Enum
		}
	}
	return nil
}

// TestCatalogCoversSeed checks that no field of the seed samples is unknown to the catalog,
// and that the drift check does flag a field Closer does not document.
func TestCatalogCoversSeed(t *testing.T) {
	cat := closer.New().Catalog()
	for name, raw := range rawSamples(t) {
		in := decode.Prepare(delivery("d", "/closer", normalized(t, name, raw)))
		var ev backend.Event
		closer.New().Decode(in, &ev)
		if cat.EventType(ev.EventType) == nil {
			continue // the registry checks documented events only
		}
		for _, f := range decode.Check(cat, ev.EventType, in.Doc) {
			if f.Code == decode.FlagUnknownField || f.Code == decode.FlagMissingRequired || f.Code == decode.FlagWrongType {
				t.Errorf("Check(%s) = %+v; want the catalog to cover the seed", name, f)
			}
		}
	}
	body := business("closed", `{"roomId": "r1", "orgId": "o", "closedBy": "a1"}`, ts)
	flags := decode.Check(cat, closer.ActionClosed, input(t, body).Doc)
	if len(flags) != 1 || flags[0].Path != "message.event.closedBy" || flags[0].Code != decode.FlagUnknownField {
		t.Errorf("Check(%s) = %+v; want one unknown_field at message.event.closedBy", body, flags)
	}
}

// TestExplainUndocumented checks that the envelope of an action the catalog does not know is
// still explained, from the common fields.
func TestExplainUndocumented(t *testing.T) {
	raw := rawSamples(t)["unknown_action"]
	notes := decode.New(closer.New()).Explain(delivery("d", "/closer", normalized(t, "unknown_action", raw)), nil)
	known := map[string]bool{}
	for _, n := range notes {
		known[n.Path] = n.Known
	}
	for path, want := range map[string]bool{"@timestamp": true, "message.timestamp": true,
		"message.description.action": true, "message.event.orgId": true, "message.event.adviserId": false} {
		if known[path] != want {
			t.Errorf("Explain(unknown_action) %s known = %v; want %v", path, known[path], want)
		}
	}
}
