package api_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"hooklens/backend/api"
	"hooklens/backend/decode/all"
	"hooklens/backend/receiver"
	"hooklens/backend/registration"
	"hooklens/backend/settings"
	"hooklens/backend/sqlite/sqlitetest"
	"hooklens/backend/tunnel"
)

// setupHarness is the API with the settings service and a tunnel manager, next to a real
// receiver whose loopback URL serves as the "public" URL.
type setupHarness struct {
	*harness
	receiverURL string
}

func newSetupHarness(tb testing.TB, opts ...func(*api.Server)) *setupHarness {
	tb.Helper()
	env := sqlitetest.Open(tb)
	db, reg, dec, ctx := env.DB, env.Registry, env.Decoder, env.Ctx
	set, err := settings.Load(ctx, db, dec)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	rurl := "http://" + ln.Addr().String()
	m, err := tunnel.New(tunnel.Config{ReceiverURL: rurl, Store: db, Vendors: registration.Vendors(all.Registry()), NgrokAPI: "http://127.0.0.1:1",
		LookPath: func(string) (string, error) { return "", net.UnknownNetworkError("none") }})
	if err != nil {
		tb.Fatal(err)
	}
	rh := receiver.NewHandler(db)
	rh.Probes = m
	rsrv := &receiver.Server{Handler: rh}
	rsrv.Serve(ln)
	set.SetActive(settings.Ports{Listen: ln.Addr().String()})
	s := &api.Server{Store: db, Registry: reg, Settings: set, Tunnel: m, Version: "test", ReceiverURL: rurl}
	for _, o := range opts {
		o(s)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	s.Guard = &api.Guard{Token: token, Hosts: api.LoopbackHosts(srv.Listener.Addr().String())}
	srv.Config.Handler = s.Handler()
	tb.Cleanup(func() { srv.Close(); m.Close(); rsrv.Shutdown(context.Background()) })
	return &setupHarness{harness: &harness{db: db, decoder: dec, srv: srv}, receiverURL: rurl}
}

func (h *setupHarness) json(tb testing.TB, method, path, body string, wantStatus int) map[string]any {
	tb.Helper()
	resp, b := h.do(tb, method, path, body)
	if resp.StatusCode != wantStatus {
		tb.Fatalf("%s %s = %d %s; want %d", method, path, resp.StatusCode, b, wantStatus)
	}
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			tb.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return out
}

func errMessage(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func TestSettingsAPI(t *testing.T) {
	h := newSetupHarness(t)
	got := h.json(t, "GET", "/api/v1/settings", "", 200)
	secrets := got["secrets"].(map[string]any)
	if secrets["livechat"].(map[string]any)["configured"] != false {
		t.Errorf("secrets = %v", secrets)
	}
	ports := got["ports"].(map[string]any)
	if ports["applies_at"] != "next_start" || ports["listen"] != "" || ports["active"].(map[string]any)["listen"] == "" {
		t.Errorf("ports = %v", ports)
	}
	ret := got["retention"].(map[string]any)
	if ret["last_prune"] != nil || ret["max_deliveries"] != 0.0 || ret["stored"] == nil {
		t.Errorf("retention = %v", ret)
	}
	if got["theme"] != "system" || got["notifications"] != true || got["responses"] == nil {
		t.Errorf("settings = %v", got)
	}

	got = h.json(t, "PUT", "/api/v1/settings", `{"theme":"dark","retention":{"max_bytes":5000000},
		"responses":[{"prefix":"/closer","status":503,"body":"","delay_ms":0}],"ports":{"listen":"127.0.0.1:9787"}}`, 200)
	if got["theme"] != "dark" || got["retention"].(map[string]any)["max_bytes"] != 5e6 ||
		len(got["responses"].([]any)) != 1 || got["ports"].(map[string]any)["listen"] != "127.0.0.1:9787" {
		t.Errorf("PUT answer = %v", got)
	}
	for _, tt := range []struct{ body, msg string }{
		{`{"theme":"neon"}`, "theme"},
		{`{"responses":[{"prefix":"/","status":99}]}`, "responses[0]"},
		{`{"secrets":{"livechat":"x"}}`, "unknown field"},
		{`{"retention":{"max_deliveries":"many"}}`, "request body"},
	} {
		if m := h.json(t, "PUT", "/api/v1/settings", tt.body, 400); !strings.Contains(errMessage(m), tt.msg) {
			t.Errorf("PUT %s: message %q; want %q", tt.body, errMessage(m), tt.msg)
		}
	}
	if got := h.json(t, "GET", "/api/v1/settings", "", 200); got["theme"] != "dark" {
		t.Errorf("a rejected PUT changed the theme: %v", got["theme"])
	}
	h.json(t, "PUT", "/api/v1/settings/secrets/livechat", `{"secret":"s3cr3t"}`, 204)
	got = h.json(t, "GET", "/api/v1/settings", "", 200)
	if got["secrets"].(map[string]any)["livechat"].(map[string]any)["configured"] != true {
		t.Errorf("secret not configured: %v", got["secrets"])
	}
	if strings.Contains(h.raw(t, "/api/v1/settings"), "s3cr3t") {
		t.Error("GET /settings leaked a secret")
	}
}

func (h *setupHarness) raw(tb testing.TB, path string) string {
	_, b := h.do(tb, "GET", path, "")
	return string(b)
}

// TestRegistrationGuide_NoPublicURL: before a tunnel runs, guides use a placeholder URL.
func TestRegistrationGuide_NoPublicURL(t *testing.T) {
	h := newSetupHarness(t)
	resp, b := h.do(t, "GET", "/api/v1/registration/iadvize", "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"url":""`) || !strings.Contains(string(b), "your-public-url") {
		t.Errorf("GET /registration/iadvize = %d %s", resp.StatusCode, b)
	}
}

func TestTunnelAPI(t *testing.T) {
	h := newSetupHarness(t)
	st := h.json(t, "GET", "/api/v1/tunnel", "", 200)
	if st["provider"] != "" || st["health"] != "unknown" || st["state"] != "off" ||
		st["available"].(map[string]any)["cloudflared"] != false || st["error"] != "" {
		t.Errorf("GET /tunnel = %v", st)
	}
	h.json(t, "POST", "/api/v1/tunnel/check", "", 409)
	for _, body := range []string{`{"provider":"frp"}`, `{"provider":"manual","public_url":"nope"}`,
		`{"provider":"cloudflared","public_url":"https://x.example"}`, `{"provider":"manual","url":"https://x.example"}`} {
		h.json(t, "POST", "/api/v1/tunnel/start", body, 400)
	}
	if m := h.json(t, "POST", "/api/v1/tunnel/start", `{"provider":"cloudflared"}`, 503); !strings.Contains(errMessage(m), "not on PATH") {
		t.Errorf("start cloudflared without it: %v", m)
	}
	if m := h.json(t, "POST", "/api/v1/tunnel/start", `{"provider":"ngrok"}`, 503); !strings.Contains(errMessage(m), "ngrok http") {
		t.Errorf("start ngrok without it: %v", m)
	}

	st = h.json(t, "POST", "/api/v1/tunnel/start", `{"provider":"manual","public_url":"`+h.receiverURL+`"}`, 200)
	if st["provider"] != "manual" || st["public_url"] != h.receiverURL || st["health"] != "reachable" {
		t.Fatalf("start manual = %v", st)
	}
	if st = h.json(t, "POST", "/api/v1/tunnel/check", "", 200); st["health"] != "reachable" {
		t.Errorf("check = %v", st)
	}
	// The probes are not in the inbox.
	if got := h.json(t, "GET", "/api/v1/deliveries", "", 200); len(got["items"].([]any)) != 0 {
		t.Errorf("inbox = %v; want no probes", got["items"])
	}

	reg := h.json(t, "GET", "/api/v1/registration/livechat?actions=incoming_chat,thread_tagged", "", 200)
	text, _ := reg["text"].(string)
	if reg["url"] != h.receiverURL+"/livechat" || reg["vendor"] != "livechat" || len(reg["steps"].([]any)) == 0 ||
		!strings.Contains(text, `"action":"thread_tagged"`) || strings.Contains(text, `"action":"incoming_event"`) ||
		!strings.Contains(text, "set-a-secret-in-hooklens") || reg["registered"] != nil {
		t.Errorf("registration = %v", reg)
	}
	h.json(t, "PUT", "/api/v1/settings/secrets/livechat", `{"secret":"lc-secret"}`, 204)
	if reg = h.json(t, "GET", "/api/v1/registration/livechat", "", 200); !strings.Contains(reg["text"].(string), `"secret_key":"lc-secret"`) {
		t.Errorf("registration text does not use the configured secret")
	}
	h.json(t, "GET", "/api/v1/registration/livechat?actions=incoming_customer", "", 400)
	h.json(t, "GET", "/api/v1/registration/slack", "", 404)

	st = h.json(t, "POST", "/api/v1/registration/livechat/done", "", 200)
	if r := st["registered"].(map[string]any)["livechat"].(map[string]any); r["url"] != h.receiverURL+"/livechat" || r["current"] != true {
		t.Errorf("done = %v", st["registered"])
	}
	h.json(t, "POST", "/api/v1/registration/closer/done", `{"url":"https://hooks.example.test/closer"}`, 200)
	if reg = h.json(t, "GET", "/api/v1/registration/livechat", "", 200); reg["registered"] == nil {
		t.Error("registration guide does not say it was registered")
	}
	// The public URL moves: url_changed until registered again (or forgotten).
	other := strings.Replace(h.receiverURL, "127.0.0.1", "localhost", 1)
	st = h.json(t, "POST", "/api/v1/tunnel/start", `{"provider":"manual","public_url":"`+other+`"}`, 200)
	if st["health"] != "url_changed" || len(st["changed"].([]any)) != 2 {
		t.Errorf("after the move: %v (changed %v)", st["health"], st["changed"])
	}
	h.json(t, "DELETE", "/api/v1/registration/closer/done", "", 200)
	st = h.json(t, "POST", "/api/v1/registration/livechat/done", `{}`, 200)
	if st["health"] != "reachable" {
		t.Errorf("after registering again: %v %v", st["health"], st["changed"])
	}

	st = h.json(t, "POST", "/api/v1/tunnel/stop", "", 200)
	if st["provider"] != "" || st["state"] != "off" || st["public_url"] != "" {
		t.Errorf("stop = %v", st)
	}
	h.json(t, "POST", "/api/v1/tunnel/check", "", 409)
}
