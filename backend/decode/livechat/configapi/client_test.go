package configapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/livechat/configapi"
)

const hookURL = "https://abc.trycloudflare.com/livechat"

func outcomes(res configapi.RegisterResult) string {
	var parts []string
	for _, s := range res.Steps {
		parts = append(parts, s.Action+"="+s.Outcome)
	}
	return strings.Join(parts, " ")
}

func TestLiveChatClient_Calls(t *testing.T) {
	f := newFakeLiveChat(t)
	f.hook("wh-1", "incoming_chat", hookURL, "s", "Hooklens")
	c := &configapi.Client{BaseURL: f.base()}
	ctx := context.Background()
	hooks, err := c.ListWebhooks(ctx, f.cred())
	if err != nil || len(hooks) != 1 || hooks[0].ID != "wh-1" || hooks[0].URL != hookURL || hooks[0].SecretKey != "s" {
		t.Fatalf("ListWebhooks = %+v, %v", hooks, err)
	}
	id, err := c.RegisterWebhook(ctx, f.cred(), "chat_deactivated", hookURL, "s")
	if err != nil || id != "wh-new-1" {
		t.Fatalf("RegisterWebhook = %q, %v", id, err)
	}
	if err := c.UnregisterWebhook(ctx, f.cred(), "wh-1"); err != nil {
		t.Fatalf("UnregisterWebhook = %v", err)
	}
	if err := c.UnregisterWebhook(ctx, f.cred(), "wh-1"); backend.ErrorCode(err) != backend.EINVALID ||
		!strings.Contains(err.Error(), "not_found: webhook not found") {
		t.Errorf("UnregisterWebhook(gone) = %v; want invalid with LiveChat's type and message", err)
	}
	if err := c.EnableLicenseWebhooks(ctx, f.cred()); err != nil || !f.enabled {
		t.Fatalf("EnableLicenseWebhooks = %v (enabled %v)", err, f.enabled)
	}
	want := "list_webhooks register_webhook:chat_deactivated unregister_webhook:wh-1 unregister_webhook:wh-1 enable_license_webhooks"
	if got := strings.Join(f.calls, " "); got != want {
		t.Errorf("calls = %s; want %s", got, want)
	}
}

func TestLiveChatClient_Errors(t *testing.T) {
	f := newFakeLiveChat(t)
	ctx := context.Background()
	c := &configapi.Client{BaseURL: f.base()}

	bad := f.cred()
	bad.Token = "wrong-token-123"
	_, err := c.ListWebhooks(ctx, bad)
	var lc *configapi.Error
	if !errors.As(err, &lc) || lc.Status != 401 || lc.Type != "authentication" || lc.Message != "Invalid access token" {
		t.Fatalf("ListWebhooks(bad token) = %#v; want a 401 Error", err)
	}
	msg := backend.ErrorMessage(err)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(msg, "authentication: Invalid access token") ||
		!strings.Contains(msg, "Personal Access Token") || strings.Contains(msg, "wrong-token-123") {
		t.Errorf("401 message = %q (code %s)", msg, backend.ErrorCode(err))
	}

	f.failList = 503
	_, err = c.ListWebhooks(ctx, f.cred())
	if backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(backend.ErrorMessage(err), "503 internal: list failed") {
		t.Errorf("ListWebhooks(503) = %v; want unavailable", err)
	}

	// Not JSON, and nobody listening.
	plain := http.NewServeMux()
	plain.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway from a proxy", 502) })
	f.srv.Config.Handler = plain
	if _, err = c.ListWebhooks(ctx, f.cred()); !strings.Contains(backend.ErrorMessage(err), "502: bad gateway from a proxy") {
		t.Errorf("ListWebhooks(502 text) = %v", err)
	}
	f.srv.Close()
	c.HTTP = &http.Client{Timeout: 2 * time.Second}
	_, err = c.ListWebhooks(ctx, f.cred())
	if backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(backend.ErrorMessage(err), "cannot reach LiveChat at "+f.base()+"list_webhooks") {
		t.Errorf("ListWebhooks(closed) = %v", err)
	}
}

func TestRegister(t *testing.T) {
	f := newFakeLiveChat(t)
	// Two stale Hooklens webhooks (an older tunnel URL, an older secret), one current that is kept,
	// a duplicate of it, and someone else's webhook that must not be touched.
	f.hook("old-url", "incoming_chat", "https://old.trycloudflare.com/livechat", "s3cret", "Hooklens")
	f.hook("old-secret", "incoming_event", hookURL, "previous", "Hooklens")
	f.hook("cur", "chat_deactivated", hookURL, "s3cret", "Hooklens")
	f.hook("dup", "chat_deactivated", hookURL, "s3cret", "Hooklens")
	f.hook("theirs", "incoming_chat", "https://crm.example.com/hook", "x", "CRM sync")
	f.failRegister["incoming_event"] = 422
	c := &configapi.Client{BaseURL: f.base()}
	res, err := c.Register(context.Background(), configapi.RegisterRequest{Credentials: f.cred(), URL: hookURL,
		Secret: "s3cret", Actions: []string{"incoming_chat", "incoming_event", "chat_deactivated", "thread_tagged"}})
	if err != nil {
		t.Fatalf("Register = %v", err)
	}
	want := "incoming_chat=removed incoming_event=removed chat_deactivated=removed chat_deactivated=kept " +
		"incoming_chat=registered incoming_event=failed thread_tagged=registered enable_license_webhooks=enabled"
	if got := outcomes(res); got != want {
		t.Errorf("steps = %s\nwant    %s", got, want)
	}
	if res.OK {
		t.Error("OK with a failed step")
	}
	for _, s := range res.Steps {
		switch {
		case s.Outcome == configapi.OutcomeRemoved && s.WebhookID == "old-url" && s.URL != "https://old.trycloudflare.com/livechat":
			t.Errorf("removed step %+v lacks the stale URL", s)
		case s.Outcome == configapi.OutcomeFailed &&
			(s.Error == "" || !strings.Contains(s.Error, "422 validation: action incoming_event is not available")):
			t.Errorf("failed step %+v; want LiveChat's type and message", s)
		case s.Outcome == configapi.OutcomeRegistered && !strings.HasPrefix(s.WebhookID, "wh-new-"):
			t.Errorf("registered step %+v lacks the id", s)
		case s.Outcome == configapi.OutcomeKept && s.WebhookID != "cur":
			t.Errorf("kept step %+v; want cur", s)
		}
	}
	if !f.enabled {
		t.Error("license webhooks not enabled")
	}
	var left []string
	for _, h := range f.hooks {
		left = append(left, h.ID+":"+h.Action)
	}
	if got := strings.Join(left, " "); got != "cur:chat_deactivated theirs:incoming_chat wh-new-1:incoming_chat wh-new-2:thread_tagged" {
		t.Errorf("webhooks after Register = %s", got)
	}

	// Run again: everything is kept, nothing is registered twice.
	f.failRegister = map[string]int{}
	f.calls = nil
	res, err = c.Register(context.Background(), configapi.RegisterRequest{Credentials: f.cred(), URL: hookURL,
		Secret: "s3cret", Actions: []string{"incoming_chat", "incoming_event", "chat_deactivated", "thread_tagged"}})
	if err != nil || !res.OK {
		t.Fatalf("Register again = %+v, %v", res, err)
	}
	if got := outcomes(res); got != "chat_deactivated=kept incoming_chat=kept thread_tagged=kept incoming_event=registered enable_license_webhooks=enabled" {
		t.Errorf("second run steps = %s", got)
	}
	if got := strings.Join(f.calls, " "); got != "list_webhooks register_webhook:incoming_event enable_license_webhooks" {
		t.Errorf("second run calls = %s", got)
	}
}

func TestRegister_Defaults(t *testing.T) {
	f := newFakeLiveChat(t)
	c := &configapi.Client{BaseURL: strings.TrimSuffix(f.base(), "/")} // the slash is added
	res, err := c.Register(context.Background(), configapi.RegisterRequest{Credentials: f.cred(), URL: hookURL, Secret: "k"})
	if err != nil || !res.OK || len(res.Steps) != len(configapi.DefaultActions)+1 {
		t.Fatalf("Register = %+v, %v", res, err)
	}
	for i, a := range configapi.DefaultActions {
		if res.Steps[i].Action != a || res.Steps[i].Outcome != configapi.OutcomeRegistered {
			t.Errorf("step %d = %+v; want %s registered", i, res.Steps[i], a)
		}
	}
	for _, h := range f.hooks {
		if h.URL != hookURL || h.SecretKey != "k" || h.Description != "Hooklens" || h.Type != "license" {
			t.Errorf("registered %+v", h)
		}
	}
}

func TestRegister_FailuresReported(t *testing.T) {
	f := newFakeLiveChat(t)
	f.hook("stale", "incoming_chat", "https://old.example/livechat", "k", "Hooklens")
	f.failUnregister["stale"] = true
	f.failEnable = 403
	c := &configapi.Client{BaseURL: f.base()}
	res, err := c.Register(context.Background(), configapi.RegisterRequest{Credentials: f.cred(), URL: hookURL, Secret: "k",
		Actions: []string{"incoming_chat"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "incoming_chat=failed incoming_chat=registered enable_license_webhooks=failed" || res.OK {
		t.Errorf("steps = %s (ok %v)", got, res.OK)
	}
	if e := res.Steps[2].Error; !strings.Contains(e, "403 authorization: missing scope webhooks.state:rw") || !strings.Contains(e, "scopes") {
		t.Errorf("enable error = %q", e)
	}
	if e := res.Steps[0].Error; !strings.Contains(e, "unregister_webhook answered 500") {
		t.Errorf("unregister error = %q", e)
	}
}

func TestRegister_Invalid(t *testing.T) {
	f := newFakeLiveChat(t)
	c := &configapi.Client{BaseURL: f.base()}
	ok := configapi.RegisterRequest{Credentials: f.cred(), URL: hookURL, Secret: "k"}
	for _, tt := range []struct {
		name string
		edit func(*configapi.RegisterRequest)
		msg  string
	}{
		{"NoURL", func(r *configapi.RegisterRequest) { r.URL = "" }, "start a tunnel"},
		{"NoSecret", func(r *configapi.RegisterRequest) { r.Secret = "" }, "Settings → Secrets → LiveChat"},
		{"NoAccount", func(r *configapi.RegisterRequest) { r.Credentials.AccountID = " " }, "account_id is required"},
		{"ColonInAccount", func(r *configapi.RegisterRequest) { r.Credentials.AccountID = "a:b" }, "colon"},
		{"NoToken", func(r *configapi.RegisterRequest) { r.Credentials.Token = "" }, "token is required"},
		{"NoClient", func(r *configapi.RegisterRequest) { r.Credentials.ClientID = "" }, "client_id is required"},
		{"UnknownAction", func(r *configapi.RegisterRequest) { r.Actions = []string{"incoming_customer"} }, `"incoming_customer"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := ok
			tt.edit(&req)
			_, err := c.Register(context.Background(), req)
			if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), tt.msg) {
				t.Errorf("Register = %v; want invalid with %q", err, tt.msg)
			}
		})
	}
	if len(f.calls) != 0 {
		t.Errorf("invalid requests called LiveChat: %v", f.calls)
	}

	// Bad credentials: the list fails, nothing else is called, the error says why.
	req := ok
	req.Credentials.Token = "nope"
	_, err := c.Register(context.Background(), req)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), "401 authentication") {
		t.Errorf("Register(bad token) = %v", err)
	}
	if strings.Join(f.calls, " ") != "" {
		t.Errorf("calls after a 401 = %v", f.calls)
	}
}
