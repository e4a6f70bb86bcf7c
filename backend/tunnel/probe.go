package tunnel

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"hooklens/backend"
)

// Probe marks: a probe is POST <public URL>/__hooklens_probe/<token> with the same token in
// ProbeHeader. The receiver hides it only when this process is waiting for that token.
const (
	ProbePath   = "/__hooklens_probe/"
	ProbeHeader = "X-Hooklens-Probe"
)

// probeLinger is how long a token still marks a late probe as hidden after its check ended.
const probeLinger = 5 * time.Minute

type pendingProbe struct {
	arrived chan struct{}
	closed  bool
	until   time.Time // zero while the check waits
}

type probeSet struct {
	mu sync.Mutex
	m  map[string]*pendingProbe
}

func (s *probeSet) add() (string, *pendingProbe) {
	token := rand.Text()
	p := &pendingProbe{arrived: make(chan struct{})}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*pendingProbe{}
	}
	for t, q := range s.m {
		if !q.until.IsZero() && now.After(q.until) {
			delete(s.m, t)
		}
	}
	s.m[token] = p
	return token, p
}

func (s *probeSet) done(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.m[token]; p != nil {
		p.until = time.Now().Add(probeLinger)
	}
}

// Probe returns the token of r when it is a probe this manager sent and still knows, else "".
// It implements receiver.Probes.
func (m *Manager) Probe(r *http.Request) string {
	token := r.Header.Get(ProbeHeader)
	if token == "" || !strings.HasSuffix(r.URL.Path, ProbePath+token) {
		return ""
	}
	m.probes.mu.Lock()
	defer m.probes.mu.Unlock()
	p := m.probes.m[token]
	if p == nil || (!p.until.IsZero() && time.Now().After(p.until)) {
		return ""
	}
	return token
}

// Arrived records that the probe with token was committed by the receiver.
func (m *Manager) Arrived(token string) {
	m.probes.mu.Lock()
	defer m.probes.mu.Unlock()
	if p := m.probes.m[token]; p != nil && !p.closed {
		p.closed = true
		close(p.arrived)
	}
}

// probe sends one probe through public and reports whether it arrived at this receiver, and if
// not, why.
func (m *Manager) probe(ctx context.Context, public string) (bool, string) {
	token, p := m.probes.add()
	defer m.probes.done(token)
	ctx, cancel := context.WithTimeout(ctx, m.cfg.ProbeTimeout)
	defer cancel()
	target := strings.TrimRight(public, "/") + ProbePath + token
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target,
		strings.NewReader(`{"hooklens_probe":"`+token+`"}`))
	if err != nil {
		return false, "the probe could not be sent: " + err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(ProbeHeader, token)
	req.Header.Set("User-Agent", "Hooklens-probe")
	req.Header.Set("ngrok-skip-browser-warning", "1") // ngrok's free interstitial page
	resp, err := m.cfg.Client.Do(req)
	if err != nil {
		select {
		case <-p.arrived: // it got here; only the answer was lost
			return true, ""
		default:
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL holds the token: say what failed, not where
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return false, fmt.Sprintf("the probe got no answer within %v", m.cfg.ProbeTimeout)
		}
		return false, "the probe did not get through: " + err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	select {
	case <-p.arrived:
		return true, ""
	case <-time.After(time.Second):
	}
	return false, fmt.Sprintf("%s answered %s, but the probe never reached this Hooklens: the URL leads "+
		"somewhere else (another port or machine, or the tunnel is not connected yet)", public, resp.Status)
}

// Check probes the current public URL now and returns the status. ECONFLICT when no tunnel runs.
func (m *Manager) Check(ctx context.Context) (Status, error) {
	m.mu.Lock()
	gen, state := m.gen, m.state
	m.mu.Unlock()
	switch state {
	case StateOff:
		return m.Status(), backend.Errorf(backend.ECONFLICT, "no tunnel is running: start one first")
	case StateStarting:
		return m.Status(), nil
	}
	m.checkGen(ctx, gen)
	return m.Status(), nil
}

// checkGen probes the tunnel of generation gen (re-discovering ngrok's URL first) and records
// the result; it reports whether the URL is reachable.
func (m *Manager) checkGen(ctx context.Context, gen int) bool {
	m.mu.Lock()
	provider, public, state := m.provider, m.publicURL, m.state
	m.mu.Unlock()
	if provider == "" || (state != StateRunning && !(state == StateFailed && provider == ProviderNgrok)) {
		return false
	}
	if provider == ProviderNgrok {
		u, err := m.discoverNgrok(ctx)
		if err != nil {
			m.record(gen, "", false, backend.ErrorMessage(err))
			return false
		}
		public = u
	}
	ok, why := m.probe(ctx, public)
	m.record(gen, public, ok, why)
	return ok
}

// record stores a probe result for generation gen; public, when set, is the (re-discovered) URL.
func (m *Manager) record(gen int, public string, ok bool, why string) {
	m.mu.Lock()
	if m.gen != gen {
		m.mu.Unlock()
		return
	}
	if public != "" {
		m.publicURL = public
	}
	if m.provider == ProviderNgrok {
		m.state = StateRunning
		if !ok && public == "" {
			m.state = StateFailed // the agent is gone or no longer forwards here
		}
	}
	m.reach, m.errMsg, m.checkedAt = HealthReachable, "", m.cfg.Now().UTC()
	if !ok {
		m.reach, m.errMsg = HealthUnreachable, why
	}
	probe := backend.Probe{At: m.checkedAt, OK: ok, URL: m.publicURL, Reason: why}
	m.mu.Unlock()
	if m.cfg.OnProbe != nil {
		m.cfg.OnProbe(probe)
	}
	m.notify()
}

// watch rechecks generation gen in the background: first after delay, then every Interval while
// reachable, sooner (2 s, doubling) while not.
func (m *Manager) watch(gen int, delay time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	m.mu.Lock()
	if m.gen != gen {
		m.mu.Unlock()
		cancel()
		return
	}
	if m.stopWatch != nil {
		m.stopWatch()
	}
	m.stopWatch = cancel
	m.mu.Unlock()
	go func() {
		retry := 2 * time.Second
		for {
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			if m.checkGen(ctx, gen) {
				delay, retry = m.cfg.Interval, 2*time.Second
			} else if ctx.Err() == nil {
				delay, retry = min(retry, m.cfg.Interval), min(retry*2, m.cfg.Interval)
			}
		}
	}()
}
