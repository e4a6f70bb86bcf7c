package cli_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestStrace_SyncBeforeAck runs the real binary under strace -f, sends deliveries from several
// connections, and checks in the trace that for every delivery answered 2xx an fdatasync (or
// fsync) of the capture journal started after its record was written and completed before the
// answer was written to the socket. The same check on --sync=os must fail: the test can tell.
func TestStrace_SyncBeforeAck(t *testing.T) {
	if testing.Short() {
		t.Skip("strace")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed (scripts/deps.sh installs it): the syscall order of acknowledgements is not checked")
	}
	if out, err := exec.Command(strace, "-f", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot attach here (ptrace not permitted?): %v: %s", err, strings.TrimSpace(string(out)))
	}
	t.Run("Always", func(t *testing.T) {
		tr, acked := straceServe(t, strace, "always")
		if bad := tr.unsyncedAcks(acked); len(bad) > 0 {
			t.Fatalf("%d of %d acknowledgements were written before a journal sync covered them: %s", len(bad), len(acked), bad[0])
		}
		t.Logf("%d acknowledgements, each after a journal sync (%d syncs)", len(acked), tr.syncs)
	})
	t.Run("OS", func(t *testing.T) {
		tr, acked := straceServe(t, strace, "os")
		if bad := tr.unsyncedAcks(acked); len(bad) == 0 {
			t.Fatalf("under --sync=os all %d acknowledgements came after a journal sync: the check cannot fail", len(acked))
		}
	})
}

// straceServe runs `hooklens serve --sync=policy` under strace, sends deliveries, stops it and
// returns the parsed trace and the ids answered 200.
func straceServe(t *testing.T, strace, policy string) (*trace, []string) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "trace")
	cmd := exec.Command(strace, "-f", "-s", "1024", "-e", "trace=openat,pwrite64,fdatasync,fsync,write,writev",
		"-o", out, bin, "serve", "--data", filepath.Join(dir, "data"), "--listen", "127.0.0.1:0",
		"--ui", "127.0.0.1:0", "--sync="+policy)
	cmd, receiver, _ := startServe(t, cmd)
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				resp, err := http.Post(receiver+"/closer", "application/json", strings.NewReader(fmt.Sprintf(`{"c":%d,"i":%d}`, c, i)))
				if err != nil {
					t.Error(err)
					return
				}
				var a struct{ ID string }
				err = json.NewDecoder(resp.Body).Decode(&a)
				resp.Body.Close()
				if resp.StatusCode == 200 && err == nil {
					mu.Lock()
					acked = append(acked, a.ID)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	// SIGTERM to serve itself (strace's child): strace, told to stop, would detach and leave it.
	kids, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", cmd.Process.Pid, cmd.Process.Pid))
	pid, perr := strconv.Atoi(strings.Fields(string(kids) + " x")[0])
	if err != nil || perr != nil {
		cmd.Process.Kill()
		t.Fatalf("no serve process under strace: %v %v", err, perr)
	}
	syscall.Kill(pid, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("serve did not stop under strace")
	}
	if len(acked) == 0 {
		t.Fatal("no delivery acknowledged")
	}
	if d := os.Getenv("HOOKLENS_TRACE_DIR"); d != "" {
		b, _ := os.ReadFile(out)
		os.WriteFile(filepath.Join(d, "trace-"+policy), b, 0o644)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := parseTrace(f)
	if err != nil {
		t.Fatal(err)
	}
	if tr.journal < 0 {
		t.Fatal("the trace shows no open of the capture journal")
	}
	return tr, acked
}

// call is one system call in the trace: the lines where it started and where it returned.
type call struct {
	name       string
	fd         int
	args       string // the arguments as strace prints them (strings cut at 1024 bytes)
	start, end int
	ret        string
}

type trace struct {
	calls   []*call
	journal int // fd of the capture journal; -1 if not seen
	syncs   int
}

var (
	traceLine     = regexp.MustCompile(`^(\d+)\s+(.*)$`)
	callStart     = regexp.MustCompile(`^([a-z0-9_]+)\((.*)$`)
	resumed       = regexp.MustCompile(`^<\.\.\. ([a-z0-9_]+) resumed>(.*)$`)
	callRet       = regexp.MustCompile(`\)\s+= (-?\d+|\?)`)
	leadingDigits = regexp.MustCompile(`^\d+`)
)

// parseTrace reads the output of strace -f -o: "PID call(args) = ret", or a call cut in two by
// another thread ("PID call(args <unfinished ...>", then "PID <... call resumed>) = ret").
func parseTrace(r io.Reader) (*trace, error) {
	tr := &trace{journal: -1}
	open := map[string]*call{} // unfinished calls by pid
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 0; sc.Scan(); n++ {
		m := traceLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		pid, rest := m[1], m[2]
		if r := resumed.FindStringSubmatch(rest); r != nil {
			c := open[pid]
			if c == nil || c.name != r[1] {
				continue
			}
			delete(open, pid)
			c.end, c.args = n, c.args+r[2]
			if ret := callRet.FindStringSubmatch(r[2]); ret != nil {
				c.ret = ret[1]
			}
			tr.add(c)
			continue
		}
		s := callStart.FindStringSubmatch(rest)
		if s == nil {
			continue
		}
		c := &call{name: s[1], args: s[2], start: n, end: n}
		c.fd, _ = strconv.Atoi(leadingDigits.FindString(s[2]))
		if strings.HasSuffix(rest, "<unfinished ...>") {
			open[pid] = c
			continue
		}
		if ret := callRet.FindStringSubmatch(s[2]); ret != nil {
			c.ret = ret[1]
		}
		tr.add(c)
	}
	return tr, sc.Err()
}

func (tr *trace) add(c *call) {
	if c.name == "openat" && strings.Contains(c.args, `hooklens.db-captures"`) {
		if fd, err := strconv.Atoi(c.ret); err == nil {
			tr.journal = fd
		}
	}
	if (c.name == "fdatasync" || c.name == "fsync") && c.fd == tr.journal && c.ret == "0" {
		tr.syncs++
	}
	tr.calls = append(tr.calls, c)
}

// unsyncedAcks returns, for each id whose answer was written to a socket before a successful
// sync of the journal ran wholly between the write of its record and that answer, why.
func (tr *trace) unsyncedAcks(ids []string) []string {
	var bad []string
	for _, id := range ids {
		if err := tr.syncedBeforeAck(id); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", id, err))
		}
	}
	return bad
}

func (tr *trace) syncedBeforeAck(id string) error {
	var rec, ack *call
	for _, c := range tr.calls {
		switch {
		case rec == nil && c.name == "pwrite64" && c.fd == tr.journal && strings.Contains(c.args, id):
			rec = c
		case ack == nil && (c.name == "write" || c.name == "writev") && c.fd != tr.journal &&
			strings.Contains(c.args, "HTTP/1.1 200") && strings.Contains(c.args, id):
			ack = c
		}
	}
	switch {
	case rec == nil:
		return errors.New("no journal write of its record in the trace")
	case ack == nil:
		return errors.New("no answer with its id in the trace")
	}
	for _, c := range tr.calls {
		if (c.name == "fdatasync" || c.name == "fsync") && c.fd == tr.journal && c.ret == "0" &&
			c.start > rec.end && c.end < ack.start {
			return nil
		}
	}
	return fmt.Errorf("record written at trace line %d, answer at line %d, no journal sync wholly between", rec.end+1, ack.start+1)
}
