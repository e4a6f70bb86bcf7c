package livechat_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/registration"
)

// TestCatalogLinks fails on any problem Catalog.Link finds in the version data.
func TestCatalogLinks(t *testing.T) {
	for _, err := range livechat.LinkErrors() {
		t.Error(err)
	}
}

// expectedConversation reads the conversation a sample is about straight from its body: the
// chat ID wherever the action keeps it, "" for actions about no chat.
func expectedConversation(doc map[string]any) string {
	if c := decode.Str(doc, "chat", "id"); c != "" { // v2
		return c
	}
	p := doc["payload"]
	for _, path := range [][]string{{"chat_id"}, {"chat", "id"}, {"active_chat", "chat_id"}} {
		if c := decode.Str(p, path...); c != "" {
			return c
		}
	}
	switch decode.Str(doc, "action") {
	case "chat_access_updated", "chat_access_granted", "chat_access_revoked":
		return decode.Str(p, "id")
	case "access_granted", "access_revoked", "access_set":
		if decode.Str(p, "resource") == "chat" {
			return decode.Str(p, "id")
		}
	}
	return ""
}

// TestVersionSamples decodes every published sample of every version (docs pages, SDK test
// data, app webhooks, v2) and measures the target: the right vendor, a recognised event type,
// the right conversation and a specific summary for at least 97 %; at most one drift flag per
// 20 samples; none on a field the detected version documents.
func TestVersionSamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/versions/*/*.json")
	if len(files) < 200 {
		t.Fatalf("%d version samples; want the ≥200 copied into testdata/versions", len(files))
	}
	r := registry()
	cat := livechat.New().Catalog()
	right, flags, placeholders := 0, 0, 0
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		ev := r.Decode(delivery(filepath.Base(file), body), nil)
		conv := ""
		if ev.Conversation != nil {
			conv = ev.Conversation.ID
		}
		generic := ev.Summary == "LiveChat "+ev.EventType || strings.HasPrefix(ev.Summary, "LiveChat ")
		ok := ev.Vendor == livechat.Name && ev.Documented && conv == expectedConversation(doc) && !generic && ev.Summary != ""
		if ok {
			right++
		} else {
			t.Logf("%s: vendor %s type %q documented %v conversation %q (want %q) summary %q", file, ev.Vendor, ev.EventType,
				ev.Documented, conv, expectedConversation(doc), ev.Summary)
		}
		for _, fl := range ev.Flags {
			if placeholder(doc, fl) {
				placeholders++ // the reference shows "{ // Event object }": not a body LiveChat sends
				continue
			}
			flags++
			t.Logf("%s [%s]: %s %s: %s", file, ev.APIVersion, fl.Code, fl.Path, fl.Reason)
		}
		documentedFlag(t, cat, file, ev)
	}
	n := len(files)
	t.Logf("version samples: %d; right %d (%.1f %%); drift flags %d (1 per %.1f samples), plus %d for the references' empty placeholder objects",
		n, right, 100*float64(right)/float64(n), flags, float64(n)/float64(max(flags, 1)), placeholders)
	if right*100 < n*97 {
		t.Errorf("right %d of %d samples; want ≥ 97 %%", right, n)
	}
	if flags*20 > n {
		t.Errorf("%d drift flags over %d samples; want at most one per 20", flags, n)
	}
}

// placeholder reports a missing_required flag inside an empty object: the references write
// "{ // Event object }" where a structure is described elsewhere on the page, and the copied
// samples keep the empty object.
func placeholder(doc map[string]any, fl backend.Flag) bool {
	if fl.Code != decode.FlagMissingRequired {
		return false
	}
	i := strings.LastIndexByte(fl.Path, '.')
	if i < 0 {
		return false
	}
	var cur any = doc
	for _, k := range strings.Split(fl.Path[:i], ".") {
		cur = decode.Get(cur, k)
	}
	m, ok := cur.(map[string]any)
	return ok && len(m) == 0
}

// documentedFlag fails when a drift flag names a field the detected version documents.
func documentedFlag(t *testing.T, cat *decode.Catalog, file string, ev backend.Event) {
	t.Helper()
	for _, fl := range ev.Flags {
		if fl.Path == "" || fl.Code == decode.FlagOtherVersion {
			continue
		}
		if fl.Code == decode.FlagUnknownField {
			// unknown means no version documents it: the whole catalog must not know the path
			for _, et := range cat.Events {
				if et.Name != ev.EventType {
					continue
				}
				for _, f := range et.Fields {
					if f.Path == fl.Path {
						t.Errorf("%s: %s flagged unknown but documented (%s)", file, fl.Path, cat.RangeLabel(f.Range))
					}
				}
			}
		}
	}
}

// TestRenamesBothWays checks every rename in both directions: the old name decodes like the
// new one (same conversation, a specific summary), Canonical maps old to new, Names gives the
// chain from either end, and the new entry lists the old one in RenamedFrom.
func TestRenamesBothWays(t *testing.T) {
	cat := livechat.New().Catalog()
	n := 0
	for _, et := range cat.Events {
		if et.RenamedTo == "" {
			continue
		}
		n++
		to := cat.EventType(et.RenamedTo)
		if to == nil {
			t.Errorf("%s renamed to unknown %s", et.Name, et.RenamedTo)
			continue
		}
		found := false
		for _, from := range to.RenamedFrom {
			found = found || from == et.Name
		}
		if !found {
			t.Errorf("%s.RenamedFrom = %v; want %s", to.Name, to.RenamedFrom, et.Name)
		}
		canon := cat.Canonical(et.Name)
		if canon == et.Name {
			t.Errorf("Canonical(%s) = itself", et.Name)
		}
		for _, name := range []string{et.Name, canon} {
			names := cat.Names(name)
			if !contains(names, et.Name) || !contains(names, canon) {
				t.Errorf("Names(%s) = %v; want both %s and %s", name, names, et.Name, canon)
			}
		}
		next := cat.Versions[cat.Index(et.Until)+1].Name // a rename takes effect in the next version
		if old, cur := cat.At(et.Until).EventType(et.Name), cat.At(next).EventType(et.RenamedTo); old == nil || cur == nil || cat.At(next).EventType(et.Name) != nil {
			t.Errorf("%s in %s = %v, %s in %s = %v; want both, and the old name gone", et.Name, et.Until, old != nil, et.RenamedTo, next, cur != nil)
		}
	}
	// fields: each renamed field links to its new path in the same event type
	for _, et := range cat.Events {
		for _, f := range et.Fields {
			if f.RenamedTo == "" {
				continue
			}
			n++
			var target *decode.Field
			for i := range et.Fields {
				if et.Fields[i].Path == f.RenamedTo {
					target = &et.Fields[i]
				}
			}
			if target == nil || !contains(target.RenamedFrom, f.Path) {
				t.Errorf("%s: %s renamed to %s, not linked back", et.Name, f.Path, f.RenamedTo)
			}
		}
	}
	if n < 15 {
		t.Errorf("%d renames; want the ≥15 of the catalog", n)
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

// TestOldNamesDecodeLikeNew decodes the same payload under the old and the new name.
func TestOldNamesDecodeLikeNew(t *testing.T) {
	r := registry()
	tests := []struct{ old, new, payload, status string }{
		{"thread_closed", "chat_deactivated", `{"chat_id":"C1","thread_id":"T1","user_id":"a@example.com"}`, "closed"},
		{"incoming_chat_thread", "incoming_chat", `{"chat":{"id":"C1","users":[],"thread":{"id":"T1"}}}`, "open"},
		{"chat_thread_tagged", "thread_tagged", `{"chat_id":"C1","thread_id":"T1","tag":"sales"}`, ""},
		{"chat_user_added", "user_added_to_chat", `{"chat_id":"C1","thread_id":"T1","user":{"id":"a@example.com","type":"agent"},"user_type":"agent"}`, ""},
		{"agent_status_changed", "routing_status_set", `{"agent_id":"a@example.com","status":"accepting chats"}`, "accepting_chats"},
	}
	for _, tt := range tests {
		var got [2]backend.Event
		for i, name := range []string{tt.old, tt.new} {
			body := `{"webhook_id":"w","secret_key":"s3cr3t-hooklens","action":"` + name + `","payload":` + tt.payload + `}`
			got[i] = r.Decode(delivery(name, []byte(body)), nil)
		}
		o, nw := got[0], got[1]
		if o.Conversation == nil != (nw.Conversation == nil) || (o.Conversation != nil && *o.Conversation != *nw.Conversation) {
			t.Errorf("%s conversation %v; %s %v", tt.old, o.Conversation, tt.new, nw.Conversation)
		}
		if o.Summary != nw.Summary || o.Status != nw.Status || len(o.Actors) != len(nw.Actors) {
			t.Errorf("%s = %q %q %v; %s = %q %q %v", tt.old, o.Summary, o.Status, o.Actors, tt.new, nw.Summary, nw.Status, nw.Actors)
		}
		if !o.Documented || o.APIVersion != "3.1" {
			t.Errorf("%s documented %v version %q; want documented 3.1", tt.old, o.Documented, o.APIVersion)
		}
	}
}

// TestDetectionEvidence checks each piece of detection evidence on a hand-made delivery.
func TestDetectionEvidence(t *testing.T) {
	r := registry()
	tests := []struct{ name, body, version, evidence string }{
		{"organization_id", `{"webhook_id":"w","secret_key":"s","action":"incoming_event","organization_id":"o","payload":{"chat_id":"C","thread_id":"T","event":{"type":"message","text":"hi"}}}`, "3.4+", "organization_id present → 3.4 or later"},
		{"license_id", `{"webhook_id":"w","secret_key":"s","action":"incoming_event","license_id":1,"payload":{"chat_id":"C","thread_id":"T","event":{"type":"message"}}}`, "3.1–3.4", "license_id present → 3.4 or earlier"},
		{"requester", `{"webhook_id":"w","secret_key":"s","action":"agent_suspended","organization_id":"o","requester":{"user_id":"a@example.com"},"payload":{"id":"b@example.com"}}`, "3.6+", "requester present → 3.6 or later"},
		{"action only in 3.1", `{"webhook_id":"w","secret_key":"s","action":"access_set","payload":{"resource":"chat","id":"C","access":{"group_ids":[0]}}}`, "3.1", "event type access_set → 3.1 only"},
		{"presence since 3.3, license until 3.3", `{"webhook_id":"w","secret_key":"s","action":"incoming_event","license_id":1,"additional_data":{"chat_presence_user_ids":["a"]},"payload":{"chat_id":"C","thread_id":"T","event":{"type":"message"}}}`, "3.3–3.4", "additional_data.chat_presence_user_ids present → 3.3 or later"},
		{"agent_id", `{"webhook_id":"w","secret_key":"s","action":"agent_deleted","payload":{"agent_id":"a@example.com"}}`, "3.1–3.3", "payload.agent_id present → 3.3 or earlier"},
		{"work_scheduler by day", `{"webhook_id":"w","secret_key":"s","action":"agent_updated","organization_id":"o","payload":{"id":"a@example.com","work_scheduler":{"monday":{"start":"08:00","end":"16:00"}}}}`, "3.4", "payload.work_scheduler.* present → 3.4 or earlier"},
		{"v2", `{"event_type":"chat_started","license_id":"1","token":"t","chat":{"id":"C"}}`, "v2", "event type chat_started → v2 only"},
		{"app", `{"event":"payment_collected","applicationID":"a","licenseID":1,"payload":{"paymentID":"p","total":400}}`, "app", ""},
	}
	for _, tt := range tests {
		ev := r.Decode(delivery(tt.name, []byte(tt.body)), nil)
		if ev.APIVersion != tt.version {
			t.Errorf("%s: APIVersion %q; want %q (evidence %v)", tt.name, ev.APIVersion, tt.version, ev.VersionEvidence)
		}
		if tt.evidence != "" && !hasEvidence(ev, tt.evidence) {
			t.Errorf("%s: evidence %v; want %q", tt.name, ev.VersionEvidence, tt.evidence)
		}
		if len(ev.Flags) != 0 {
			t.Errorf("%s: flags %v; want none", tt.name, ev.Flags)
		}
	}
}

func hasEvidence(ev backend.Event, reason string) bool {
	for _, e := range ev.VersionEvidence {
		if strings.HasSuffix(e.Reason, reason) || e.Reason == reason {
			return true
		}
	}
	return false
}

// TestPinnedVersionWords checks the other_version words when a pinned version differs.
func TestPinnedVersionWords(t *testing.T) {
	r := registry().WithPins(decode.Pins{livechat.Name: "3.5"})
	ev := r.Decode(delivery("pin", []byte(`{"webhook_id":"w","secret_key":"s","action":"agent_deleted","payload":{"agent_id":"a@example.com"}}`)), nil)
	if !hasFlagReason(ev, "payload.agent_id is how v3.1–3.3 name payload.id") || len(ev.Flags) != 1 {
		t.Errorf("pinned 3.5, agent_deleted with agent_id: flags %v; want one other_version in words", ev.Flags)
	}
	ev = r.Decode(delivery("pin", []byte(`{"webhook_id":"w","secret_key":"s","action":"thread_closed","payload":{"chat_id":"C","thread_id":"T"}}`)), nil)
	if !hasFlagReason(ev, "thread_closed was renamed chat_deactivated in v3.2") {
		t.Errorf("pinned 3.5, thread_closed: flags %v; want the rename in words", ev.Flags)
	}
	if err := registry().CheckPin(livechat.Name, "9.9"); err == nil {
		t.Error("CheckPin(livechat, 9.9) = nil; want an error naming the known versions")
	}
}

func hasFlagReason(ev backend.Event, reason string) bool {
	for _, f := range ev.Flags {
		if f.Code == decode.FlagOtherVersion && f.Reason == reason {
			return true
		}
	}
	return false
}

// TestAsVersion rewrites current bodies as older versions send them and checks that each
// decodes as that version, without drift.
func TestAsVersion(t *testing.T) {
	cat := livechat.New().Catalog()
	r := registry()
	tests := []struct{ name, body, version, wantName, wantVersion string }{
		{"chat_deactivated", `{"webhook_id":"w","secret_key":"s","action":"chat_deactivated","organization_id":"o","payload":{"chat_id":"C","thread_id":"T"}}`, "3.1", "thread_closed", "3.1"},
		{"agent_deleted", `{"webhook_id":"w","secret_key":"s","action":"agent_deleted","organization_id":"o","requester":{"user_id":"a@example.com"},"payload":{"id":"b@example.com"}}`, "3.2", "agent_deleted", "3.1–3.3"},
	}
	for _, tt := range tests {
		var doc any
		if err := json.Unmarshal([]byte(tt.body), &doc); err != nil {
			t.Fatal(err)
		}
		name, doc, ok := cat.AsVersion(tt.name, doc, tt.version)
		if !ok || name != tt.wantName {
			t.Errorf("AsVersion(%s, %s) = %s, %v; want %s", tt.name, tt.version, name, ok, tt.wantName)
			continue
		}
		doc.(map[string]any)["action"] = name
		b, _ := json.Marshal(doc)
		ev := r.Decode(delivery(tt.name, b), nil)
		if ev.APIVersion != tt.wantVersion || len(ev.Flags) != 0 {
			t.Errorf("%s as %s = %s: version %q flags %v; want %q and none", tt.name, tt.version, b, ev.APIVersion, ev.Flags, tt.wantVersion)
		}
	}
	if _, _, ok := cat.AsVersion("event_deleted", map[string]any{}, "3.4"); ok {
		t.Error("AsVersion(event_deleted, 3.4) ok; want false: it exists from 3.6")
	}
	if _, _, ok := cat.AsVersion("auto_accesses_updated", map[string]any{}, "3.4"); ok {
		t.Error("AsVersion(auto_accesses_updated, 3.4) ok; want false: three 3.4 actions merged into it")
	}
}

// TestGuideVersion checks the registration guide of a pinned version: that version's register
// URL and action names, and a clear refusal for an action it does not have or for v2.
func TestGuideVersion(t *testing.T) {
	g := livechat.New().(registration.Guide)
	var h registration.Help
	if err := g.Guide(&h, "https://x.example/livechat", registration.Input{Version: "3.1"}); err != nil {
		t.Fatal(err)
	}
	code := ""
	for _, s := range h.Steps {
		code += s.Code
	}
	if !strings.Contains(code, "/v3.1/configuration/action/register_webhook") || !contains(h.Actions, "incoming_chat_thread") ||
		!contains(h.Actions, "thread_closed") || contains(h.Actions, "incoming_chat") || !contains(h.KnownActions, "access_set") {
		t.Errorf("guide for 3.1: actions %v known %v\n%s", h.Actions, h.KnownActions, code)
	}
	if err := g.Guide(&h, "https://x.example/livechat", registration.Input{Version: "3.1", Actions: []string{"chat_deactivated"}}); err == nil ||
		!strings.Contains(err.Error(), "chat_deactivated") {
		t.Errorf("guide for 3.1 with chat_deactivated = %v; want a refusal naming it", err)
	}
	if err := g.Guide(&h, "https://x.example/livechat", registration.Input{Version: "v2"}); err == nil {
		t.Error("guide for v2 = nil; want a refusal")
	}
}
