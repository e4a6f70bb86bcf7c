package cli_test

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSharedStore: commands run on the data directory of a running serve (export, simulate
// reading the stored secrets) leave its capture journal alone, a second serve on it refuses to
// start, and every delivery the first one acknowledged is stored.
func TestSharedStore(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cmd, receiver, _ := serve(t, data)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	acked := 0
	post := func(n int) {
		t.Helper()
		for i := range n {
			body := fmt.Sprintf(`{"n":%d,"s":"%s"}`, acked, strings.Repeat("x", 200))
			resp, err := http.Post(receiver+"/shared/"+fmt.Sprint(i), "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				t.Fatalf("POST = %d", resp.StatusCode)
			}
			acked++
		}
	}
	post(40)
	for range 3 {
		if _, errOut, code := runBin(t, "export", "--data", data, "--format", "ndjson", "--out", filepath.Join(t.TempDir(), "x.ndjson")); code != 0 {
			t.Fatalf("export beside a running serve: exit %d\n%s", code, errOut)
		}
		post(20)
	}
	if _, errOut, code := runBin(t, "simulate", "livechat", "--data", data, "--to", receiver); code != 0 {
		t.Fatalf("simulate --data beside a running serve: exit %d\n%s", code, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	second := exec.CommandContext(ctx, bin, "serve", "--data", data, "--listen", "127.0.0.1:0", "--ui", "127.0.0.1:0")
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another Hooklens") {
		t.Fatalf("a second serve on the same data = %v\n%s; want a refusal naming the other Hooklens", err, out)
	}
	post(20)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	stdout, _ := run(t, "export", "--data", data, "--format", "ndjson", "--out", "-")
	if n := strings.Count(stdout, `"path":"/shared/`); n != acked {
		t.Errorf("stored %d of the %d acknowledged deliveries", n, acked)
	}
}
