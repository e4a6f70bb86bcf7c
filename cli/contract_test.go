package cli_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
)

// The fixture folder the `hooklens test` tests send (see testdata/contract/SOURCES.md): one
// conversation of each vendor, scrubbed and signed with its fixture secret.
const contractFixtures = "testdata/contract/chats"

func fixtureSecret(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(contractFixtures, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Scrub struct {
			FixtureSecret string `json:"fixture_secret"`
		} `json:"scrub"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.Scrub.FixtureSecret == "" {
		t.Fatalf("no fixture secret in the manifest: %v", err)
	}
	return m.Scrub.FixtureSecret
}

// handler is an integrator's webhook handler, with the bugs the tests give it.
type handler struct {
	secret     string        // verify credentials with it (401 when wrong); "" verifies nothing
	failType   string        // answer 500 to this event type
	slowType   string        // answer this event type after slow
	slow       time.Duration //
	idempotent bool          // false: a body seen before gets 409 (an insert that collides)
	ordered    bool          // a chat event before its chat started gets 409

	mu     sync.Mutex
	seen   map[[32]byte]bool
	chats  map[string]bool
	bodies [][]byte
	heads  []http.Header
}

func newHandler() *handler { return &handler{idempotent: true} }

// eventOf returns the event type of a body of any of the three vendors, and its chat id.
func eventOf(body []byte) (string, string) {
	var doc struct {
		Action    string `json:"action"`
		EventType string `json:"eventType"`
		Payload   struct {
			ChatID string `json:"chat_id"`
			Chat   struct {
				ID string `json:"id"`
			} `json:"chat"`
		} `json:"payload"`
		Message struct {
			Description struct {
				Action string `json:"action"`
			} `json:"description"`
		} `json:"message"`
	}
	json.Unmarshal(body, &doc)
	t := doc.Action + doc.EventType + doc.Message.Description.Action
	return t, doc.Payload.ChatID + doc.Payload.Chat.ID
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.bodies = append(h.bodies, body)
	h.heads = append(h.heads, r.Header.Clone())
	h.mu.Unlock()
	typ, chat := eventOf(body)
	if h.secret != "" && !h.verified(r, body) {
		http.Error(w, `{"error":"bad signature"}`, http.StatusUnauthorized)
		return
	}
	if typ == h.slowType {
		time.Sleep(h.slow)
	}
	if typ == h.failType {
		http.Error(w, "boom: "+typ, http.StatusInternalServerError)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.idempotent {
		if h.seen == nil {
			h.seen = map[[32]byte]bool{}
		}
		k := sha256.Sum256(body)
		if h.seen[k] {
			http.Error(w, `{"error":"duplicate key"}`, http.StatusConflict)
			return
		}
		h.seen[k] = true
	}
	if h.ordered && chat != "" {
		if h.chats == nil {
			h.chats = map[string]bool{}
		}
		if typ == "incoming_chat" {
			h.chats[chat] = true
		} else if !h.chats[chat] {
			http.Error(w, `{"error":"unknown chat `+chat+`"}`, http.StatusConflict)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true,"type":"`+typ+`"}`)
}

// verified checks the credential each vendor carries: iAdvize's HMAC over the exact body,
// Closer's token header, LiveChat's secret_key in the body.
func (h *handler) verified(r *http.Request, body []byte) bool {
	switch {
	case strings.HasSuffix(r.URL.Path, "/iadvize"):
		want := iadvize.Sign(h.secret, body)
		return hmac.Equal([]byte(r.Header.Get(iadvize.HeaderSignature)), []byte(want))
	case strings.HasSuffix(r.URL.Path, "/closer"):
		return hmac.Equal([]byte(r.Header.Get(closer.HeaderToken)), []byte(h.secret))
	}
	var doc struct {
		SecretKey string `json:"secret_key"`
	}
	return json.Unmarshal(body, &doc) == nil && hmac.Equal([]byte(doc.SecretKey), []byte(h.secret))
}

func (h *handler) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies)
}

// runTest runs `hooklens test` with a config directory of its own, returns its output and exit
// status, and fails when it wrote anything under that directory.
func runTest(t *testing.T, args ...string) (string, int) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(bin, append([]string{"test", "--no-progress"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(home); len(left) > 0 {
		t.Errorf("hooklens test wrote under the home directory: %v", left)
	}
	return string(out), code
}

var failLine = regexp.MustCompile(`(?m)^FAIL +\d+ +\S+ +(\S+) +(\S+)`)

// failed returns "type id" of every FAIL line, sorted.
func failed(out string) []string {
	var ids []string
	for _, m := range failLine.FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1]+" "+m[2])
	}
	sort.Strings(ids)
	return ids
}

func TestContract_PassingHandlerVerifiesEverySignature(t *testing.T) {
	h := newHandler()
	h.secret = fixtureSecret(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	out, code := runTest(t, contractFixtures, "--to", srv.URL+"/webhooks")
	if code != 0 || !strings.Contains(out, "25 passed, 0 failed") {
		t.Fatalf("exit %d, want 0 with 25 passed:\n%s", code, out)
	}
	if h.count() != 25 {
		t.Errorf("handler got %d requests, want 25", h.count())
	}
	// Timeline order: each LiveChat chat starts before its events.
	var types []string
	for _, b := range h.bodies {
		typ, _ := eventOf(b)
		types = append(types, typ)
	}
	if i, j := slices.Index(types, "incoming_chat"), slices.Index(types, "incoming_event"); i < 0 || j < i {
		t.Errorf("incoming_chat at %d, first incoming_event at %d: not in timeline order: %v", i, j, types)
	}
}

func TestContract_UnsignedAndTamperedMustBeRejected(t *testing.T) {
	verifying := newHandler()
	verifying.secret = fixtureSecret(t)
	good := httptest.NewServer(verifying)
	defer good.Close()
	naive := httptest.NewServer(newHandler()) // checks nothing
	defer naive.Close()
	for _, mode := range []string{"--unsigned", "--tamper"} {
		out, code := runTest(t, contractFixtures, "--to", good.URL, mode)
		if code != 0 {
			t.Errorf("%s against a verifying handler: exit %d, want 0:\n%s", mode, code, out)
		}
		out, code = runTest(t, contractFixtures, "--to", naive.URL, mode)
		if code != 1 || !strings.Contains(out, "status 200, want 4xx") || !strings.Contains(out, "0 passed, 25 failed") {
			t.Errorf("%s against a handler that verifies nothing: exit %d, want 1 with every delivery failed:\n%s", mode, code, out)
		}
	}
	// What the verifying handler got unsigned carried no credential at all.
	verifying.mu.Lock()
	defer verifying.mu.Unlock()
	for i, hd := range verifying.heads {
		if hd.Get(closer.HeaderToken) == verifying.secret {
			t.Fatalf("request %d carried the right Closer token in an unsigned or tampered run", i)
		}
		if s := hd.Get(iadvize.HeaderSignature); s != "" && s == iadvize.Sign(verifying.secret, verifying.bodies[i]) {
			t.Fatalf("request %d carried a valid iAdvize signature in an unsigned or tampered run", i)
		}
	}
}

func TestContract_OneEventTypeFails(t *testing.T) {
	h := newHandler()
	h.failType = "v2.conversation.closed"
	srv := httptest.NewServer(h)
	defer srv.Close()
	out, code := runTest(t, contractFixtures, "--to", srv.URL)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	f := failed(out)
	if len(f) != 1 || !strings.HasPrefix(f[0], "v2.conversation.closed ") {
		t.Fatalf("failed %v, want the one v2.conversation.closed:\n%s", f, out)
	}
	if !strings.Contains(out, "first attempt: status 500, want 2xx (answer: boom: v2.conversation.closed)") {
		t.Errorf("the report does not say why:\n%s", out)
	}
}

func TestContract_SlowAnswerFailsOnTimeoutAndMaxLatency(t *testing.T) {
	h := newHandler()
	h.slowType, h.slow = "chat_transferred", 700*time.Millisecond
	srv := httptest.NewServer(h)
	defer srv.Close()
	out, code := runTest(t, contractFixtures, "--to", srv.URL, "--timeout", "300ms")
	if code != 1 || !strings.Contains(out, "no answer within 300ms") || len(failed(out)) != 1 {
		t.Fatalf("exit %d, want 1 with one delivery over the timeout:\n%s", code, out)
	}
	expect := filepath.Join(t.TempDir(), "expect.yaml")
	os.WriteFile(expect, []byte("events:\n  livechat/chat_transferred:\n    max_latency: 200ms\n"), 0o644)
	out, code = runTest(t, contractFixtures, "--to", srv.URL, "--expect", expect)
	if code != 1 || !strings.Contains(out, "over max_latency 200ms") || len(failed(out)) != 1 {
		t.Fatalf("exit %d, want 1 with chat_transferred over its max_latency:\n%s", code, out)
	}
}

func TestContract_RetriesCatchANonIdempotentHandler(t *testing.T) {
	h := newHandler()
	h.idempotent = false
	srv := httptest.NewServer(h)
	defer srv.Close()
	out, code := runTest(t, contractFixtures, "--to", srv.URL)
	if code != 0 {
		t.Fatalf("without retries: exit %d, want 0:\n%s", code, out)
	}
	fresh := newHandler()
	fresh.idempotent = false
	srv2 := httptest.NewServer(fresh)
	defer srv2.Close()
	out, code = runTest(t, contractFixtures, "--to", srv2.URL, "--retries", "--speed", "1000")
	if code != 1 {
		t.Fatalf("with retries: exit %d, want 1:\n%s", code, out)
	}
	if !strings.Contains(out, "retry 1: status 409, want 2xx") || !strings.Contains(out, "answered 409, the first attempt 200") {
		t.Errorf("the report does not say the retry got another answer:\n%s", out)
	}
	if !strings.Contains(out, "(50 retries, 0 duplicates)") {
		t.Errorf("want 50 retries (LiveChat 3, iAdvize 2, Closer 1 each):\n%s", out)
	}
	ih := newHandler()
	ih.secret = fixtureSecret(t)
	good := httptest.NewServer(ih)
	defer good.Close()
	if out, code := runTest(t, contractFixtures, "--to", good.URL, "--retries", "--speed", "1000", "--duplicate-rate", "0.5", "--seed", "7"); code != 0 {
		t.Errorf("an idempotent handler with retries and duplicates: exit %d, want 0:\n%s", code, out)
	}
}

func TestContract_ShuffleCatchesOrderDependenceAndTheSeedReproducesIt(t *testing.T) {
	h := newHandler()
	h.ordered = true
	srv := httptest.NewServer(h)
	defer srv.Close()
	if out, code := runTest(t, contractFixtures, "--to", srv.URL); code != 0 {
		t.Fatalf("in timeline order: exit %d, want 0:\n%s", code, out)
	}
	var seed, first string
	for s := 1; s <= 30 && seed == ""; s++ {
		h.mu.Lock()
		h.chats = nil
		h.mu.Unlock()
		out, code := runTest(t, contractFixtures, "--to", srv.URL, "--shuffle", "4", "--seed", itoa(s))
		if !strings.Contains(out, "seed "+itoa(s)) {
			t.Fatalf("the seed is not printed:\n%s", out)
		}
		if code == 1 {
			seed, first = itoa(s), out
		}
	}
	if seed == "" {
		t.Fatal("no seed of 30 put an incoming_event before its incoming_chat")
	}
	if !strings.Contains(first, "unknown chat") || !strings.Contains(first, "--seed "+seed) {
		t.Errorf("the failing run does not say why or how to reproduce it:\n%s", first)
	}
	h.mu.Lock()
	h.chats = nil
	h.mu.Unlock()
	again, code := runTest(t, contractFixtures, "--to", srv.URL, "--shuffle", "4", "--seed", seed)
	if code != 1 || !slices.Equal(failed(again), failed(first)) {
		t.Errorf("--seed %s again failed %v, first %v", seed, failed(again), failed(first))
	}
	// Without --seed a new one is printed.
	out, _ := runTest(t, contractFixtures, "--to", srv.URL, "--shuffle", "4")
	if !regexp.MustCompile(`seed \d+ \(--seed \d+`).MatchString(out) {
		t.Errorf("no seed printed:\n%s", out)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestContract_JUnitReport(t *testing.T) {
	h := newHandler()
	h.failType = "incoming_event"
	srv := httptest.NewServer(h)
	defer srv.Close()
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "r", "hooklens.xml"), filepath.Join(dir, "r.json")
	out, code := runTest(t, contractFixtures, "--to", srv.URL+"/hooks", "--report", "junit="+junit, "--report", "json="+js)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	raw, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the JUnit file does not parse: %v\n%s", err, raw)
	}
	if doc.Tests != 25 || doc.Failures != 3 {
		t.Errorf("tests=%d failures=%d, want 25 and 3 (the LiveChat incoming_event deliveries)", doc.Tests, doc.Failures)
	}
	suites := map[string]int{}
	failures := 0
	for _, s := range doc.Suites {
		suites[s.Name] = len(s.Cases)
		for _, c := range s.Cases {
			if c.Failure == nil {
				continue
			}
			failures++
			if !strings.HasPrefix(s.Name, "livechat/") || !strings.Contains(c.Name, "incoming_event") {
				t.Errorf("failure in suite %s case %s", s.Name, c.Name)
			}
			for _, want := range []string{"status 500, want 2xx", "to " + srv.URL + "/hooks/livechat", "POST /hooks/livechat HTTP/1.1\nHost: " + strings.TrimPrefix(srv.URL, "http://"), "Content-Type: application/json", `"action":"incoming_event"`, "500 Internal Server Error", "boom: incoming_event"} {
				if !strings.Contains(c.Failure.Message+c.Failure.Text, want) {
					t.Errorf("failure of %s lacks %q:\n%s", c.Name, want, c.Failure.Text)
				}
			}
		}
	}
	if failures != 3 {
		t.Errorf("%d failed testcases, want 3", failures)
	}
	if strings.Contains(string(raw), fixtureSecret(t)) || !strings.Contains(string(raw), `secret_key&#34;:&#34;[secret]`) {
		t.Errorf("the JUnit file shows the secret the requests carry, or no sign it was hidden")
	}
	// One suite per conversation: the LiveChat chat holds its 7 chat events.
	var lc int
	for name, n := range suites {
		if strings.HasPrefix(name, "livechat/") {
			lc = n
		}
	}
	if lc != 7 {
		t.Errorf("suites %v: want the LiveChat conversation's 7 deliveries in one suite", suites)
	}
	var rep struct {
		Passed, Failed int
		Cases          []struct {
			DeliveryID string `json:"delivery_id"`
			Passed     bool   `json:"passed"`
		} `json:"cases"`
	}
	raw, _ = os.ReadFile(js)
	if err := json.Unmarshal(raw, &rep); err != nil || rep.Passed != 22 || rep.Failed != 3 || len(rep.Cases) != 25 {
		t.Errorf("JSON report: %v passed=%d failed=%d cases=%d", err, rep.Passed, rep.Failed, len(rep.Cases))
	}
}

func TestContract_SetAndMapRewriteAndResign(t *testing.T) {
	h := newHandler()
	h.secret = fixtureSecret(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	dir := t.TempDir()
	idmap := filepath.Join(dir, "ids.yaml")
	// The LiveChat chat and the iAdvize conversation get ids of this run.
	os.WriteFile(idmap, []byte("PXJLXWT6FT: CHAT-{run}\nd3c9e43b-9a1f-4b10-9a20-54f11966dcfe: CONV-{run}\n"), 0o644)
	out, code := runTest(t, contractFixtures, "--to", srv.URL, "--map", idmap,
		"--set", "payload.chat.thread.tags=[\"ci\"]", "--set", "channel=TEST-CHANNEL")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (every delivery re-signed after the edits):\n%s", code, out)
	}
	run := regexp.MustCompile(`run token (\w+)`).FindStringSubmatch(out)
	if run == nil {
		t.Fatalf("no run token printed:\n%s", out)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var chats, convs, channels int
	for _, b := range h.bodies {
		s := string(b)
		if strings.Contains(s, "PXJLXWT6FT") || strings.Contains(s, "d3c9e43b-9a1f-4b10-9a20-54f11966dcfe") {
			t.Fatalf("an old id is left: %s", s)
		}
		chats += strings.Count(s, "CHAT-"+run[1])
		convs += strings.Count(s, "CONV-"+run[1])
		if strings.Contains(s, `"channel":"TEST-CHANNEL"`) {
			channels++
		}
		if typ, _ := eventOf(b); typ == "incoming_chat" && !strings.Contains(s, `"tags":["ci"]`) {
			t.Errorf("--set of an array did not land: %s", s)
		}
	}
	if chats < 7 || convs < 4 || channels < 3 {
		t.Errorf("rewritten: %d chat ids, %d conversation ids, %d channels", chats, convs, channels)
	}
	// A --set path no delivery has is a usage error.
	out, code = runTest(t, contractFixtures, "--to", srv.URL, "--set", "payload.nothing.here=1")
	if code != 2 || !strings.Contains(out, "no delivery has payload.nothing.here") {
		t.Errorf("exit %d, want 2:\n%s", code, out)
	}
}

func TestContract_BadInputSaysFileAndLine(t *testing.T) {
	srv := httptest.NewServer(newHandler())
	defer srv.Close()
	dir := t.TempDir()
	cases := []struct{ name, text, want string }{
		{"expect.yaml", "default:\n  status: 2xx\n  max_latencyy: 2s\n", "expect.yaml line 3, column 3: unknown key \"max_latencyy\""},
		{"expect.yml", "events:\n  incoming_chat:\n    body:\n      - path: ok\n        equal: true\n", "expect.yml line 5, column 9: unknown key \"equal\""},
		{"expect.json", "{\n  \"default\": {\n    \"status\": \"2xx\",\n    \"statuss\": 200\n  }\n}\n", "expect.json line 4, column 5: unknown key \"statuss\""},
		{"bad.json", "{\n  \"default\": {\n    \"status\": \"2xx\",\n  }\n}\n", "bad.json line 4, column 3: invalid character '}'"},
		{"status.yaml", "default:\n  status: 2xy\n", "status.yaml line 2, column 11: status \"2xy\""},
		{"regex.yaml", "default:\n  body:\n    - matches: \"(\"\n", "regex.yaml line 3, column 16: matches: error parsing regexp"},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		os.WriteFile(p, []byte(c.text), 0o644)
		out, code := runTest(t, contractFixtures, "--to", srv.URL, "--expect", p)
		if code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d, want 2 with %q:\n%s", c.name, code, c.want, out)
		}
	}
	bad := filepath.Join(dir, "bad.ndjson")
	os.WriteFile(bad, []byte("{\"id\":\"a\",\"method\":\"POST\",\"path\":\"/x\",\"headers\":[],\"body\":\"{}\"}\n{oops\n"), 0o644)
	out, code := runTest(t, bad, "--to", srv.URL)
	if code != 2 || !strings.Contains(out, "bad.ndjson") || !strings.Contains(out, "line 2") {
		t.Errorf("a bad NDJSON source: exit %d, want 2 naming the file and line 2:\n%s", code, out)
	}
	// A service that is not there: every delivery fails, and the report says why.
	gone := httptest.NewServer(newHandler())
	gone.Close()
	if out, code := runTest(t, contractFixtures, "--to", gone.URL); code != 1 || !strings.Contains(out, "nothing answers at "+gone.URL) ||
		!strings.Contains(out, "no answer: connect:") {
		t.Errorf("no service: exit %d, want 1 saying nothing answers:\n%s", code, out)
	}
	for _, args := range [][]string{
		{contractFixtures},
		{"--to", srv.URL},
		{contractFixtures, "--to", srv.URL, "--unsigned", "--tamper"},
		{contractFixtures, "--to", srv.URL, "--report", "xml=out.xml"},
		{contractFixtures, "--to", "ftp://x"},
	} {
		if out, code := runTest(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2:\n%s", args, code, out)
		}
	}
}

// TestContract_StoreSelectionAndOtherFormats tests a stored conversation (--data with a
// selection) and an NDJSON export of it, signed with the configured or given secrets.
func TestContract_StoreSelectionAndOtherFormats(t *testing.T) {
	secret := fixtureSecret(t)
	h := newHandler()
	h.secret = secret
	srv := httptest.NewServer(h)
	defer srv.Close()
	data := filepath.Join(t.TempDir(), "data")
	hooklens(t, true, "import", "--data", data, "--use-secrets", "--decode", "--no-progress", contractFixtures)
	out, code := runTest(t, "--data", data, "--conversation", "livechat/PXJLXWT6FT", "--to", srv.URL)
	if code != 0 || !strings.Contains(out, "7 deliveries") || !strings.Contains(out, "7 passed, 0 failed") {
		t.Fatalf("a stored conversation: exit %d:\n%s", code, out)
	}
	nd := filepath.Join(t.TempDir(), "all.ndjson")
	hooklens(t, true, "export", "--data", data, "--format", "ndjson", "--no-progress", "--out", nd)
	args := []string{nd, "--to", srv.URL}
	for _, v := range []string{"livechat", "iadvize", "closer"} {
		args = append(args, "--secret", v+"="+secret)
	}
	if out, code := runTest(t, args...); code != 0 || !strings.Contains(out, "25 passed, 0 failed") {
		t.Fatalf("an NDJSON export with --secret: exit %d:\n%s", code, out)
	}
	// Without a secret, the deliveries go as exported, with a warning.
	if out, code := runTest(t, nd, "--to", srv.URL, "--secret", "livechat="+secret); code != 0 || !strings.Contains(out, "warning: no closer secret") {
		t.Errorf("an NDJSON export signed as recorded: exit %d:\n%s", code, out)
	}
	if out, code := runTest(t, "--data", data, "--conversation", "livechat/NOPE", "--to", srv.URL); code != 2 || !strings.Contains(out, "nothing in") {
		t.Errorf("an empty selection: exit %d:\n%s", code, out)
	}
}

// TestSimulate_Set: hooklens simulate takes the same --set, applied before signing.
func TestSimulate_Set(t *testing.T) {
	h := newHandler()
	h.secret = "sim-secret"
	srv := httptest.NewServer(h)
	defer srv.Close()
	data := t.TempDir() // no store: the secrets come from --secret
	out := hooklens(t, true, "simulate", "iadvize", "--data", data, "--to", srv.URL, "--secret", "iadvize=sim-secret", "--set", "channel=TEST-CHANNEL")
	h.mu.Lock()
	n := 0
	for _, b := range h.bodies {
		if strings.Contains(string(b), `"channel":"TEST-CHANNEL"`) {
			n++
		}
	}
	h.mu.Unlock()
	if n == 0 || strings.Contains(out, "-> 401") {
		t.Errorf("%d bodies with the channel set; every signature must verify:\n%s", n, out)
	}
	if out := hooklens(t, false, "simulate", "iadvize", "--data", data, "--to", srv.URL, "--set", "nope.nope=1"); !strings.Contains(out, "no simulated event has nope.nope") {
		t.Errorf("a --set path no event has:\n%s", out)
	}
}
