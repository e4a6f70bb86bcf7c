package registration_test

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat/configapi"
	"hooklens/backend/registration"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const public = "https://seasonal-deck-organisms-sf.trycloudflare.com"

// reg is the registry of every vendor.
var reg = all.Registry()

func TestFor_Golden(t *testing.T) {
	for _, tt := range []struct {
		name   string
		vendor string
		in     registration.Input
	}{
		{"livechat", "livechat", registration.Input{PublicURL: public, Secret: "s3cr3t-it's"}},
		{"livechat_no_secret_actions", "livechat", registration.Input{PublicURL: public + "/",
			Actions: []string{"incoming_chat", " thread_tagged", "incoming_chat", ""}}},
		{"livechat_no_tunnel", "livechat", registration.Input{Secret: "abc"}},
		{"iadvize", "iadvize", registration.Input{PublicURL: public, Secret: "tok"}},
		{"iadvize_http_no_secret", "iadvize", registration.Input{PublicURL: "http://hooks.example.test/base"}},
		{"closer", "closer", registration.Input{PublicURL: public, Secret: "a b&c"}},
		{"closer_no_secret", "closer", registration.Input{PublicURL: public}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, err := registration.For(reg, tt.vendor, tt.in)
			if err != nil {
				t.Fatalf("For(%s) = %v", tt.vendor, err)
			}
			if h.Vendor != tt.vendor || len(h.Steps) == 0 {
				t.Fatalf("For(%s) = vendor %q, %d steps", tt.vendor, h.Vendor, len(h.Steps))
			}
			if want := registration.VendorURL(tt.in.PublicURL, tt.vendor); h.URL != want {
				t.Errorf("URL = %q; want %q", h.URL, want)
			}
			b, _ := json.MarshalIndent(h.Steps, "", "  ")
			got := h.Text + "\n---- steps as JSON ----\n" + string(b) + "\n"
			golden(t, tt.name, got)
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", path, got)
	}
}

func TestFor_Errors(t *testing.T) {
	if _, err := registration.For(reg, "slack", registration.Input{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("For(slack) = %v; want not_found", err)
	}
	_, err := registration.For(reg, "livechat", registration.Input{Actions: []string{"incoming_chat", "incoming_customer"}})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), "incoming_customer") {
		t.Errorf("For(livechat, incoming_customer) = %v; want invalid naming the action", err)
	}
}

func TestFor_Defaults(t *testing.T) {
	h, _ := registration.For(reg, "livechat", registration.Input{PublicURL: public})
	if strings.Join(h.Actions, ",") != strings.Join(configapi.DefaultActions, ",") {
		t.Errorf("Actions = %v; want the defaults", h.Actions)
	}
	if strings.Join(h.KnownActions, ",") != strings.Join(configapi.Actions, ",") {
		t.Errorf("KnownActions = %v; want every LiveChat action", h.KnownActions)
	}
	if !strings.Contains(h.Text, registration.SecretPlaceholder) {
		t.Error("without a secret the commands should show the placeholder")
	}
	h, _ = registration.For(reg, "iadvize", registration.Input{PublicURL: public})
	for _, ip := range iadvize.IPs {
		if !strings.Contains(h.Text, ip) {
			t.Errorf("iAdvize guide lacks IP %s", ip)
		}
	}
}

// TestLiveChatCommands_Shell runs the generated commands in a real shell with a fake curl on
// PATH, so the quoting is checked, not just looked at: every body must be the JSON LiveChat
// expects, with the secret intact even when it holds a quote.
func TestLiveChatCommands_Shell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	secret := `it's "quoted" $HOME \n`
	h, err := registration.For(reg, "livechat", registration.Input{PublicURL: public, Secret: secret,
		Actions: []string{"incoming_chat", "routing_status_set"}})
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "calls")
	// The fake curl writes its URL, credentials and -d body, one call per line group.
	fake := "#!/bin/sh\nwhile [ $# -gt 0 ]; do case \"$1\" in\n" +
		"  -u) printf 'auth %s\\n' \"$2\" >>" + log + "; shift 2;;\n" +
		"  -d) printf 'body %s\\n' \"$2\" >>" + log + "; shift 2;;\n" +
		"  https://*) printf 'url %s\\n' \"$1\" >>" + log + "; shift;;\n" +
		"  *) shift;;\nesac; done\n"
	if err := os.WriteFile(filepath.Join(bin, "curl"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	for _, s := range h.Steps {
		if s.Title == "Collect your credentials" {
			script.WriteString("export LC_ACCOUNT_ID=acc LC_PAT='fra:tok' LC_CLIENT_ID=cid\n")
			continue
		}
		script.WriteString(s.Code + "\n")
	}
	cmd := exec.Command(sh, "-c", script.String())
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("script failed: %v\n%s\n%s", err, out, script.String())
	}
	raw, _ := os.ReadFile(log)
	var urls, bodies []string
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		kind, v, _ := strings.Cut(line, " ")
		switch kind {
		case "url":
			urls = append(urls, v)
		case "body":
			bodies = append(bodies, v)
		case "auth":
			if v != "acc:fra:tok" {
				t.Errorf("-u %q; want acc:fra:tok", v)
			}
		}
	}
	wantURLs := []string{"register_webhook", "register_webhook", "enable_license_webhooks", "list_webhooks"}
	if len(urls) != len(wantURLs) || len(bodies) != len(wantURLs) {
		t.Fatalf("calls: urls %v bodies %v", urls, bodies)
	}
	for i, w := range wantURLs {
		if urls[i] != configapi.DefaultURL+w {
			t.Errorf("call %d URL = %s; want …%s", i, urls[i], w)
		}
	}
	for i, action := range []string{"incoming_chat", "routing_status_set"} {
		var got map[string]string
		if err := json.Unmarshal([]byte(bodies[i]), &got); err != nil {
			t.Fatalf("register body %q is not JSON: %v", bodies[i], err)
		}
		want := map[string]string{"action": action, "secret_key": secret, "url": public + "/livechat",
			"owner_client_id": "cid", "type": "license", "description": "Hooklens"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("register %s: %s = %q; want %q", action, k, got[k], v)
			}
		}
	}
	if bodies[2] != `{"owner_client_id":"cid"}` {
		t.Errorf("enable body = %s", bodies[2])
	}
}
