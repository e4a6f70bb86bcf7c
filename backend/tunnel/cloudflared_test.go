//go:build linux

package tunnel_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/tunnel"
)

// fakeCloudflared is a shell script printing what `cloudflared tunnel --url …` prints for a quick
// tunnel (timestamps, INF lines, the banner box with the URL), starting a child of its own, then
// waiting until it is killed. FAKE_CF_MODE changes it: "ignore-term" ignores SIGTERM, "fail"
// exits with an ERR line, "silent" never prints a URL, "crash" exits a moment after the URL.
const fakeCloudflared = `#!/bin/sh
dir=$(dirname "$0")
echo "$@" > "$dir/args"
echo $$ > "$dir/pid"
log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
[ "$FAKE_CF_MODE" = ignore-term ] && trap '' TERM
log "INF Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use (https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps"
log "INF Requesting new quick Tunnel on trycloudflare.com..."
if [ "$FAKE_CF_MODE" = fail ]; then
  log 'ERR Error requesting quick Tunnel: failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host'
  log "failed to unmarshal quick Tunnel: invalid character"
  exit 1
fi
if [ "$FAKE_CF_MODE" != silent ]; then
  log "INF +--------------------------------------------------------------------------------------------+"
  log "INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |"
  log "INF |  https://$FAKE_CF_SUB.trycloudflare.com                                      |"
  log "INF +--------------------------------------------------------------------------------------------+"
fi
log "INF Cannot determine default configuration path. No file [config.yml config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]"
log "INF Version 2025.8.1 (Checksum 3f1c)"
log "INF GOOS: linux, GOVersion: go1.24.4, GoArch: amd64"
log "INF Settings: map[ha-connections:1 no-autoupdate:true protocol:quic url:$4]"
log "INF Generated Connector ID: 5c1f1e8e-2a0f-4a43-9bd7-1d54a0d7a1c4"
log "INF Initial protocol quic"
log "INF Starting metrics server on 127.0.0.1:20241/metrics"
log "INF Registered tunnel connection connIndex=0 connection=0b6c5f1e event=0 ip=198.41.200.233 location=ams08 protocol=quic"
if [ "$FAKE_CF_MODE" = crash ]; then sleep 0.3; log "ERR Serve tunnel error error=\"connection lost\""; exit 1; fi
sleep 1000 &
echo $! > "$dir/child"
wait
`

// installFake puts the fake first on PATH and returns its directory.
func installFake(t *testing.T, mode string) (dir, sub string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cloudflared"), []byte(fakeCloudflared), 0o755); err != nil {
		t.Fatal(err)
	}
	sub = "pour-wanted-doctrine-" + strings.ToLower(rand.Text()[:8])
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_CF_MODE", mode)
	t.Setenv("FAKE_CF_SUB", sub)
	return dir, sub
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	var pid int
	for i := 0; i < 100; i++ {
		b, err := os.ReadFile(path)
		if n, perr := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && perr == nil && n > 0 {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no pid in %s", path)
	return pid
}

// alive reports whether pid is a live process (a zombie nobody reaped yet counts as dead).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

func waitDead(t *testing.T, what string, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("%s (pid %d) is still running: orphan", what, pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCloudflared_StartStop(t *testing.T) {
	dir, sub := installFake(t, "")
	h := newHarness(t, tunnel.Config{LookPath: lookPath})
	if st := h.m.Status(); !st.Available.Cloudflared || st.Available.Ngrok {
		t.Errorf("Available = %+v; want cloudflared only", st.Available)
	}
	st, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderCloudflared})
	if err != nil {
		t.Fatalf("Start(cloudflared) = %v", err)
	}
	want := "https://" + sub + ".trycloudflare.com"
	if st.PublicURL != want || st.State != tunnel.StateRunning || st.Provider != tunnel.ProviderCloudflared {
		t.Errorf("Start = %s %s %s; want %s running", st.Provider, st.PublicURL, st.State, want)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	if got := strings.TrimSpace(string(args)); got != "tunnel --no-autoupdate --url "+h.url {
		t.Errorf("cloudflared args = %q", got)
	}
	pid, child := readPID(t, filepath.Join(dir, "pid")), readPID(t, filepath.Join(dir, "child"))
	if !alive(pid) || !alive(child) {
		t.Fatal("the fake is not running")
	}
	// Starting again keeps the running tunnel.
	if st2, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderCloudflared}); err != nil || st2.PublicURL != want {
		t.Errorf("second Start = %s, %v", st2.PublicURL, err)
	}
	st, err = h.m.Stop(context.Background())
	if err != nil || st.State != tunnel.StateOff || st.Provider != "" || st.PublicURL != "" {
		t.Errorf("Stop = %+v, %v", st, err)
	}
	waitDead(t, "cloudflared", pid, 2*time.Second)
	waitDead(t, "cloudflared's child", child, 2*time.Second)
}

func TestCloudflared_IgnoresTerm(t *testing.T) {
	dir, _ := installFake(t, "ignore-term")
	h := newHarness(t, tunnel.Config{LookPath: lookPath, StopGrace: 200 * time.Millisecond})
	if _, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderCloudflared}); err != nil {
		t.Fatal(err)
	}
	pid, child := readPID(t, filepath.Join(dir, "pid")), readPID(t, filepath.Join(dir, "child"))
	start := time.Now()
	h.m.Close() // app shutdown
	waitDead(t, "cloudflared", pid, 3*time.Second)
	waitDead(t, "cloudflared's child", child, 3*time.Second)
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("killed after %v; SIGTERM should get the grace period first", d)
	}
}

func TestCloudflared_Fails(t *testing.T) {
	installFake(t, "fail")
	h := newHarness(t, tunnel.Config{LookPath: lookPath})
	st, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderCloudflared})
	if backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(err.Error(), "no such host") {
		t.Errorf("Start = %v; want unavailable with cloudflared's error line", err)
	}
	if st.State != tunnel.StateFailed || st.Health != tunnel.HealthUnreachable || st.PublicURL != "" {
		t.Errorf("status = %s %s %q", st.State, st.Health, st.PublicURL)
	}
	if strings.Contains(st.PublicURL+st.Error, "https://api.trycloudflare.com/tunnel\" is") {
		t.Error("api.trycloudflare.com is not a tunnel URL")
	}
}

func TestCloudflared_NoURL(t *testing.T) {
	dir, _ := installFake(t, "silent")
	h := newHarness(t, tunnel.Config{LookPath: lookPath, StartTimeout: 500 * time.Millisecond, StopGrace: 100 * time.Millisecond})
	_, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderCloudflared})
	if backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(err.Error(), "no public URL within") {
		t.Errorf("Start = %v; want unavailable: no URL", err)
	}
	waitDead(t, "cloudflared", readPID(t, filepath.Join(dir, "pid")), 3*time.Second)
}

func TestCloudflared_Crash(t *testing.T) {
	installFake(t, "crash")
	changes := make(chan tunnel.Status, 100)
	h := newHarness(t, tunnel.Config{LookPath: lookPath, OnChange: func(st tunnel.Status) { changes <- st }})
	if _, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderCloudflared}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case st := <-changes:
			if st.State == tunnel.StateFailed {
				if st.Health != tunnel.HealthUnreachable || !strings.Contains(st.Error, "connection lost") {
					t.Errorf("after the crash: %s %q", st.Health, st.Error)
				}
				return
			}
		case <-deadline:
			t.Fatalf("state still %s after cloudflared exited", h.m.Status().State)
		}
	}
}

// lookPath finds only what is in the fake's directory and the system's, like exec.LookPath,
// but says ngrok is missing whatever the machine has.
func lookPath(file string) (string, error) {
	if file == "ngrok" {
		return "", os.ErrNotExist
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, file)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", os.ErrNotExist
}
