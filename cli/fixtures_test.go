package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
)

// hooklens runs the binary and returns its output; it fails the test when the exit status
// is not the wanted one.
func hooklens(tb testing.TB, wantOK bool, args ...string) string {
	tb.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if (err == nil) != wantOK {
		tb.Fatalf("hooklens %s = %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// recorder is a target that keeps what it received.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs, rc.body = append(rc.reqs, r), append(rc.body, b)
	rc.mu.Unlock()
	io.WriteString(w, "ok")
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

// TestFixtures_EndToEnd is the story: capture (simulated) conversations in a running
// serve that forwards them live, export one scrubbed as a fixture folder, import it into
// another store, replay it at a service with its signature intact; and NDJSON export → import
// → export gives the same bytes.
func TestFixtures_EndToEnd(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	fwd := &recorder{}
	fwdSrv := httptest.NewServer(fwd)
	defer fwdSrv.Close()
	cmd, receiver, ui := serve(t, a, "--secret", "iadvize=ia-secret", "--secret", "livechat=lc-secret", "--forward-to", fwdSrv.URL+"/fwd")
	defer cmd.Process.Kill()

	out := hooklens(t, true, "simulate", "all", "--to", receiver, "--data", a)
	if strings.Count(out, "-> 200") != 25 || !strings.Contains(out, "iadvize conversation: 7 events, signed") {
		t.Fatalf("simulate printed:\n%s", out)
	}
	token := ui[strings.Index(ui, "token=")+6:]
	base := strings.TrimSuffix(ui[:strings.Index(ui, "?")], "/")
	var items []struct {
		ID, Vendor   string
		Decoded      bool
		FlagCount    int `json:"flag_count"`
		Conversation *struct{ ID string }
		Verification struct{ Status string }
	}
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		req, _ := http.NewRequest("GET", base+"/api/v1/deliveries?limit=100", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Items json.RawMessage }
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		json.Unmarshal(page.Items, &items)
		done := len(items) == 25
		for _, it := range items {
			done = done && it.Decoded
		}
		if done && fwd.count() == 25 {
			break
		}
	}
	conv := ""
	for _, it := range items {
		if !it.Decoded || it.FlagCount != 0 || (it.Vendor != "closer" && it.Verification.Status != "verified") {
			t.Errorf("simulated delivery %+v", it)
		}
		if it.Vendor == "iadvize" && it.Conversation != nil {
			conv = it.Conversation.ID
		}
	}
	if len(items) != 25 || fwd.count() != 25 || conv == "" {
		t.Fatalf("stored %d deliveries, forwarded %d; want 25 and 25", len(items), fwd.count())
	}
	if p := fwd.reqs[0].URL.Path; p != "/fwd/livechat" {
		t.Errorf("first forward went to %s; want /fwd/livechat", p)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()

	// Export one conversation scrubbed, import it elsewhere, replay it: the signature verifies
	// with the fixture secret.
	fixtures := filepath.Join(dir, "fixtures")
	out = hooklens(t, true, "export", "--data", a, "--format", "fixtures", "--out", fixtures, "--scrub", "--conversation", "iadvize/"+conv)
	if !strings.Contains(out, "exported 5 deliveries") || !strings.Contains(out, "fixture secret hooklens-fixture-") {
		t.Fatalf("export printed:\n%s", out)
	}
	secret := out[strings.Index(out, "hooklens-fixture-"):]
	secret = secret[:strings.IndexAny(secret, " \n")]
	b := filepath.Join(dir, "b")
	out = hooklens(t, true, "import", "--data", b, "--use-secrets", fixtures)
	if !strings.Contains(out, "5 imported, 0 duplicates") || !strings.Contains(out, "configured the iadvize secret") {
		t.Fatalf("import printed:\n%s", out)
	}
	out = hooklens(t, true, "import", "--data", b, fixtures)
	if !strings.Contains(out, "0 imported, 5 duplicates skipped") {
		t.Errorf("second import printed:\n%s", out)
	}
	service := &recorder{}
	svc := httptest.NewServer(service)
	defer svc.Close()
	out = hooklens(t, true, "replay", "--data", b, "--conversation", "iadvize/"+conv, "--to", svc.URL+"/hooks", "--pace", "original", "--speed", "1000")
	if strings.Count(out, "-> 200 OK") != 5 || service.count() != 5 {
		t.Fatalf("replay printed:\n%s", out)
	}
	for i, r := range service.reqs {
		if r.URL.Path != "/hooks/iadvize" || r.Header.Get(iadvize.HeaderSignature) != iadvize.Sign(secret, service.body[i]) {
			t.Errorf("replayed %s with signature %q; want it to verify with %s", r.URL.Path, r.Header.Get(iadvize.HeaderSignature), secret)
		}
		if bytes.Contains(service.body[i], []byte("Quick and friendly")) {
			t.Errorf("replayed body still holds the original comment: %s", service.body[i])
		}
	}
	hooklens(t, false, "replay", "--data", b, "--to", svc.URL)

	// NDJSON round trip through the CLI.
	one, two := filepath.Join(dir, "1.ndjson"), filepath.Join(dir, "2.ndjson")
	hooklens(t, true, "export", "--data", a, "--format", "ndjson", "--out", one)
	hooklens(t, true, "import", "--data", filepath.Join(dir, "c"), one)
	hooklens(t, true, "export", "--data", filepath.Join(dir, "c"), "--format", "ndjson", "--out", two)
	x, _ := os.ReadFile(one)
	y, _ := os.ReadFile(two)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Errorf("NDJSON export → import → export differs (%d and %d bytes)", len(x), len(y))
	}
}

// TestSimulate_Version sends a LiveChat conversation as API v3.1 sends it to a running serve:
// the stored deliveries carry 3.1's action names, decode as 3.1 without drift, and the events
// 3.1 does not have are left out and said so.
func TestSimulate_Version(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a")
	cmd, receiver, ui := serve(t, a, "--secret", livechat.Name+"=lc-secret")
	defer cmd.Process.Kill()
	out := hooklens(t, true, "simulate", livechat.Name, "--version", "3.1", "--to", receiver, "--data", t.TempDir(), "--secret", livechat.Name+"=lc-secret")
	if !strings.Contains(out, "as API version 3.1") || !strings.Contains(out, "thread_closed") || !strings.Contains(out, "left out, not in 3.1: chat_transferred") {
		t.Fatalf("simulate --version 3.1 printed:\n%s", out)
	}
	sent := strings.Count(out, "-> 200")
	token := ui[strings.Index(ui, "token=")+6:]
	base := strings.TrimSuffix(ui[:strings.Index(ui, "?")], "/")
	var items []struct {
		EventType  string `json:"event_type"`
		Decoded    bool
		FlagCount  int    `json:"flag_count"`
		APIVersion string `json:"api_version"`
	}
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		req, _ := http.NewRequest("GET", base+"/api/v1/deliveries?limit=100", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Items json.RawMessage }
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		json.Unmarshal(page.Items, &items)
		done := len(items) == sent
		for _, it := range items {
			done = done && it.Decoded
		}
		if done {
			break
		}
	}
	if len(items) != sent || sent == 0 {
		t.Fatalf("stored %d deliveries; want the %d sent", len(items), sent)
	}
	types := ""
	for _, it := range items {
		types += " " + it.EventType
		if it.FlagCount != 0 || !strings.HasPrefix(it.APIVersion, "3.1") { // "3.1+" when the body does not narrow it
			t.Errorf("delivery %+v; want decoded as 3.1 without drift", it)
		}
	}
	if !strings.Contains(types, "thread_closed") || !strings.Contains(types, "incoming_chat_thread") || strings.Contains(types, "chat_deactivated") {
		t.Errorf("stored event types%s; want 3.1's names", types)
	}
}
