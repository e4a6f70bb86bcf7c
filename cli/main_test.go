package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hooklens/backend/sqlite"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hooklens-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "hooklens")
	if out, err := exec.Command("go", "build", "-o", bin, "hooklens").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serve starts `hooklens serve` on free loopback ports and returns the process and its URLs.
func serve(tb testing.TB, data string, extra ...string) (*exec.Cmd, string, string) {
	tb.Helper()
	args := append([]string{"serve", "--data", data, "--listen", "127.0.0.1:0", "--ui", "127.0.0.1:0"}, extra...)
	return startServe(tb, exec.Command(bin, args...))
}

// startServe starts cmd, a `hooklens serve`, and returns it with the URLs it printed.
func startServe(tb testing.TB, cmd *exec.Cmd) (*exec.Cmd, string, string) {
	tb.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var receiver, ui string
	for (receiver == "" || ui == "") && sc.Scan() {
		if r, ok := strings.CutPrefix(sc.Text(), "Receiver: "); ok {
			receiver = r
		} else if u, ok := strings.CutPrefix(sc.Text(), "UI: "); ok {
			ui = u
		}
	}
	if receiver == "" || ui == "" {
		cmd.Process.Kill()
		tb.Fatalf("serve did not print its URLs")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return cmd, receiver, ui
}

func TestServe_PrintsURLsAndShutsDownCleanly(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cmd, receiver, ui := serve(t, data, "--token", "abc")
	if !strings.HasPrefix(receiver, "http://127.0.0.1:") || !strings.HasSuffix(ui, "/?token=abc") {
		t.Errorf("URLs = %q %q", receiver, ui)
	}
	resp, err := http.Post(receiver+"/x", "application/json", strings.NewReader(`{"a":1}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST = %v %v", resp, err)
	}
	resp.Body.Close()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM; want 0", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("serve did not stop after SIGTERM")
	}
	fi, err := os.Stat(data)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode = %v, %v; want 0700", fi.Mode(), err)
	}
}

func TestDesktopWithoutProductionTag(t *testing.T) {
	out, err := exec.Command(bin, "--data", t.TempDir(), "--listen", "127.0.0.1:0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "built without the desktop UI") || !strings.Contains(string(out), "hooklens serve") {
		t.Errorf("hooklens (no production tag) = %v %s; want a clear error pointing to serve", err, out)
	}
}

// TestCrash_Kill9UnderLoad kills serve with SIGKILL at random moments under concurrent load, five
// times; after each kill every acknowledged delivery must be stored byte-exact and the store
// must pass integrity_check.
func TestCrash_Kill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("process crash test")
	}
	data := filepath.Join(t.TempDir(), "data")
	acked := map[string][]byte{}
	var mu sync.Mutex
	totalAcked, totalFailed := 0, 0
	for round := 0; round < 5; round++ {
		// A killed process loses nothing under either sync policy: the rounds alternate.
		cmd, receiver, _ := serve(t, data, "--sync="+[]string{"always", "os"}[round%2])
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
		for w := 0; w < 16; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				for i := 0; ctx.Err() == nil; i++ {
					body := make([]byte, 16+r.IntN(8192))
					for j := range body {
						body[j] = byte(r.UintN(256))
					}
					copy(body, fmt.Sprintf("r%dw%di%d|", round, w, i))
					resp, err := client.Post(receiver+"/crash", "application/octet-stream", bytes.NewReader(body))
					if err != nil {
						mu.Lock()
						totalFailed++
						mu.Unlock()
						continue
					}
					var a struct{ ID string }
					decErr := json.NewDecoder(resp.Body).Decode(&a)
					resp.Body.Close()
					mu.Lock()
					if resp.StatusCode == 200 && decErr == nil && a.ID != "" {
						acked[a.ID] = body
						totalAcked++
					} else {
						totalFailed++
					}
					mu.Unlock()
				}
			}(w)
		}
		time.Sleep(time.Duration(150+rand.IntN(600)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		stop()
		wg.Wait()

		db := sqlite.NewDB(filepath.Join(data, "hooklens.db"))
		if err := db.Open(); err != nil {
			t.Fatalf("round %d: reopen after kill -9: %v", round, err)
		}
		if err := db.IntegrityCheck(context.Background()); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		missing := 0
		for id, body := range acked {
			v, err := db.FindDeliveryByID(context.Background(), id)
			if err != nil || !bytes.Equal(v.Body, body) {
				missing++
			}
		}
		db.Close()
		if missing > 0 {
			t.Fatalf("round %d: %d of %d acknowledged deliveries missing or changed after kill -9", round, missing, len(acked))
		}
	}
	t.Logf("5 kill -9 rounds: %d acknowledged (all stored byte-exact), %d unanswered or refused", totalAcked, totalFailed)
	if totalAcked < 100 {
		t.Errorf("only %d deliveries acknowledged under load; the test did not exercise the store", totalAcked)
	}
}

// TestCorruptStoreMovedAside: a damaged store file is moved aside with a message, never
// overwritten, and a new store starts.
func TestCorruptStoreMovedAside(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(data, 0o700)
	garbage := bytes.Repeat([]byte("this is not a database "), 1000)
	if err := os.WriteFile(filepath.Join(data, "hooklens.db"), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--data", data, "--listen", "127.0.0.1:0", "--ui", "127.0.0.1:0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sc := bufio.NewScanner(out)
	receiver := ""
	for receiver == "" && sc.Scan() {
		receiver, _ = strings.CutPrefix(sc.Text(), "Receiver: ")
	}
	if receiver == "" {
		t.Fatalf("serve did not start on a corrupt store; stderr: %s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "moved to") {
		t.Errorf("stderr = %q; want a message saying where the damaged store went", stderr.String())
	}
	moved, _ := filepath.Glob(filepath.Join(data, "hooklens.db.corrupt-*"))
	if len(moved) != 1 {
		t.Fatalf("moved-aside files = %v; want one", moved)
	}
	if b, _ := os.ReadFile(moved[0]); !bytes.Equal(b, garbage) {
		t.Errorf("the damaged file was changed when moved aside")
	}
	resp, err := http.Post(receiver+"/after", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST to the new store = %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestServe_NonLoopbackUIWarns: the UI binds where it is told, and warns when that is not loopback.
func TestServe_NonLoopbackUIWarns(t *testing.T) {
	cmd := exec.Command(bin, "serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0", "--ui", "0.0.0.0:0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "UI: ") {
	}
	// The warning is written before the URLs; Wait returns once stderr has been copied.
	cmd.Process.Kill()
	cmd.Wait()
	if !strings.Contains(stderr.String(), "WARNING") || !strings.Contains(stderr.String(), "not loopback") {
		t.Errorf("stderr = %q; want a warning that the UI is not on loopback", stderr.String())
	}
}

// TestServe_ReadOnlyStore: when the store's files (database, WAL, capture journal) stop taking
// writes under a running serve, the receiver answers 503 (never 2xx), health reports the fault,
// and once they take writes again it stores again by itself. A live filesystem cannot be remounted read-only while the store holds
// files open for writing, so the files are made immutable (chattr +i: every write through an
// open descriptor then fails, as on a filesystem the kernel turned read-only), then mutable again.
func TestServe_ReadOnlyStore(t *testing.T) {
	data := t.TempDir()
	probe := filepath.Join(data, "probe")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("chattr", "+i", probe).CombinedOutput(); err != nil {
		t.Skipf("chattr +i is not available here (needs root and a filesystem with attributes): %v %s", err, out)
	}
	exec.Command("chattr", "-i", probe).Run()
	cmd, receiver, ui := serve(t, data, "--token", "t")
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	files := []string{filepath.Join(data, "hooklens.db"), filepath.Join(data, "hooklens.db-wal"),
		filepath.Join(data, "hooklens.db-captures")}
	chattr := func(flag string) {
		t.Helper()
		if out, err := exec.Command("chattr", append([]string{flag}, files...)...).CombinedOutput(); err != nil {
			t.Fatalf("chattr %s: %v %s", flag, err, out)
		}
	}
	defer exec.Command("chattr", append([]string{"-i"}, files...)...).Run() // let TempDir be removed
	post := func() int {
		t.Helper()
		resp, err := http.Post(receiver+"/ro", "application/json", strings.NewReader(`{"n":"`+strings.Repeat("x", 8000)+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	health := func() string {
		t.Helper()
		base, _, _ := strings.Cut(ui, "?")
		req, _ := http.NewRequest("GET", strings.TrimSuffix(base, "/")+"/api/v1/health", nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := post(); got != 200 {
		t.Fatalf("POST before the fault = %d", got)
	}
	chattr("+i")
	for i := 0; i < 5; i++ {
		if got := post(); got != http.StatusServiceUnavailable {
			t.Fatalf("POST while the store takes no writes = %d; want 503", got)
		}
	}
	if h := health(); !strings.Contains(h, `"state":"failing"`) {
		t.Errorf("health while the store takes no writes = %s; want the store failing", h)
	}
	chattr("-i")
	for end := time.Now().Add(10 * time.Second); post() != 200; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the receiver did not store again within 10 s of the store taking writes again")
		}
	}
	if h := health(); !strings.Contains(h, `"deliveries":2`) || strings.Contains(h, "failing") {
		t.Errorf("health after recovery = %s; want the 2 acknowledged deliveries and no fault", h)
	}
}
