package kit

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Serve is a running `hooklens serve` (or any program that prints "Receiver: URL" and,
// optionally, "UI: URL" on stdout).
type Serve struct {
	Cmd      *exec.Cmd
	Started  time.Time // just before the process was started
	Receiver string    // http://127.0.0.1:PORT
	UI       string    // http://127.0.0.1:PORT (without the token)
	Token    string
	Stderr   *strings.Builder
	exited   chan error
}

// StartServe starts bin serve on loopback with a fresh port pair over data and waits (at most
// 60 s) until it prints its URLs.
func StartServe(bin, data string, extra ...string) (*Serve, error) {
	token := rand.Text()
	args := append([]string{"serve", "--data", data, "--listen", "127.0.0.1:0", "--ui", "127.0.0.1:0",
		"--token", token}, extra...)
	s, err := StartProcess(bin, args...)
	if err != nil {
		return nil, err
	}
	s.Token = token
	return s, nil
}

// StartProcess starts bin with args and waits (at most 60 s) until it prints "Receiver: URL".
func StartProcess(bin string, args ...string) (*Serve, error) {
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Serve{Cmd: cmd, Stderr: &strings.Builder{}, exited: make(chan error, 1)}
	cmd.Stderr = &limitedWriter{b: s.Stderr, n: 64 << 10}
	s.Started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		s.exited <- cmd.Wait()
	}()
	deadline := time.After(60 * time.Second)
	for s.Receiver == "" || (s.UI == "" && strings.Contains(strings.Join(args, " "), "--ui")) {
		select {
		case l, ok := <-lines:
			if !ok {
				return nil, fmt.Errorf("%s exited before listening: %s", bin, s.Stderr.String())
			}
			if v, found := strings.CutPrefix(l, "Receiver: "); found {
				s.Receiver = strings.TrimSpace(v)
			}
			if v, found := strings.CutPrefix(l, "UI: "); found {
				v = strings.TrimSpace(v)
				s.UI, _, _ = strings.Cut(v, "/?")
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			return nil, fmt.Errorf("%s did not print its URLs within 60 s", bin)
		}
	}
	go func() {
		for range lines { // keep draining stdout
		}
	}()
	return s, nil
}

// PID returns the process id.
func (s *Serve) PID() int { return s.Cmd.Process.Pid }

// Stop sends SIGTERM and waits (at most 60 s, then SIGKILL) for the process to exit.
func (s *Serve) Stop() error {
	_ = s.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		return err
	case <-time.After(60 * time.Second):
		_ = s.Cmd.Process.Kill()
		return fmt.Errorf("process %d did not stop within 60 s; killed", s.PID())
	}
}

// GetJSON fetches the API path (with the token) into v; it returns the elapsed time.
func (s *Serve) GetJSON(ctx context.Context, c *http.Client, path string, v any) (time.Duration, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.UI+path, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	t0 := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	d := time.Since(t0)
	if err != nil {
		return d, res.StatusCode, err
	}
	if res.StatusCode != http.StatusOK {
		return d, res.StatusCode, fmt.Errorf("GET %s: %s: %.200s", path, res.Status, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			return d, res.StatusCode, fmt.Errorf("GET %s: %w", path, err)
		}
	}
	return d, res.StatusCode, nil
}

// Deliveries returns the health endpoint's count of stored deliveries.
func (s *Serve) Deliveries(ctx context.Context) (int64, error) {
	var h struct {
		Deliveries int64 `json:"deliveries"`
	}
	_, _, err := s.GetJSON(ctx, http.DefaultClient, "/api/v1/health", &h)
	return h.Deliveries, err
}

// SyncStats returns the health endpoint's journal syncs and captures journaled since start.
func (s *Serve) SyncStats(ctx context.Context) (syncs, captures uint64, err error) {
	var h struct {
		Sync struct {
			Syncs    uint64 `json:"syncs"`
			Captures uint64 `json:"captures"`
		} `json:"sync"`
	}
	_, _, err = s.GetJSON(ctx, http.DefaultClient, "/api/v1/health", &h)
	return h.Sync.Syncs, h.Sync.Captures, err
}

type limitedWriter struct {
	b *strings.Builder
	n int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if room := w.n - w.b.Len(); room > 0 {
		w.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// TempDir makes a fresh folder under root (os.TempDir when "").
func TempDir(root, pattern string) (string, error) {
	if root != "" {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return "", err
		}
	}
	return os.MkdirTemp(root, pattern)
}

// WaitDecoded waits (at most limit) until the newest delivery is decoded, that is until the
// background decoder has caught up; it returns how long that took.
func (s *Serve) WaitDecoded(ctx context.Context, limit time.Duration) (time.Duration, error) {
	t0 := time.Now()
	c := &http.Client{Timeout: 10 * time.Second}
	for {
		var page struct {
			Items []struct {
				Decoded bool `json:"decoded"`
			} `json:"items"`
		}
		_, _, err := s.GetJSON(ctx, c, "/api/v1/deliveries?limit=1", &page)
		if err == nil && (len(page.Items) == 0 || page.Items[0].Decoded) {
			return time.Since(t0), nil
		}
		if time.Since(t0) > limit || ctx.Err() != nil {
			return time.Since(t0), fmt.Errorf("the decoder had not caught up after %s (last error: %v)", limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
