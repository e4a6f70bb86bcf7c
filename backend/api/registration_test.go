package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"hooklens/backend/api"
	"hooklens/backend/decode/livechat"
)

// liveChatCall is one request the fake LiveChat received.
type liveChatCall struct {
	action, user, pass string
	body               map[string]string
}

// fakeLiveChatAPI answers the Configuration API actions Register uses, with a stale Hooklens
// webhook listed, register_webhook of failAction refused with 422, and any other token refused
// with 401. It records every call.
func fakeLiveChatAPI(t *testing.T, failAction string) (*httptest.Server, func() []liveChatCall) {
	var mu sync.Mutex
	var calls []liveChatCall
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action, ok := strings.CutPrefix(r.URL.Path, "/lc/")
		if !ok || r.Method != "POST" {
			t.Errorf("fake LiveChat got %s %s", r.Method, r.URL.Path)
		}
		user, pass, _ := r.BasicAuth()
		var body map[string]string
		raw, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Errorf("%s body %s: %v", action, raw, err)
		}
		mu.Lock()
		calls = append(calls, liveChatCall{action, user, pass, body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if user != "acc" || pass != "pat-XYZ-secret" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"type":"authentication","message":"Invalid access token"}}`)
			return
		}
		switch action {
		case "list_webhooks":
			io.WriteString(w, `[{"id":"stale1","action":"incoming_chat","secret_key":"lc-secret","url":"https://old.example/livechat",`+
				`"type":"license","description":"Hooklens","owner_client_id":"cid","filters":{"only_my_chats":false}}]`)
		case "register_webhook":
			if body["action"] == failAction {
				w.WriteHeader(422)
				fmt.Fprintf(w, `{"error":{"type":"validation","message":"cannot register %s"}}`, failAction)
				return
			}
			fmt.Fprintf(w, `{"id":"new-%s"}`, body["action"])
		default:
			io.WriteString(w, `{}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []liveChatCall {
		mu.Lock()
		defer mu.Unlock()
		return append([]liveChatCall(nil), calls...)
	}
}

func TestRegisterLiveChatAPI(t *testing.T) {
	lc, calls := fakeLiveChatAPI(t, "thread_tagged")
	h := newSetupHarness(t, func(s *api.Server) { s.RegistrationAPIs = map[string]string{livechat.Name: lc.URL + "/lc/"} })
	const path = "/api/v1/registration/livechat/register"
	form := func(token, actions string) string {
		return `{"account_id":"acc","token":"` + token + `","client_id":"cid","actions":` + actions + `}`
	}
	post := func(body string, status int) (map[string]any, string) {
		t.Helper()
		resp, b := h.do(t, "POST", path, body)
		if resp.StatusCode != status {
			t.Fatalf("POST %s = %d %s; want %d", path, resp.StatusCode, b, status)
		}
		if strings.Contains(string(b), "pat-XYZ-secret") || strings.Contains(string(b), "wrong-tok") {
			t.Errorf("the answer holds the token: %s", b)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		return m, string(b)
	}

	// Without a tunnel, without a secret: clear errors, LiveChat not called.
	if m, _ := post(form("pat-XYZ-secret", "null"), 400); !strings.Contains(errMessage(m), "start a tunnel") {
		t.Errorf("no tunnel: %v", m)
	}
	h.json(t, "POST", "/api/v1/tunnel/start", `{"provider":"manual","public_url":"https://hooks.example.test"}`, 200)
	if m, _ := post(form("pat-XYZ-secret", "null"), 400); !strings.Contains(errMessage(m), "no LiveChat secret") {
		t.Errorf("no secret: %v", m)
	}
	h.json(t, "PUT", "/api/v1/settings/secrets/livechat", `{"secret":"lc-secret"}`, 204)
	for _, tt := range []struct{ body, msg string }{
		{`{"account_id":"acc","client_id":"cid"}`, "token is required"},
		{`{"account_id":"","token":"t","client_id":"cid"}`, "account_id is required"},
		{form("pat-XYZ-secret", `["incoming_chat","incoming_customer"]`), `"incoming_customer"`},
		{`{"account_id":"acc","token":"pat-XYZ-secret","client_id":"cid","extra":1}`, "unknown field"},
	} {
		if m, _ := post(tt.body, 400); !strings.Contains(errMessage(m), tt.msg) {
			t.Errorf("POST %s: %q; want %q", tt.body, errMessage(m), tt.msg)
		}
	}
	if n := len(calls()); n != 0 {
		t.Fatalf("LiveChat called %d times for invalid requests", n)
	}

	// A wrong token: LiveChat's 401 is surfaced, nothing marked.
	if m, _ := post(form("wrong-tok", "null"), 400); !strings.Contains(errMessage(m), "401 authentication: Invalid access token") {
		t.Errorf("bad token: %v", m)
	}

	// One action fails: every step is reported, the registration is not marked done.
	m, _ := post(form("pat-XYZ-secret", `["incoming_chat","thread_tagged"]`), 200)
	steps, _ := m["steps"].([]any)
	var got []string
	for _, s := range steps {
		st := s.(map[string]any)
		got = append(got, fmt.Sprint(st["action"], "=", st["outcome"]))
		if st["outcome"] == "failed" && !strings.Contains(st["error"].(string), "cannot register thread_tagged") {
			t.Errorf("failed step %v", st)
		}
	}
	if strings.Join(got, " ") != "incoming_chat=removed incoming_chat=registered thread_tagged=failed enable_license_webhooks=enabled" ||
		m["ok"] != false || m["url"] != "https://hooks.example.test/livechat" {
		t.Errorf("partial registration = %v", m)
	}
	if reg := m["tunnel"].(map[string]any)["registered"]; reg != nil && reg.(map[string]any)["livechat"] != nil {
		t.Errorf("a partial registration was marked done: %v", reg)
	}

	// Everything succeeds: marked done with the URL registered.
	before := len(calls())
	m, raw := post(form(" pat-XYZ-secret ", "null"), 200)
	if m["ok"] != true || len(m["steps"].([]any)) != 10 { // stale removed, 8 defaults, enable
		t.Fatalf("registration = %s", raw)
	}
	rec := m["tunnel"].(map[string]any)["registered"].(map[string]any)["livechat"].(map[string]any)
	if rec["url"] != "https://hooks.example.test/livechat" || rec["current"] != true {
		t.Errorf("registered = %v", rec)
	}
	st := h.json(t, "GET", "/api/v1/tunnel", "", 200)
	if st["registered"].(map[string]any)["livechat"] == nil {
		t.Errorf("GET /tunnel does not show the registration: %v", st["registered"])
	}
	for _, c := range calls()[before:] {
		if c.user != "acc" || c.pass != "pat-XYZ-secret" || c.body["owner_client_id"] != "cid" {
			t.Errorf("call %+v", c)
		}
		if c.action == "register_webhook" && (c.body["url"] != "https://hooks.example.test/livechat" ||
			c.body["secret_key"] != "lc-secret" || c.body["description"] != "Hooklens" || c.body["type"] != "license") {
			t.Errorf("register body %v", c.body)
		}
	}
	if last := calls()[len(calls())-1]; last.action != "enable_license_webhooks" {
		t.Errorf("last call %s; want enable_license_webhooks", last.action)
	}

	// The token is nowhere else either.
	for _, p := range []string{"/api/v1/settings", "/api/v1/tunnel", "/api/v1/registration/livechat", "/api/v1/deliveries"} {
		if strings.Contains(h.raw(t, p), "pat-XYZ-secret") {
			t.Errorf("GET %s holds the token", p)
		}
	}
}

// TestRegisterLiveChatAPI_Unreachable: LiveChat down is a 503 naming the URL tried.
func TestRegisterLiveChatAPI_Unreachable(t *testing.T) {
	lc, _ := fakeLiveChatAPI(t, "")
	url := lc.URL + "/lc/"
	lc.Close()
	h := newSetupHarness(t, func(s *api.Server) { s.RegistrationAPIs = map[string]string{livechat.Name: url} })
	h.json(t, "POST", "/api/v1/tunnel/start", `{"provider":"manual","public_url":"https://hooks.example.test"}`, 200)
	h.json(t, "PUT", "/api/v1/settings/secrets/livechat", `{"secret":"k"}`, 204)
	m := h.json(t, "POST", "/api/v1/registration/livechat/register", `{"account_id":"a","token":"t","client_id":"c"}`, 503)
	if !strings.Contains(errMessage(m), "cannot reach LiveChat at "+url+"list_webhooks") {
		t.Errorf("unreachable: %v", m)
	}
}
