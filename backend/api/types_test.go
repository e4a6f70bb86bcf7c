package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"hooklens/backend/api"
)

// strictJSON decodes body into v and fails on a key v does not declare, then checks that v
// encodes to the same JSON: the exported type is exactly what the route sends.
func strictJSON(tb testing.TB, path string, body []byte, v any) {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		tb.Fatalf("GET %s: %s\ndoes not decode into %T: %v", path, body, v, err)
	}
	var want, got any
	again, _ := json.Marshal(v)
	_ = json.Unmarshal(body, &want)
	_ = json.Unmarshal(again, &got)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		tb.Errorf("GET %s = %s\n%T encodes it as %s", path, body, v, again)
	}
}

// TestTimelineTypes checks that the streamed timelines are the documented types (writeTimeline
// writes them key by key, not from the type).
func TestTimelineTypes(t *testing.T) {
	h := newTimelineHarness(t)
	base := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	h.addAt(t, "/livechat", base, lcBody("incoming_event", fmt.Sprintf(`{"chat_id":"PJ0MRSHTDG",
		"thread_id":"K600PKZON8","event":{"id":"K600PKZON8_2","type":"message","text":"Hello",
		"author_id":"smith@example.com","created_at":%q}}`, base.Format(time.RFC3339Nano))))
	h.decoded(t)

	for path, v := range map[string]any{
		"/api/v1/conversations/livechat/PJ0MRSHTDG/timeline": &api.ConversationTimeline{},
		"/api/v1/agents/livechat/smith@example.com/timeline": &api.AgentTimeline{},
		"/api/v1/conversations":                              &api.ConversationPage{},
		"/api/v1/agents":                                     &api.AgentPage{},
		"/api/v1/deliveries":                                 &api.DeliveryPage{},
		"/api/v1/health":                                     &api.Health{},
		"/api/v1/catalog":                                    &api.CatalogList{},
	} {
		resp, body := h.do(t, "GET", path, "")
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
		}
		strictJSON(t, path, body, v)
	}
}

// TestHealth_Sync: health reports the sync policy and the journal's syncs.
func TestHealth_Sync(t *testing.T) {
	h := newTimelineHarness(t)
	var got api.Health
	if code := h.getJSON(t, "/api/v1/health", &got); code != 200 {
		t.Fatalf("GET /api/v1/health = %d", code)
	}
	if got.Sync.Policy != "always" || got.Sync.Error != "" {
		t.Errorf("health sync = %+v; want policy always, no error", got.Sync)
	}
}
