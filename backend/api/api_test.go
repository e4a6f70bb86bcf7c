package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
	"hooklens/backend/sqlite/sqlitetest"
)

const token = "T0KEN"

// harness is the API over a real store and decoder, behind the headless guard, on loopback.
type harness struct {
	db      *sqlite.DB
	decoder *ingest.Decoder
	srv     *httptest.Server
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	env := sqlitetest.Open(tb)
	db, reg, dec := env.DB, env.Registry, env.Decoder
	s := &api.Server{Store: db, Registry: reg, Settings: env.Settings, Version: "test", FeedInterval: 10 * time.Millisecond, Captures: db,
		Assets: fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Hooklens</title>")}}}
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	s.Guard = &api.Guard{Token: token, Hosts: api.LoopbackHosts(srv.Listener.Addr().String())}
	srv.Config.Handler = s.Handler()
	tb.Cleanup(func() { srv.Close() })
	return &harness{db: db, decoder: dec, srv: srv}
}

func (h *harness) do(tb testing.TB, method, path, body string, hdr ...string) (*http.Response, []byte) {
	tb.Helper()
	req, _ := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
		} else if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		tb.Errorf("%s %s sent Access-Control-Allow-Origin", method, path)
	}
	return resp, b
}

func (h *harness) add(tb testing.TB, path, body string, hdr ...backend.Header) string {
	tb.Helper()
	d := &backend.Delivery{Method: "POST", Path: path, Body: []byte(body), Size: int64(len(body)), Status: 200,
		Headers: append(backend.Headers{{Name: "Content-Type", Value: "application/json"}}, hdr...)}
	if err := h.db.AddDelivery(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d.ID
}

// decoded waits until the decoder has caught up.
func (h *harness) decoded(tb testing.TB) {
	tb.Helper()
	idle := h.decoder.Idle()
	h.decoder.Wake()
	select {
	case <-idle:
	case <-time.After(5 * time.Second):
		tb.Fatal("decoder did not catch up")
	}
}

func TestGuard(t *testing.T) {
	h := newHarness(t)
	host := h.srv.Listener.Addr().String()
	for _, tt := range []struct {
		name   string
		path   string
		hdr    []string
		status int
	}{
		{"Bearer", "/api/v1/health", nil, 200},
		{"ErrNoToken", "/api/v1/health", []string{"Authorization", ""}, 401},
		{"ErrWrongToken", "/api/v1/health", []string{"Authorization", "Bearer nope"}, 401},
		{"QueryToken", "/api/v1/health?token=" + token, []string{"Authorization", ""}, 200},
		{"ErrWrongQueryToken", "/api/v1/health?token=x", []string{"Authorization", ""}, 401},
		{"Cookie", "/api/v1/health", []string{"Authorization", "", "Cookie", api.CookieName + "=" + token}, 200},
		{"ErrRebindHost", "/api/v1/health", []string{"Host", "evil.example:80"}, 403},
		{"LocalhostHost", "/api/v1/health", []string{"Host", "localhost:" + strings.Split(host, ":")[1]}, 200},
		{"ErrCrossOrigin", "/api/v1/health", []string{"Origin", "http://evil.example"}, 403},
		{"SameOrigin", "/api/v1/health", []string{"Origin", "http://" + host}, 200},
		{"ErrCrossSite", "/api/v1/deliveries", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"PageTokenRedirects", "/?token=" + token, []string{"Authorization", ""}, 303},
		{"ErrPageNoToken", "/", []string{"Authorization", ""}, 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h.do(t, "GET", tt.path, "", tt.hdr...)
			if resp.StatusCode != tt.status {
				t.Errorf("GET %s = %d %s; want %d", tt.path, resp.StatusCode, body, tt.status)
			}
		})
	}
	resp, _ := h.do(t, "GET", "/?token="+token, "", "Authorization", "")
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") || resp.Header.Get("Location") != "/" {
		t.Errorf("token visit: Set-Cookie %q Location %q", c, resp.Header.Get("Location"))
	}
}

func TestDeliveries(t *testing.T) {
	h := newHarness(t)
	id := h.add(t, "/iadvize", `{"eventId":"e-1","eventType":"v2.conversation.closed","platform":"sd","clientId":3,"createdAt":"2026-01-02T03:04:05.000Z","conversationId":"c-1","operatorIds":[7]}`)
	bin := h.add(t, "/raw", "\xff\xfe<script>")
	h.decoded(t)

	resp, body := h.do(t, "GET", "/api/v1/deliveries?limit=1", "")
	var list struct {
		Items []map[string]any `json:"items"`
		Next  string           `json:"next_cursor"`
	}
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 || len(list.Items) != 1 || list.Next == "" {
		t.Fatalf("list = %d %s", resp.StatusCode, body)
	}
	if list.Items[0]["id"] != bin {
		t.Errorf("first item = %v; want newest %s", list.Items[0]["id"], bin)
	}
	_, body = h.do(t, "GET", "/api/v1/deliveries?cursor="+list.Next, "")
	json.Unmarshal(body, &list)
	if len(list.Items) != 1 || list.Items[0]["id"] != id || list.Next != "" {
		t.Fatalf("second page = %s", body)
	}
	it := list.Items[0]
	for _, k := range []string{"id", "received_at", "method", "path", "size", "content_type", "vendor", "event_type", "summary", "verification", "decoded"} {
		if _, ok := it[k]; !ok {
			t.Errorf("list item has no %q: %v", k, it)
		}
	}
	if it["vendor"] != "iadvize" || it["event_type"] != "v2.conversation.closed" {
		t.Errorf("decoded item = %v", it)
	}

	_, body = h.do(t, "GET", "/api/v1/deliveries/"+id, "")
	var detail struct {
		Headers [][2]string      `json:"headers"`
		Body    *string          `json:"body"`
		Event   *backend.Event   `json:"event"`
		Fields  []map[string]any `json:"fields"`
	}
	if err := json.Unmarshal(body, &detail); err != nil || detail.Body == nil || detail.Event == nil {
		t.Fatalf("detail = %s", body)
	}
	if detail.Headers[0] != [2]string{"Content-Type", "application/json"} || len(detail.Fields) == 0 {
		t.Errorf("detail headers %v, %d fields", detail.Headers, len(detail.Fields))
	}

	_, body = h.do(t, "GET", "/api/v1/deliveries/"+bin, "")
	var raw map[string]any
	json.Unmarshal(body, &raw)
	if raw["body_base64"] != "//48c2NyaXB0Pg==" || raw["body"] != nil {
		t.Errorf("binary body = %v / %v; want base64 only", raw["body"], raw["body_base64"])
	}
	if resp, _ := h.do(t, "GET", "/api/v1/deliveries/nope", ""); resp.StatusCode != 404 {
		t.Errorf("missing delivery = %d; want 404", resp.StatusCode)
	}
	if resp, _ := h.do(t, "GET", "/api/v1/deliveries?q=has:nothing", ""); resp.StatusCode != 400 {
		t.Errorf("bad query = %d; want 400", resp.StatusCode)
	}
	_, body = h.do(t, "GET", "/api/v1/health", "")
	if !strings.Contains(string(body), `"deliveries":2`) {
		t.Errorf("health = %s", body)
	}
}

func TestSecretsAndSamples(t *testing.T) {
	h := newHarness(t)
	resp, body := h.do(t, "POST", "/api/v1/samples", `{"path":"/livechat","text":"{\n // a doc sample\n \"action\": \"thread_tagged\",\n \"secret_key\": \"s3\",\n \"webhook_id\": \"w\",\n \"payload\": {\"chat_id\": \"PJ0MRSHTDG\", \"thread_id\": \"K600PKZON8\", \"tag\": \"bug\",},\n}"}`)
	var created struct{ ID string }
	if json.Unmarshal(body, &created); resp.StatusCode != 201 || created.ID == "" {
		t.Fatalf("POST sample = %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.do(t, "PUT", "/api/v1/settings/secrets/livechat", `{"secret":"s3"}`); resp.StatusCode != 204 {
		t.Fatalf("PUT secret = %d", resp.StatusCode)
	}
	if resp, _ := h.do(t, "PUT", "/api/v1/settings/secrets/nope", `{"secret":"s3"}`); resp.StatusCode != 400 {
		t.Errorf("PUT secret of unknown vendor = %d; want 400", resp.StatusCode)
	}
	var d struct {
		Source string         `json:"source"`
		Event  *backend.Event `json:"event"`
	}
	// The secret change re-verifies in the background: wait for it, bounded.
	for i := 0; i < 50; i++ {
		h.decoded(t)
		_, body = h.do(t, "GET", "/api/v1/deliveries/"+created.ID, "")
		json.Unmarshal(body, &d)
		if d.Event != nil && d.Event.Verification.Status == backend.VerifyVerified {
			break
		}
	}
	if d.Source != "sample" || d.Event == nil || d.Event.Verification.Status != backend.VerifyVerified {
		t.Errorf("sample = source %q event %+v; want a verified sample", d.Source, d.Event)
	}
	_, body = h.do(t, "GET", "/api/v1/settings", "")
	if !strings.Contains(string(body), `"livechat":{"configured":true}`) || strings.Contains(string(body), "s3") {
		t.Errorf("settings = %s; want livechat configured and no secret value", body)
	}
	if resp, body := h.do(t, "POST", "/api/v1/samples", `{"text":"{{{"}`); resp.StatusCode != 400 {
		t.Errorf("unreadable sample = %d %s; want 400", resp.StatusCode, body)
	}
	// A broken sample is answered with where it breaks: line, column and what was expected.
	resp, body = h.do(t, "POST", "/api/v1/samples", `{"text":"{\n  action: 'thread_tagged',\n  payload: {tag 'x'}\n}"}`)
	var e api.ErrorResponse
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != 400 || e.Error.Line != 3 || e.Error.Column != 17 ||
		!strings.Contains(e.Error.Message, "line 3, column 17: expected ':' after the key") {
		t.Errorf("broken sample = %d %s; want 400 at line 3, column 17 saying ':' was expected", resp.StatusCode, body)
	}
	// Unquoted keys and single-quoted strings (JSON5 style) are read.
	resp, body = h.do(t, "POST", "/api/v1/samples", `{"path":"/livechat","text":"{action: 'thread_tagged', secret_key: 's3', webhook_id: 'w', payload: {chat_id: 'C', thread_id: 'T', tag: 'bug', groups: [0, 42]}}"}`)
	if resp.StatusCode != 201 {
		t.Errorf("JSON5-style sample = %d %s; want 201", resp.StatusCode, body)
	}
}

func TestStream(t *testing.T) {
	h := newHarness(t)
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("stream Content-Type = %q", ct)
	}
	id := h.add(t, "/x", `{"live":true}`)
	sc := bufio.NewScanner(resp.Body)
	sawEvent := false
	for sc.Scan() {
		line := sc.Text()
		if line == "event: deliveries" {
			sawEvent = true
		}
		if sawEvent && strings.HasPrefix(line, "data: ") {
			var items []map[string]any
			if err := json.Unmarshal([]byte(line[6:]), &items); err != nil {
				t.Fatalf("stream data is not a JSON array: %s", line)
			}
			if len(items) > 0 && items[0]["id"] == id {
				return
			}
		}
	}
	t.Fatalf("stream ended without the new delivery: %v", sc.Err())
}

// TestVersions: the versions of a vendor, and what changes between two counted on the store.
func TestVersions(t *testing.T) {
	h := newHarness(t)
	resp, body := h.do(t, "GET", "/api/v1/versions/"+iadvize.Name, "")
	var list api.VersionsResponse
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 || len(list.Versions) < 8 || list.Changes != nil {
		t.Fatalf("versions = %d %s; want the list and no changes", resp.StatusCode, body)
	}
	// One 2019 closing captured (operatorId array), then the changes counted against it.
	sample, err := os.ReadFile("../decode/iadvize/testdata/v2.conversation.closed.2019-04.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := json.Marshal(api.SampleRequest{Text: string(sample), Path: "/" + iadvize.Name})
	if resp, body := h.do(t, "POST", "/api/v1/samples", string(req)); resp.StatusCode != 201 {
		t.Fatalf("sample = %d %s", resp.StatusCode, body)
	}
	h.decoded(t)
	_, body = h.do(t, "GET", "/api/v1/versions/"+iadvize.Name+"?from=2019-04&to=2022-12", "")
	var got api.VersionsResponse
	if err := json.Unmarshal(body, &got); err != nil || got.Changes == nil || !got.Changes.Store {
		t.Fatalf("versions from 2019-04 to 2022-12 = %s; want changes counted on the store", body)
	}
	found := false
	for _, c := range got.Changes.Fields {
		if c.EventType == "v2.conversation.closed" && c.Path == "operatorId" && c.Kind == decode.ChangeRenamed && c.To == "operatorIds" {
			found = c.Captured == 1
		}
	}
	if !found {
		t.Errorf("changes = %+v; want operatorId renamed operatorIds on the one captured closing", got.Changes.Fields)
	}
	for path, want := range map[string]int{
		"/api/v1/versions/nope":                                         404,
		"/api/v1/versions/" + iadvize.Name + "?from=2019-04":            400,
		"/api/v1/versions/" + iadvize.Name + "?from=1999-01&to=2019-04": 400,
	} {
		if resp, body := h.do(t, "GET", path, ""); resp.StatusCode != want {
			t.Errorf("GET %s = %d %s; want %d", path, resp.StatusCode, body, want)
		}
	}
}
