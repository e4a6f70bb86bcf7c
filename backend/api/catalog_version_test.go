package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"hooklens/backend/api"
	"hooklens/backend/decode"
	"hooklens/backend/decode/livechat"
)

// TestCatalogVersion checks GET /api/v1/catalog/{vendor}?version=: the catalog of that version
// only, and 400 with the known versions for an unknown one.
func TestCatalogVersion(t *testing.T) {
	h := newHarness(t)
	var full, v34 decode.Catalog
	if resp, b := h.do(t, "GET", "/api/v1/catalog/"+livechat.Name, ""); resp.StatusCode != 200 || json.Unmarshal(b, &full) != nil {
		t.Fatalf("catalog = %d %.200s", resp.StatusCode, b)
	}
	resp, b := h.do(t, "GET", "/api/v1/catalog/"+livechat.Name+"?version=3.4", "")
	if resp.StatusCode != 200 || json.Unmarshal(b, &v34) != nil {
		t.Fatalf("catalog?version=3.4 = %d %.200s", resp.StatusCode, b)
	}
	if len(v34.Events) == 0 || len(v34.Events) >= len(full.Events) {
		t.Errorf("catalog of 3.4 has %d event types, the whole catalog %d; want fewer, not none", len(v34.Events), len(full.Events))
	}
	for _, name := range []string{"chat_access_updated", "auto_access_added", "incoming_customer"} {
		if v34.EventType(name) == nil {
			t.Errorf("catalog of 3.4 lacks %s", name)
		}
	}
	for _, name := range []string{"thread_closed", "auto_accesses_updated", "event_deleted", "chat_access_granted"} {
		if v34.EventType(name) != nil {
			t.Errorf("catalog of 3.4 has %s; want it left out", name)
		}
	}
	resp, b = h.do(t, "GET", "/api/v1/catalog/"+livechat.Name+"?version=9.9", "")
	if resp.StatusCode != 400 || !strings.Contains(string(b), `9.9`) || !strings.Contains(string(b), "3.4") {
		t.Errorf("catalog?version=9.9 = %d %s; want 400 naming the version and the known ones", resp.StatusCode, b)
	}
}

// TestVersionPin checks PUT /api/v1/settings/versions/{vendor}: a known version is pinned and
// shown in the settings view, an unknown one is a 400, and "" unpins.
func TestVersionPin(t *testing.T) {
	h := newHarness(t)
	path := "/api/v1/settings/versions/" + livechat.Name
	resp, b := h.do(t, "PUT", path, `{"version":"3.5"}`)
	var view api.SettingsView
	if resp.StatusCode != 200 || json.Unmarshal(b, &view) != nil || view.Versions[livechat.Name].Pinned != "3.5" ||
		len(view.Versions[livechat.Name].Versions) < 8 {
		t.Fatalf("PUT %s 3.5 = %d %.300s; want the view with 3.5 pinned", path, resp.StatusCode, b)
	}
	if resp, b := h.do(t, "PUT", path, `{"version":"9.9"}`); resp.StatusCode != 400 || !strings.Contains(string(b), "9.9") {
		t.Errorf("PUT %s 9.9 = %d %s; want 400", path, resp.StatusCode, b)
	}
	if resp, b := h.do(t, "PUT", "/api/v1/settings/versions/nope", `{"version":"1"}`); resp.StatusCode != 400 {
		t.Errorf("PUT versions/nope = %d %s; want 400", resp.StatusCode, b)
	}
	if resp, b := h.do(t, "PUT", path, `{"version":""}`); resp.StatusCode != 200 || json.Unmarshal(b, &view) != nil || view.Versions[livechat.Name].Pinned != "" {
		t.Errorf("PUT %s \"\" = %d %.300s; want unpinned", path, resp.StatusCode, b)
	}
}
