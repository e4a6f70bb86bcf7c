package tunnel

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hooklens/backend"
)

// ngrokTunnels is the part of the agent's GET /api/tunnels answer Hooklens reads.
type ngrokTunnels struct {
	Tunnels []struct {
		Name      string `json:"name"`
		PublicURL string `json:"public_url"`
		Proto     string `json:"proto"`
		Config    struct {
			Addr string `json:"addr"`
		} `json:"config"`
	} `json:"tunnels"`
}

// discoverNgrok asks the running ngrok agent for the https tunnel that forwards to the receiver's
// port. It returns an EUNAVAILABLE error saying what to do when there is none.
func (m *Manager) discoverNgrok(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	api := strings.TrimRight(m.cfg.NgrokAPI, "/") + "/api/tunnels"
	hint := "start one with `ngrok http " + m.port + "`"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api, nil)
	if err != nil {
		return "", backend.Errorf(backend.EINVALID, "ngrok API address %q: %v", m.cfg.NgrokAPI, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := m.cfg.Client.Do(req)
	if err != nil {
		return "", backend.Errorf(backend.EUNAVAILABLE, "no ngrok agent answers at %s: %s", m.cfg.NgrokAPI, hint)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", backend.Errorf(backend.EUNAVAILABLE, "the ngrok agent at %s answered %s", m.cfg.NgrokAPI, resp.Status)
	}
	var list ngrokTunnels
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&list); err != nil {
		return "", backend.Errorf(backend.EUNAVAILABLE, "the ngrok agent at %s answered something unexpected: %v", m.cfg.NgrokAPI, err)
	}
	var others []string
	for _, t := range list.Tunnels {
		if !strings.HasPrefix(t.PublicURL, "https://") {
			continue
		}
		if m.forwardsHere(t.Config.Addr) {
			return strings.TrimRight(t.PublicURL, "/"), nil
		}
		others = append(others, t.PublicURL+" → "+t.Config.Addr)
	}
	if len(others) == 0 {
		return "", backend.Errorf(backend.EUNAVAILABLE, "ngrok runs but has no https tunnel: %s", hint)
	}
	return "", backend.Errorf(backend.EUNAVAILABLE, "ngrok runs, but none of its tunnels forwards to the receiver's port %s (%s): %s",
		m.port, strings.Join(others, ", "), hint)
}

// forwardsHere reports whether an ngrok upstream address ("8787", "localhost:8787",
// "http://127.0.0.1:8787") is the receiver: its port, on loopback or the receiver's own host.
func (m *Manager) forwardsHere(addr string) bool {
	scheme, rest, ok := strings.Cut(addr, "://")
	if !ok {
		scheme, rest = "", addr
	}
	rest, _, _ = strings.Cut(rest, "/")
	if _, err := strconv.Atoi(rest); err == nil {
		return rest == m.port
	}
	host, port, err := net.SplitHostPort(rest)
	if err != nil {
		host, port = rest, map[string]string{"http": "80", "https": "443"}[scheme]
	}
	if port != m.port {
		return false
	}
	if host == "" || host == "localhost" || host == m.host {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
