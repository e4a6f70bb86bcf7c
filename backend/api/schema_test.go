package api_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend/api"
)

// TestSchema: the catalog view of every vendor, each document format (with a download name),
// one event type, observed=true over a store holding a field the catalog lacks and a delivery
// missing a required field, generic inference, and the errors.
func TestSchema(t *testing.T) {
	h := newHarness(t)
	body, err := os.ReadFile(filepath.Join("..", "decode", "livechat", "testdata", "incoming_chat.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(body, &doc)
	doc["brand_new_field"] = "x"
	delete(doc, "webhook_id")
	b, _ := json.Marshal(doc)
	h.add(t, "/livechat", string(b))
	h.add(t, "/elsewhere", `{"type":"ping","n":1}`)
	h.decoded(t)

	for _, vendor := range []string{"livechat", "iadvize", "closer"} {
		resp, b := h.do(t, "GET", "/api/v1/schema/"+vendor, "")
		var v api.SchemaView
		if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || len(v.Events) < 5 || v.Discriminator == "" {
			t.Fatalf("schema/%s = %d %.300s", vendor, resp.StatusCode, b)
		}
		for _, e := range v.Events {
			if e.Example == nil || len(e.Fields) == 0 || !e.Documented || e.TypeName == "" {
				t.Errorf("%s %s: example %v, %d fields, documented %v", vendor, e.Name, e.Example, len(e.Fields), e.Documented)
			}
		}
	}
	for format, want := range map[string]string{"jsonschema": `"$schema"`, "openapi": `"webhooks"`, "typescript": "export interface IncomingChat",
		"go": "type IncomingChat struct"} {
		resp, b := h.do(t, "GET", "/api/v1/schema/livechat?format="+format+"&event=incoming_chat&download=1", "")
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) || strings.Contains(string(b), "ChatDeactivated") {
			t.Errorf("format=%s: %d %.200s", format, resp.StatusCode, b)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") {
			t.Errorf("format=%s: Content-Disposition %q", format, cd)
		}
	}

	resp, b := h.do(t, "GET", "/api/v1/schema/livechat?observed=true&event=incoming_chat", "")
	var v api.SchemaView
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || !v.Observed || v.Deliveries != 1 || len(v.Events) != 1 {
		t.Fatalf("observed = %d %.300s", resp.StatusCode, b)
	}
	e := v.Events[0]
	fields := map[string]api.SchemaField{}
	for _, f := range e.Fields {
		fields[f.Path] = f
	}
	if f := fields["brand_new_field"]; f.Documented || f.Seen == nil || f.Seen.Count != 1 || f.Type != "string" {
		t.Errorf("brand_new_field = %+v; want seen once, undocumented, a string", f)
	}
	if f := fields["webhook_id"]; !f.Documented || f.Absent != 1 {
		t.Errorf("webhook_id = %+v; want absent once", f)
	}
	if !e.Captured || e.Seen == nil || e.Seen.Count != 1 || strings.Contains(string(b), "s3cr3t-hooklens") {
		t.Errorf("event: captured %v, seen %+v; want a scrubbed capture", e.Captured, e.Seen)
	}

	resp, b = h.do(t, "GET", "/api/v1/schema/generic?observed=true&format=typescript", "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), "export interface Ping") {
		t.Errorf("generic = %d %s", resp.StatusCode, b)
	}
	for path, status := range map[string]int{
		"/api/v1/schema/nosuch":                        404,
		"/api/v1/schema/livechat?format=pdf":           400,
		"/api/v1/schema/livechat?event=nosuch":         400,
		"/api/v1/schema/livechat?version=9.9":          400,
		"/api/v1/schema/generic":                       400,
		"/api/v1/schema/livechat?format=go&event=nope": 400,
	} {
		if resp, b := h.do(t, "GET", path, ""); resp.StatusCode != status || !strings.Contains(string(b), `"message"`) {
			t.Errorf("%s = %d %s; want %d with a message", path, resp.StatusCode, b, status)
		}
	}
}
