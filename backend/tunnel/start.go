package tunnel

import (
	"context"
	"encoding/json"
	"time"

	"hooklens/backend"
)

// lastKey remembers a manual tunnel across restarts (a quick tunnel gets a new URL anyway).
const lastKey = "tunnel.last"

// Start replaces the current tunnel with the one req asks for. A cloudflared quick tunnel is
// started and Start returns once it printed its public URL (health then unknown until the first
// probe, a few seconds later); ngrok and manual URLs are probed before Start returns. Starting
// the provider already running returns its status. Errors: EINVALID for an unknown provider or a
// bad URL, EUNAVAILABLE when cloudflared is missing or fails, or no ngrok tunnel forwards here.
func (m *Manager) Start(ctx context.Context, req StartRequest) (Status, error) {
	switch req.Provider {
	case ProviderManual:
		u, err := ValidPublicURL(req.PublicURL)
		if err != nil {
			return m.Status(), err
		}
		if m.same(ProviderManual, u) {
			return m.Check(ctx)
		}
		gen := m.begin(ProviderManual, u, StateRunning, nil)
		m.saveLast(ctx, req.Provider, u)
		m.watch(gen, m.nextCheck(m.checkGen(ctx, gen)))
		return m.Status(), nil
	case ProviderNgrok:
		u, err := m.discoverNgrok(ctx)
		if err != nil {
			return m.Status(), err
		}
		if m.same(ProviderNgrok, u) {
			return m.Check(ctx)
		}
		gen := m.begin(ProviderNgrok, u, StateRunning, nil)
		m.saveLast(ctx, "", "")
		m.watch(gen, m.nextCheck(m.checkGen(ctx, gen)))
		return m.Status(), nil
	case ProviderCloudflared:
		return m.startCloudflared(ctx)
	}
	return m.Status(), backend.Errorf(backend.EINVALID, "provider %q is not known: use cloudflared, ngrok or manual", req.Provider)
}

// nextCheck is the delay before the next check after one that was reachable (ok) or not.
func (m *Manager) nextCheck(ok bool) time.Duration {
	if ok {
		return m.cfg.Interval
	}
	return min(2*time.Second, m.cfg.Interval)
}

// same reports whether provider already runs at url.
func (m *Manager) same(provider, url string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.provider == provider && m.publicURL == url && m.state == StateRunning
}

// begin ends the current tunnel and records the new one; it returns the new generation.
func (m *Manager) begin(provider, url, state string, p *process) int {
	m.mu.Lock()
	old := m.endLocked()
	m.gen++
	m.provider, m.publicURL, m.state, m.proc = provider, url, state, p
	m.errMsg, m.reach, m.checkedAt = "", "", time.Time{}
	gen := m.gen
	m.mu.Unlock()
	if old != nil {
		old.stop(m.cfg.StopGrace)
	}
	m.notify()
	return gen
}

// endLocked stops the health loop and hands back the running process, if any, for the caller to
// stop outside the lock.
func (m *Manager) endLocked() *process {
	if m.stopWatch != nil {
		m.stopWatch()
		m.stopWatch = nil
	}
	p := m.proc
	m.proc = nil
	return p
}

// Stop ends the current tunnel: cloudflared (and anything it started) is terminated, ngrok is
// left running (Hooklens did not start it) and forgotten, a manual URL is forgotten.
func (m *Manager) Stop(ctx context.Context) (Status, error) {
	m.mu.Lock()
	p := m.endLocked()
	m.gen++
	m.provider, m.publicURL, m.state, m.errMsg, m.reach, m.checkedAt = "", "", StateOff, "", "", time.Time{}
	m.mu.Unlock()
	if p != nil {
		p.stop(m.cfg.StopGrace)
	}
	m.saveLast(ctx, "", "")
	m.notify()
	return m.Status(), nil
}

// Close stops cloudflared and the health loop, at app shutdown. Unlike Stop it keeps a manual
// URL for the next start.
func (m *Manager) Close() {
	m.mu.Lock()
	p := m.endLocked()
	m.gen++
	m.state = StateOff
	m.mu.Unlock()
	if p != nil {
		p.stop(m.cfg.StopGrace)
	}
}

// Load reads the registrations and restores a manual tunnel from the last run (it is probed in
// the background). It returns the store's error.
func (m *Manager) Load(ctx context.Context) error {
	if err := m.loadRegistered(ctx); err != nil {
		return err
	}
	v, err := m.cfg.Store.Setting(ctx, lastKey)
	if err != nil || v == "" {
		return err
	}
	var last StartRequest
	if json.Unmarshal([]byte(v), &last) != nil || last.Provider != ProviderManual {
		return nil
	}
	if u, err := ValidPublicURL(last.PublicURL); err == nil {
		m.watch(m.begin(ProviderManual, u, StateRunning, nil), 0)
	}
	return nil
}

func (m *Manager) saveLast(ctx context.Context, provider, url string) {
	v := ""
	if provider != "" {
		b, _ := json.Marshal(StartRequest{Provider: provider, PublicURL: url})
		v = string(b)
	}
	if err := m.cfg.Store.SetSetting(ctx, lastKey, v); err != nil {
		m.cfg.Log.Warn("tunnel: remember the last tunnel", "err", err)
	}
}

// startCloudflared runs a quick tunnel and waits for its URL.
func (m *Manager) startCloudflared(ctx context.Context) (Status, error) {
	m.mu.Lock()
	running := m.provider == ProviderCloudflared && (m.state == StateRunning || m.state == StateStarting)
	m.mu.Unlock()
	if running {
		return m.Status(), nil
	}
	path, err := m.cfg.LookPath("cloudflared")
	if err != nil {
		return m.Status(), backend.Errorf(backend.EUNAVAILABLE,
			"cloudflared is not on PATH: install it (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/) or use ngrok or a URL of your own")
	}
	gen := m.begin(ProviderCloudflared, "", StateStarting, nil)
	m.saveLast(ctx, "", "")
	p, err := startProcess(path, []string{"tunnel", "--no-autoupdate", "--url", m.target}, m.cfg.Log)
	if err != nil {
		m.fail(gen, "cloudflared could not be started: "+err.Error())
		return m.Status(), backend.Errorf(backend.EUNAVAILABLE, "cloudflared could not be started: %v", err)
	}
	m.mu.Lock()
	if m.gen != gen { // stopped or replaced meanwhile
		m.mu.Unlock()
		p.stop(m.cfg.StopGrace)
		return m.Status(), backend.Errorf(backend.ECONFLICT, "the tunnel was stopped while cloudflared was starting")
	}
	m.proc = p
	m.mu.Unlock()

	done := make(chan error, 1)
	go func() { done <- m.awaitURL(gen, p) }()
	select {
	case err := <-done:
		return m.Status(), err
	case <-ctx.Done(): // the caller gave up waiting; the start goes on
		return m.Status(), nil
	}
}

// awaitURL waits for cloudflared's public URL, then keeps watching the process.
func (m *Manager) awaitURL(gen int, p *process) error {
	timer := time.NewTimer(m.cfg.StartTimeout)
	defer timer.Stop()
	select {
	case u := <-p.url:
		m.mu.Lock()
		if m.gen != gen {
			m.mu.Unlock()
			return backend.Errorf(backend.ECONFLICT, "the tunnel was stopped while cloudflared was starting")
		}
		m.publicURL, m.state = u, StateRunning
		m.mu.Unlock()
		m.notify()
		m.watch(gen, 2*time.Second) // a new quick tunnel takes a moment to answer
		go m.watchExit(gen, p)
		return nil
	case <-p.done:
		msg := "cloudflared exited before printing a public URL" + p.lastError()
		if m.fail(gen, msg) {
			return backend.Errorf(backend.EUNAVAILABLE, "%s", msg)
		}
		return backend.Errorf(backend.ECONFLICT, "the tunnel was stopped while cloudflared was starting")
	case <-timer.C:
		msg := "cloudflared printed no public URL within " + m.cfg.StartTimeout.String() + p.lastError()
		m.fail(gen, msg)
		p.stop(m.cfg.StopGrace)
		return backend.Errorf(backend.EUNAVAILABLE, "%s", msg)
	}
}

// watchExit marks the tunnel failed when cloudflared exits on its own.
func (m *Manager) watchExit(gen int, p *process) {
	<-p.done
	m.fail(gen, "cloudflared exited"+p.lastError())
}

// fail records that generation gen failed with msg; false when gen is no longer current.
func (m *Manager) fail(gen int, msg string) bool {
	m.mu.Lock()
	if m.gen != gen {
		m.mu.Unlock()
		return false
	}
	p := m.endLocked()
	m.state, m.errMsg, m.reach = StateFailed, msg, HealthUnreachable
	m.mu.Unlock()
	if p != nil {
		go p.stop(m.cfg.StopGrace) // reap what is left of the group
	}
	m.cfg.Log.Warn("tunnel", "err", msg)
	m.notify()
	return true
}
