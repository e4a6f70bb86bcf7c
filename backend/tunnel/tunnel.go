// Package tunnel puts the receiver on a public URL (a cloudflared quick tunnel it runs, a running
// ngrok agent it discovers, or a URL the user gives), checks that the URL reaches this receiver,
// and remembers which URL was registered with each vendor.
package tunnel

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"time"

	"hooklens/backend"
	"hooklens/backend/registration"
)

// Providers.
const (
	ProviderCloudflared = "cloudflared"
	ProviderNgrok       = "ngrok"
	ProviderManual      = "manual"
)

// Health of the public URL.
const (
	HealthReachable   = "reachable"   // a probe sent to the public URL arrived at this receiver
	HealthUnreachable = "unreachable" // it did not (Status.Error says what happened)
	HealthURLChanged  = "url_changed" // reachable or unchecked, but a vendor was registered with another URL
	HealthUnknown     = "unknown"     // no tunnel, or not checked yet
)

// States of the tunnel.
const (
	StateOff      = "off"
	StateStarting = "starting" // cloudflared runs but has not printed its URL yet
	StateRunning  = "running"
	StateFailed   = "failed" // cloudflared exited, or the start failed (Status.Error says why)
)

// Store keeps the registrations and the last manual URL (settings, key → JSON).
type Store interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Config configures a Manager; zero fields take the defaults.
type Config struct {
	// ReceiverURL is the receiver's own URL ("http://127.0.0.1:8787"); tunnels forward to its port.
	ReceiverURL string
	Store       Store
	// Vendors are the ids of the vendors the public URL can be registered with
	// (registration.Vendors): the status gives each its URL.
	Vendors []string
	// NgrokAPI is the base URL of the ngrok agent's local API (default http://127.0.0.1:4040).
	NgrokAPI string
	// LookPath finds programs (default exec.LookPath).
	LookPath func(file string) (string, error)
	// Client sends the probes and asks ngrok (default: an http.Client without cookies).
	Client *http.Client
	// Interval between health checks while a tunnel runs and is reachable (default 60 s).
	Interval time.Duration
	// StartTimeout bounds the wait for cloudflared's URL (default 45 s).
	StartTimeout time.Duration
	// StopGrace is how long cloudflared gets to exit after SIGTERM before SIGKILL (default 3 s).
	StopGrace time.Duration
	// ProbeTimeout bounds one probe (default 10 s).
	ProbeTimeout time.Duration
	Now          func() time.Time
	Log          *slog.Logger
	// OnChange, when set, is called (from any goroutine) after the status changed.
	OnChange func(Status)
	// OnProbe, when set, is called (from any goroutine) with every probe result of a running
	// tunnel, the periodic ones included: coverage keeps them to tell when the receiver was
	// unreachable.
	OnProbe func(backend.Probe)
}

// Available says which tunnel programs are on PATH.
type Available struct {
	Cloudflared bool `json:"cloudflared"`
	Ngrok       bool `json:"ngrok"`
}

// Registration is the URL a vendor was last registered with.
type Registration struct {
	URL string    `json:"url"`
	At  time.Time `json:"at"`
	// Current is true when URL is the vendor URL of the current public URL.
	Current bool `json:"current"`
}

// Status is what the Tunnel panel shows.
type Status struct {
	Provider    string     `json:"provider"` // "" when no tunnel
	PublicURL   string     `json:"public_url"`
	Health      string     `json:"health"`
	State       string     `json:"state"`
	Available   Available  `json:"available"`
	Error       string     `json:"error"`
	CheckedAt   *time.Time `json:"checked_at"`
	ReceiverURL string     `json:"receiver_url"`
	// URLs are the URLs to register, per vendor (empty without a public URL).
	URLs       map[string]string       `json:"urls"`
	Registered map[string]Registration `json:"registered"`
	// Changed lists the vendors registered with a URL that is not the current one.
	Changed []string `json:"changed"`
}

// StartRequest chooses a tunnel.
type StartRequest struct {
	Provider  string `json:"provider"`
	PublicURL string `json:"public_url"` // manual only
}

// Manager runs one tunnel at a time. Its methods are safe for concurrent use.
type Manager struct {
	cfg    Config
	target string // what cloudflared forwards to: http://127.0.0.1:<port>
	port   string
	host   string

	mu         sync.Mutex
	gen        int // bumped by every start and stop; stale goroutines compare it
	provider   string
	publicURL  string
	state      string
	errMsg     string
	reach      string // last probe: "", HealthReachable or HealthUnreachable
	checkedAt  time.Time
	proc       *process
	stopWatch  context.CancelFunc
	registered map[string]registrationRecord
	avail      Available
	availAt    time.Time

	probes probeSet
}

// New returns a manager for the receiver at cfg.ReceiverURL; EINVALID when that is not a URL with
// a port.
func New(cfg Config) (*Manager, error) {
	u, err := url.Parse(cfg.ReceiverURL)
	if err != nil || u.Port() == "" {
		return nil, backend.Errorf(backend.EINVALID, "tunnel: receiver URL %q has no port", cfg.ReceiverURL)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // a receiver on every interface is reached through loopback
	}
	if cfg.NgrokAPI == "" {
		cfg.NgrokAPI = "http://127.0.0.1:4040"
	}
	if cfg.LookPath == nil {
		cfg.LookPath = exec.LookPath
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Minute
	}
	if cfg.StartTimeout == 0 {
		cfg.StartTimeout = 45 * time.Second
	}
	if cfg.StopGrace == 0 {
		cfg.StopGrace = 3 * time.Second
	}
	if cfg.ProbeTimeout == 0 {
		cfg.ProbeTimeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Manager{cfg: cfg, port: u.Port(), host: host,
		target: "http://" + net.JoinHostPort(host, u.Port()), state: StateOff,
		registered: map[string]registrationRecord{}}, nil
}

// Status returns the current status.
func (m *Manager) Status() Status {
	avail := m.available()
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Status{Provider: m.provider, PublicURL: m.publicURL, State: m.state, Available: avail,
		Error: m.errMsg, ReceiverURL: m.cfg.ReceiverURL, URLs: map[string]string{},
		Registered: map[string]Registration{}, Changed: []string{}}
	if !m.checkedAt.IsZero() {
		t := m.checkedAt
		st.CheckedAt = &t
	}
	for _, v := range m.cfg.Vendors {
		if u := registration.VendorURL(m.publicURL, v); u != "" {
			st.URLs[v] = u
		}
		if r, ok := m.registered[v]; ok {
			cur := r.URL == registration.VendorURL(m.publicURL, v)
			st.Registered[v] = Registration{URL: r.URL, At: r.At, Current: cur}
			if !cur && m.publicURL != "" {
				st.Changed = append(st.Changed, v)
			}
		}
	}
	switch {
	case m.provider == "" || m.publicURL == "":
		st.Health = HealthUnknown
		if m.state == StateFailed {
			st.Health = HealthUnreachable
		}
	case m.reach == HealthUnreachable || m.state == StateFailed:
		st.Health = HealthUnreachable
	case len(st.Changed) > 0:
		st.Health = HealthURLChanged
	case m.reach == HealthReachable:
		st.Health = HealthReachable
	default:
		st.Health = HealthUnknown
	}
	return st
}

// available looks the programs up on PATH, at most every few seconds.
func (m *Manager) available() Available {
	m.mu.Lock()
	if time.Since(m.availAt) < 5*time.Second {
		a := m.avail
		m.mu.Unlock()
		return a
	}
	m.mu.Unlock()
	_, errC := m.cfg.LookPath("cloudflared")
	_, errN := m.cfg.LookPath("ngrok")
	a := Available{Cloudflared: errC == nil, Ngrok: errN == nil}
	m.mu.Lock()
	m.avail, m.availAt = a, time.Now()
	m.mu.Unlock()
	return a
}

// PublicURL returns the current public URL, "" when none.
func (m *Manager) PublicURL() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.publicURL
}

// ValidPublicURL returns u cleaned (no trailing slash) when it is an absolute http(s) URL with a
// host and no query, fragment or credentials; else an EINVALID error saying why.
func ValidPublicURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "", backend.Errorf(backend.EINVALID, "public_url is required for a manual tunnel")
	case err != nil:
		return "", backend.Errorf(backend.EINVALID, "public_url %q is not a URL: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", backend.Errorf(backend.EINVALID, "public_url %q must start with https:// (or http://)", raw)
	case u.Host == "" || u.Hostname() == "":
		return "", backend.Errorf(backend.EINVALID, "public_url %q has no host", raw)
	case u.User != nil:
		return "", backend.Errorf(backend.EINVALID, "public_url must not carry a user or password")
	case u.RawQuery != "" || u.Fragment != "" || strings.Contains(raw, "?") || strings.Contains(raw, "#"):
		return "", backend.Errorf(backend.EINVALID, "public_url must not have a query or fragment: vendor paths are added to it")
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// notify tells OnChange about the current status.
func (m *Manager) notify() {
	if m.cfg.OnChange != nil {
		m.cfg.OnChange(m.Status())
	}
}
