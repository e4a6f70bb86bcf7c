package livechat_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/livechat"
)

func TestVerify(t *testing.T) {
	tests := []struct {
		body, secret, status, reason string
	}{
		{`{"action":"x","secret_key":"abc"}`, "abc", backend.VerifyVerified, ""},
		{`{"action":"x","secret_key":"abd"}`, "abc", backend.VerifyMismatch, "secret_key in the body does not match the configured LiveChat secret"},
		{`{"action":"x","secret_key":"abcd"}`, "abc", backend.VerifyMismatch, "it is 4 characters long, the configured secret 3"},
		{`{"action":"x","webhook_id":"w"}`, "abc", backend.VerifyUnsigned, "no secret_key"},
		{`{"action":"x","secret_key":""}`, "abc", backend.VerifyUnsigned, "no secret_key"},
		{`{"action":"x","secret_key":7}`, "abc", backend.VerifyUnsigned, "no secret_key"},
		{`{"action":"x","secret_key":"abc"}`, "", backend.VerifyNoSecret, ""},
	}
	v := livechat.New()
	for _, tt := range tests {
		in := decode.Prepare(delivery("verify", []byte(tt.body)))
		got := v.Verify(in, tt.secret)
		if got.Status != tt.status || !strings.Contains(got.Reason, tt.reason) {
			t.Errorf("Verify(%q, %q) = %+v; want %s with %q", tt.body, tt.secret, got, tt.status, tt.reason)
		}
		if strings.Contains(got.Reason, tt.secret) && tt.secret != "" {
			t.Errorf("Verify(%q, %q).Reason = %q; must not reveal the secret", tt.body, tt.secret, got.Reason)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{`{"action":"incoming_chat","secret_key":"s","payload":{}}`, true},
		{`{"action":"incoming_chat","webhook_id":"w"}`, true},
		{`{"action":"incoming_chat"}`, false},
		{`{"action":3,"secret_key":"s"}`, false},
		{`{"eventId":"e","eventType":"v2.conversation.closed"}`, false},
		{`[{"action":"x","secret_key":"s"}]`, false},
		{`not json`, false},
	}
	for _, tt := range tests {
		if got := livechat.New().Match(decode.Prepare(delivery("match", []byte(tt.body)))); got != tt.want {
			t.Errorf("Match(%q) = %v; want %v", tt.body, got, tt.want)
		}
	}
}

func TestLicenseID(t *testing.T) {
	body := `{"webhook_id":"w","secret_key":"s","action":"chat_deactivated","license_id":21377312,
		"payload":{"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8","user_id":"smith@example.com"},"additional_data":{}}`
	ev := registry().Decode(delivery("license", []byte(body)), nil)
	want := "Chat PJ0MRSHTDG thread K600PKZON8 closed by agent smith@example.com"
	if ev.Organization != "21377312" || ev.Summary != want || ev.Status != "closed" || len(ev.Flags) != 0 {
		t.Errorf("Decode(%q) = org %q, %q, status %q, flags %v; want org 21377312, %q, closed, no flags",
			body, ev.Organization, ev.Summary, ev.Status, ev.Flags, want)
	}
}

func TestUnknownAction(t *testing.T) {
	body := `{"webhook_id":"w","secret_key":"s","action":"chat_pinned","organization_id":"o",
		"payload":{"chat":{"id":"PJ0MRSHTDG","thread":{"id":"K600"},"users":[{"id":"smith@example.com","type":"agent"}]},
		"event":{"author_id":"b7eff798-f8df-4364-8059-649c35c9ed0c","created_at":"2024-01-02T03:04:05Z"}}}`
	ev := registry().Decode(delivery("unknown", []byte(body)), nil)
	conv := ev.Conversation
	if ev.Documented || ev.EventType != "chat_pinned" || conv == nil || conv.ID != "PJ0MRSHTDG" || conv.ThreadID != "K600" ||
		ev.OccurredAt == nil || len(ev.Actors) != 1 || ev.Actors[0].Kind != backend.KindCustomer {
		t.Errorf("Decode(%q) = %+v; want an undocumented chat_pinned in PJ0MRSHTDG/K600 by a customer", body, ev)
	}
	if want := "LiveChat chat_pinned in chat PJ0MRSHTDG (thread K600)"; ev.Summary != want {
		t.Errorf("Decode(%q).Summary = %q; want %q", body, ev.Summary, want)
	}
}

// TestDrift modifies a documented sample and checks each kind of drift flag.
func TestDrift(t *testing.T) {
	body, err := os.ReadFile("testdata/chat_transferred.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	p := doc["payload"].(map[string]any)
	p["reason"] = "escalated"                                    // unknown_enum
	p["chat_id"] = 42                                            // wrong_type
	delete(p, "transferred_to")                                  // missing_required
	p["priority"] = map[string]any{"level": 1, "why": "vip"}     // unknown_field, reported once
	p["queue"].(map[string]any)["position"] = json.Number("4.5") // wrong_type (integer)
	body, _ = json.Marshal(doc)
	ev := registry().Decode(delivery("drift", body), nil)
	var got []string
	for _, f := range ev.Flags {
		got = append(got, f.Code+" "+f.Path)
	}
	want := []string{
		"wrong_type payload.chat_id", "unknown_field payload.priority", "wrong_type payload.queue.position",
		"unknown_enum payload.reason", "missing_required payload.transferred_to",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Decode(modified chat_transferred).Flags = %v; want %v", got, want)
	}
}

func TestDedupeKey(t *testing.T) {
	body, _ := os.ReadFile("testdata/incoming_event.json")
	a := registry().Decode(delivery("a", body), nil)
	retry := strings.Replace(string(body), `"additional_data": {`, `"additional_data": {"x": 1, `, 1)
	b := registry().Decode(delivery("b", []byte(retry)), nil)
	if a.DedupeKey == "" || a.DedupeKey != b.DedupeKey {
		t.Errorf("DedupeKey(incoming_event) = %q and %q; want the same non-empty key for one event", a.DedupeKey, b.DedupeKey)
	}
	other, _ := os.ReadFile("testdata/event_updated.json")
	if c := registry().Decode(delivery("c", other), nil); c.DedupeKey == a.DedupeKey {
		t.Errorf("DedupeKey(event_updated) = %q; want a key different from incoming_event", c.DedupeKey)
	}
}

func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	versioned, _ := filepath.Glob("testdata/versions/*/*.json") // every version's shapes, v2 and app webhooks
	for _, file := range append(files, versioned...) {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"action":"incoming_chat","secret_key":"s","payload":[]}`))
	f.Add([]byte(`{"action":"incoming_event","secret_key":"s","payload":{"event":{"type":"message","text":"\xff"}}}`))
	r := registry()
	f.Fuzz(func(t *testing.T, body []byte) {
		d := delivery("fuzz", body)
		d.Path = "/livechat"
		ev := r.Decode(d, func(string) string { return secret })
		if !utf8.ValidString(ev.Summary) || strings.ContainsAny(ev.Summary, "\n\r") {
			t.Errorf("Decode(%q).Summary = %q; want one line of valid UTF-8", body, ev.Summary)
		}
		if ev.Vendor != livechat.Name {
			t.Errorf("Decode(%q).Vendor = %q; want livechat (by path)", body, ev.Vendor)
		}
		_ = r.Explain(d, nil)
	})
}
