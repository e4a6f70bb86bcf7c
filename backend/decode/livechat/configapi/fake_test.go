package configapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"hooklens/backend/decode/livechat/configapi"
)

// fakeLiveChat is a Configuration API v3.6 that keeps webhooks in memory. It checks Basic auth,
// the method, the path and the exact fields of each body, and can fail chosen calls.
type fakeLiveChat struct {
	t              *testing.T
	account, pat   string
	client         string
	srv            *httptest.Server
	mu             sync.Mutex
	hooks          []configapi.Webhook
	calls          []string // "action" or "action:detail", in order
	enabled        bool
	nextID         int
	failRegister   map[string]int // action → status to answer register_webhook with
	failEnable     int
	failList       int
	failUnregister map[string]bool // webhook id → answer 500
}

func newFakeLiveChat(t *testing.T) *fakeLiveChat {
	f := &fakeLiveChat{t: t, account: "acc-1", pat: "fra:secret-pat", client: "cid-1",
		failRegister: map[string]int{}, failUnregister: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/v3.6/configuration/action/{action}", f.serve)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLiveChat) base() string { return f.srv.URL + "/v3.6/configuration/action/" }

func (f *fakeLiveChat) fail(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"type":%q,"message":%q}}`, typ, msg)
}

func (f *fakeLiveChat) serve(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	if r.Method != http.MethodPost {
		f.t.Errorf("%s %s; want POST", r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("%s Content-Type = %q", action, ct)
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.account || pass != f.pat {
		f.fail(w, 401, "authentication", "Invalid access token")
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]string
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&body); err != nil {
		f.t.Errorf("%s body %s: %v", action, raw, err)
	}
	if body["owner_client_id"] != f.client {
		f.fail(w, 422, "validation", "owner_client_id: unknown client")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := func(want ...string) {
		if len(body) != len(want) {
			f.t.Errorf("%s body %s; want exactly the fields %v", action, raw, want)
		}
		for _, k := range want {
			if _, ok := body[k]; !ok {
				f.t.Errorf("%s body %s lacks %s", action, raw, k)
			}
		}
	}
	switch action {
	case "list_webhooks":
		keys("owner_client_id")
		f.calls = append(f.calls, action)
		if f.failList != 0 {
			f.fail(w, f.failList, "internal", "list failed")
			return
		}
		json.NewEncoder(w).Encode(f.hooks)
	case "register_webhook":
		keys("action", "secret_key", "url", "owner_client_id", "type", "description")
		f.calls = append(f.calls, action+":"+body["action"])
		if st := f.failRegister[body["action"]]; st != 0 {
			f.fail(w, st, "validation", "action "+body["action"]+" is not available for this license")
			return
		}
		if body["type"] != "license" || body["description"] != "Hooklens" {
			f.t.Errorf("register body %s", raw)
		}
		n := 0
		for _, h := range f.hooks {
			if h.Action == body["action"] {
				n++
			}
		}
		if n >= 3 {
			f.fail(w, 422, "validation", "too many webhooks for action "+body["action"])
			return
		}
		f.nextID++
		id := fmt.Sprintf("wh-new-%d", f.nextID)
		f.hooks = append(f.hooks, configapi.Webhook{ID: id, Action: body["action"], SecretKey: body["secret_key"],
			URL: body["url"], Type: body["type"], Description: body["description"], OwnerClientID: f.client})
		fmt.Fprintf(w, `{"id":%q}`, id)
	case "unregister_webhook":
		keys("id", "owner_client_id")
		f.calls = append(f.calls, action+":"+body["id"])
		if f.failUnregister[body["id"]] {
			f.fail(w, 500, "internal", "try again")
			return
		}
		for i, h := range f.hooks {
			if h.ID == body["id"] {
				f.hooks = append(f.hooks[:i], f.hooks[i+1:]...)
				io.WriteString(w, `{}`)
				return
			}
		}
		f.fail(w, 404, "not_found", "webhook not found")
	case "enable_license_webhooks":
		keys("owner_client_id")
		f.calls = append(f.calls, action)
		if f.failEnable != 0 {
			f.fail(w, f.failEnable, "authorization", "missing scope webhooks.state:rw")
			return
		}
		f.enabled = true
		io.WriteString(w, `{}`)
	default:
		f.t.Errorf("unexpected action %s", action)
		f.fail(w, 404, "not_found", "no such action")
	}
}

func (f *fakeLiveChat) hook(id, action, url, secret, desc string) {
	f.hooks = append(f.hooks, configapi.Webhook{ID: id, Action: action, URL: url, SecretKey: secret,
		Type: "license", Description: desc, OwnerClientID: f.client})
}

func (f *fakeLiveChat) cred() configapi.Credentials {
	return configapi.Credentials{AccountID: f.account, Token: f.pat, ClientID: f.client}
}
