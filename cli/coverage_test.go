package cli_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

type coverageAnswer struct {
	Running bool `json:"running"`
	Gaps    []struct {
		From, To, Cause, Reason string
		Open                    bool
		Vendors                 []struct {
			Vendor  string `json:"vendor"`
			Covered bool   `json:"covered"`
			Reason  string `json:"reason"`
		} `json:"vendors"`
	} `json:"gaps"`
}

// TestCoverage_StopAndKill: a serve stopped cleanly, one killed with SIGKILL, and a third that
// answers: coverage shows a stopped gap and a killed one, between the runs, each with a verdict
// per vendor.
func TestCoverage_StopAndKill(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	begin := time.Now().UTC().Add(-time.Second)

	cmd, _, _ := serve(t, data, "--heartbeat", "100ms")
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	time.Sleep(1200 * time.Millisecond) // the stopped gap

	cmd, _, _ = serve(t, data, "--heartbeat", "100ms")
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	time.Sleep(1200 * time.Millisecond) // the killed gap

	cmd, _, ui := serve(t, data, "--heartbeat", "100ms", "--token", "tok")
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	base := strings.TrimSuffix(ui, "/?token=tok")
	req, _ := http.NewRequest("GET", base+"/api/v1/coverage?from="+begin.Format(time.RFC3339Nano), nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var cov coverageAnswer
	if err := json.NewDecoder(resp.Body).Decode(&cov); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /coverage = %d, %v", resp.StatusCode, err)
	}
	if !cov.Running || len(cov.Gaps) != 2 {
		t.Fatalf("coverage = %+v; want running with 2 gaps", cov)
	}
	stopped, killed := cov.Gaps[0], cov.Gaps[1]
	if stopped.Cause != "stopped" || killed.Cause != "killed" || stopped.Open || killed.Open {
		t.Errorf("gaps = %s, %s; want stopped then killed, both closed", stopped.Cause, killed.Cause)
	}
	for _, g := range cov.Gaps {
		from, _ := time.Parse(time.RFC3339Nano, g.From)
		to, _ := time.Parse(time.RFC3339Nano, g.To)
		if d := to.Sub(from); d < time.Second || d > 3*time.Second {
			t.Errorf("%s gap lasts %v; want about 1.2 s (+ a heartbeat for the kill)", g.Cause, d)
		}
		if len(g.Vendors) != 3 {
			t.Errorf("%s gap has %d vendor verdicts; want 3", g.Cause, len(g.Vendors))
		}
		covered := 0
		for _, v := range g.Vendors {
			if v.Covered {
				covered++
			}
		}
		if covered != 2 { // two vendors retry for longer than a second; one does not retry
			t.Errorf("%s gap: %d vendors covered; want 2: %+v", g.Cause, covered, g.Vendors)
		}
	}
}
