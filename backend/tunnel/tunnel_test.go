package tunnel_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/receiver"
	"hooklens/backend/registration"
	"hooklens/backend/sqlite"
	"hooklens/backend/tunnel"
)

// harness is a real receiver over a real store on loopback, with a tunnel manager whose probes
// the receiver recognizes.
type harness struct {
	db  *sqlite.DB
	srv *receiver.Server
	url string // the receiver's loopback URL
	m   *tunnel.Manager
}

func newHarness(tb testing.TB, cfg tunnel.Config) *harness {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	h := &harness{db: db, url: "http://" + ln.Addr().String()}
	cfg.ReceiverURL, cfg.Store = h.url, db
	cfg.Vendors = registration.Vendors(all.Registry())
	if cfg.LookPath == nil {
		cfg.LookPath = func(string) (string, error) { return "", &net.AddrError{Err: "not found"} }
	}
	if cfg.Client == nil {
		cfg.Client = loopbackClient()
	}
	if h.m, err = tunnel.New(cfg); err != nil {
		tb.Fatal(err)
	}
	rh := receiver.NewHandler(db)
	rh.Probes = h.m
	h.srv = &receiver.Server{Handler: rh}
	h.srv.Serve(ln)
	tb.Cleanup(func() {
		h.m.Close()
		h.srv.Shutdown(context.Background())
		db.Close()
	})
	return h
}

// loopbackClient never leaves the machine: probes to a fake public host fail at once instead of
// asking DNS about it.
func loopbackClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, &net.AddrError{Err: "tests stay on loopback", Addr: addr}
		}
		return dialer.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// listed returns how many deliveries the inbox shows.
func (h *harness) listed(tb testing.TB) int {
	tb.Helper()
	items, _, err := h.db.FindDeliveries(context.Background(), backend.DeliveryFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(items)
}

func (h *harness) stored(tb testing.TB) int64 {
	tb.Helper()
	n, err := h.db.CountDeliveries(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// deadURL returns a loopback URL nothing listens on.
func deadURL(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	u := "http://" + ln.Addr().String()
	ln.Close()
	return u
}

func TestManual_Reachable(t *testing.T) {
	h := newHarness(t, tunnel.Config{})
	ctx := context.Background()
	st, err := h.m.Start(ctx, tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: h.url + "/"})
	if err != nil {
		t.Fatalf("Start(manual) = %v", err)
	}
	if st.Provider != tunnel.ProviderManual || st.PublicURL != h.url || st.State != tunnel.StateRunning {
		t.Errorf("Start(manual) = %+v", st)
	}
	if st.Health != tunnel.HealthReachable || st.Error != "" || st.CheckedAt == nil {
		t.Errorf("health = %q (%q), checked %v; want reachable", st.Health, st.Error, st.CheckedAt)
	}
	if st.URLs["livechat"] != h.url+"/livechat" || st.URLs["closer"] != h.url+"/closer" {
		t.Errorf("URLs = %v", st.URLs)
	}
	// The probe is stored, and hidden from the inbox.
	if n := h.stored(t); n != 1 {
		t.Errorf("stored = %d; want 1 (the probe)", n)
	}
	if n := h.listed(t); n != 0 {
		t.Errorf("inbox lists %d; want 0 (probes are hidden)", n)
	}
	if st, err = h.m.Check(ctx); err != nil || st.Health != tunnel.HealthReachable {
		t.Errorf("Check = %q, %v", st.Health, err)
	}
	if n, l := h.stored(t), h.listed(t); n != 2 || l != 0 {
		t.Errorf("after Check: stored %d listed %d; want 2, 0", n, l)
	}
}

func TestManual_Unreachable(t *testing.T) {
	h := newHarness(t, tunnel.Config{ProbeTimeout: 2 * time.Second})
	dead := deadURL(t)
	st, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: dead})
	if err != nil {
		t.Fatalf("Start = %v", err)
	}
	if st.Health != tunnel.HealthUnreachable || !strings.Contains(st.Error, "did not get through") {
		t.Errorf("health = %q (%q); want unreachable with the reason", st.Health, st.Error)
	}
}

// TestManual_ElsewhereIsUnreachable: a URL that answers 200 but is not this receiver is not
// reachable: only a probe that arrives here counts.
func TestManual_ElsewhereIsUnreachable(t *testing.T) {
	h := newHarness(t, tunnel.Config{})
	other := newHarness(t, tunnel.Config{}) // another Hooklens: it stores the probe but never sent it
	st, _ := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: other.url})
	if st.Health != tunnel.HealthUnreachable || !strings.Contains(st.Error, "never reached this Hooklens") {
		t.Errorf("health = %q (%q); want unreachable", st.Health, st.Error)
	}
	if n := other.listed(t); n != 1 {
		t.Errorf("the other inbox lists %d; want 1: a foreign probe is an ordinary delivery", n)
	}
}

// TestProbe_ForgedHeaderIsVisible: the probe header alone hides nothing.
func TestProbe_ForgedHeaderIsVisible(t *testing.T) {
	h := newHarness(t, tunnel.Config{})
	req, _ := http.NewRequest("POST", h.url+tunnel.ProbePath+"abc", strings.NewReader("{}"))
	req.Header.Set(tunnel.ProbeHeader, "abc")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := h.listed(t); n != 1 {
		t.Errorf("inbox lists %d; want 1", n)
	}
}

func TestStart_Errors(t *testing.T) {
	h := newHarness(t, tunnel.Config{NgrokAPI: deadURL(t)})
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		req  tunnel.StartRequest
		code string
		msg  string
	}{
		{"ErrProvider", tunnel.StartRequest{Provider: "localtunnel"}, backend.EINVALID, "not known"},
		{"ErrManualEmpty", tunnel.StartRequest{Provider: "manual"}, backend.EINVALID, "required"},
		{"ErrManualRelative", tunnel.StartRequest{Provider: "manual", PublicURL: "/hooks"}, backend.EINVALID, "https://"},
		{"ErrManualScheme", tunnel.StartRequest{Provider: "manual", PublicURL: "ftp://x.example"}, backend.EINVALID, "https://"},
		{"ErrManualQuery", tunnel.StartRequest{Provider: "manual", PublicURL: "https://x.example/?a=1"}, backend.EINVALID, "query"},
		{"ErrManualUser", tunnel.StartRequest{Provider: "manual", PublicURL: "https://u:p@x.example"}, backend.EINVALID, "user"},
		{"ErrNoCloudflared", tunnel.StartRequest{Provider: "cloudflared"}, backend.EUNAVAILABLE, "not on PATH"},
		{"ErrNoNgrok", tunnel.StartRequest{Provider: "ngrok"}, backend.EUNAVAILABLE, "ngrok http " + port(h.url)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, err := h.m.Start(ctx, tt.req)
			if backend.ErrorCode(err) != tt.code || !strings.Contains(backend.ErrorMessage(err), tt.msg) {
				t.Errorf("Start(%+v) = %v; want %s containing %q", tt.req, err, tt.code, tt.msg)
			}
			if st.Provider != "" {
				t.Errorf("a failed start left provider %q", st.Provider)
			}
		})
	}
	if _, err := h.m.Check(ctx); backend.ErrorCode(err) != backend.ECONFLICT {
		t.Errorf("Check without a tunnel = %v; want conflict", err)
	}
}

func port(u string) string {
	p, _ := url.Parse(u)
	return p.Port()
}

// fakeNgrok serves an ngrok agent API listing tunnels (body is called per request).
func fakeNgrok(t *testing.T, body func() string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/tunnels" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body()))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func static(s string) func() string { return func() string { return s } }

// TestNgrok_EndToEnd: the agent API names an https tunnel (an httptest TLS server standing in
// for ngrok's edge, forwarding to the receiver); Hooklens picks it and the probe gets through.
func TestNgrok_EndToEnd(t *testing.T) {
	var h *harness
	edge := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target, _ := url.Parse(h.url)
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	}))
	t.Cleanup(edge.Close)
	api := fakeNgrok(t, func() string {
		return `{"tunnels":[
		{"name":"web","public_url":"https://other.ngrok-free.app","proto":"https","config":{"addr":"http://localhost:3000","inspect":true}},
		{"name":"plain","public_url":"http://plain.ngrok-free.app","proto":"http","config":{"addr":"http://localhost:` + port(h.url) + `"}},
		{"name":"hooks","public_url":"` + edge.URL + `","proto":"https","config":{"addr":"http://localhost:` + port(h.url) + `","inspect":true}}
	],"uri":"/api/tunnels"}`
	})
	h = newHarness(t, tunnel.Config{Client: edge.Client(), NgrokAPI: api})
	st, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderNgrok})
	if err != nil {
		t.Fatalf("Start(ngrok) = %v", err)
	}
	if st.Provider != tunnel.ProviderNgrok || st.PublicURL != edge.URL || st.Health != tunnel.HealthReachable {
		t.Errorf("Start(ngrok) = %s %s %s (%s)", st.Provider, st.PublicURL, st.Health, st.Error)
	}
	if n, l := h.stored(t), h.listed(t); n != 1 || l != 0 {
		t.Errorf("stored %d, inbox lists %d; want 1, 0", n, l)
	}
}

func TestNgrok_Addresses(t *testing.T) {
	h := newHarness(t, tunnel.Config{})
	p := port(h.url)
	for _, tt := range []struct {
		addr string
		ok   bool
	}{
		{p, true},
		{"localhost:" + p, true},
		{"http://localhost:" + p, true},
		{"http://127.0.0.1:" + p, true},
		{"https://[::1]:" + p + "/", true},
		{"http://192.0.2.7:" + p, false}, // another machine
		{"http://localhost:1", false},
		{"http://localhost", p == "80"},
	} {
		api := fakeNgrok(t, static(`{"tunnels":[{"public_url":"https://x.ngrok-free.app","proto":"https","config":{"addr":"`+tt.addr+`"}}]}`))
		m, err := tunnel.New(tunnel.Config{ReceiverURL: h.url, Store: h.db, NgrokAPI: api, Client: loopbackClient()})
		if err != nil {
			t.Fatal(err)
		}
		st, err := m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderNgrok})
		if got := err == nil && st.PublicURL == "https://x.ngrok-free.app"; got != tt.ok {
			t.Errorf("ngrok addr %q: Start = %q, %v; want chosen %v", tt.addr, st.PublicURL, err, tt.ok)
		}
		if !tt.ok && !strings.Contains(backend.ErrorMessage(err), "https://x.ngrok-free.app → "+tt.addr) {
			t.Errorf("ngrok addr %q: error %q should list what ngrok forwards", tt.addr, backend.ErrorMessage(err))
		}
		m.Close()
	}
}

func TestPeriodicRecheck(t *testing.T) {
	changes := make(chan tunnel.Status, 100)
	h := newHarness(t, tunnel.Config{Interval: 50 * time.Millisecond, ProbeTimeout: time.Second,
		OnChange: func(st tunnel.Status) { changes <- st }})
	st, _ := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: h.url})
	if st.Health != tunnel.HealthReachable {
		t.Fatalf("health = %s (%s)", st.Health, st.Error)
	}
	h.srv.Shutdown(context.Background()) // the receiver goes away: the next recheck notices
	deadline := time.After(5 * time.Second)
	for {
		select {
		case st := <-changes:
			if st.Health == tunnel.HealthUnreachable {
				return
			}
		case <-deadline:
			t.Fatalf("health still %s after the receiver stopped", h.m.Status().Health)
		}
	}
}

// TestRegistered_URLChanged: registering records the vendor URL; a new public URL turns the
// health to url_changed for that vendor; all of it survives a restart.
func TestRegistered_URLChanged(t *testing.T) {
	h := newHarness(t, tunnel.Config{})
	ctx := context.Background()
	if _, err := h.m.MarkRegistered(ctx, "livechat", ""); backend.ErrorCode(err) != backend.ECONFLICT {
		t.Errorf("MarkRegistered without a URL = %v; want conflict", err)
	}
	if _, err := h.m.MarkRegistered(ctx, "slack", "https://x.example/slack"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("MarkRegistered(slack) = %v; want not_found", err)
	}
	if _, err := h.m.MarkRegistered(ctx, "closer", "not a url"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("MarkRegistered(bad URL) = %v; want invalid", err)
	}
	h.m.Start(ctx, tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: h.url})
	st, err := h.m.MarkRegistered(ctx, "livechat", "")
	if err != nil || st.Registered["livechat"].URL != h.url+"/livechat" || !st.Registered["livechat"].Current {
		t.Fatalf("MarkRegistered = %+v, %v", st.Registered, err)
	}
	if st.Health != tunnel.HealthReachable || len(st.Changed) != 0 {
		t.Errorf("health = %s, changed %v; want reachable", st.Health, st.Changed)
	}
	// The same receiver under another name: reachable, but not what LiveChat knows.
	other := strings.Replace(h.url, "127.0.0.1", "localhost", 1)
	st, _ = h.m.Start(ctx, tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: other})
	if st.Health != tunnel.HealthURLChanged || strings.Join(st.Changed, ",") != "livechat" || st.Registered["livechat"].Current {
		t.Errorf("after the URL moved: health %s (%s), changed %v", st.Health, st.Error, st.Changed)
	}

	// A restart: the registration and the manual URL come back.
	m2, err := tunnel.New(tunnel.Config{ReceiverURL: h.url, Store: h.db, Vendors: registration.Vendors(all.Registry()), Client: loopbackClient()})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if err := m2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	st = m2.Status()
	if st.Provider != tunnel.ProviderManual || st.PublicURL != other || st.Registered["livechat"].URL != h.url+"/livechat" {
		t.Errorf("after Load: %s %s %+v", st.Provider, st.PublicURL, st.Registered)
	}
	if st, err = m2.ForgetRegistered(ctx, "livechat"); err != nil || len(st.Registered) != 0 || st.Health == tunnel.HealthURLChanged {
		t.Errorf("ForgetRegistered = %+v %s, %v", st.Registered, st.Health, err)
	}
	// Stop forgets the manual URL for good.
	m2.Stop(ctx)
	m3, _ := tunnel.New(tunnel.Config{ReceiverURL: h.url, Store: h.db, Client: loopbackClient()})
	defer m3.Close()
	m3.Load(ctx)
	if st := m3.Status(); st.Provider != "" || st.State != tunnel.StateOff || st.Health != tunnel.HealthUnknown {
		t.Errorf("after Stop and a restart: %+v", st)
	}
}
