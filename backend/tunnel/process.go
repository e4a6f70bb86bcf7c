package tunnel

import (
	"bufio"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"
)

// quickURL matches the address of a cloudflared quick tunnel; api.trycloudflare.com, which
// appears in its error lines, is the service that hands them out, not a tunnel.
var quickURL = regexp.MustCompile(`https://([a-z0-9-]+)\.trycloudflare\.com\b`)

// findQuickURL returns the quick-tunnel URL in one line of cloudflared output, "" if none.
func findQuickURL(line string) string {
	for _, m := range quickURL.FindAllStringSubmatch(line, -1) {
		if m[1] != "api" {
			return m[0]
		}
	}
	return ""
}

// process is a running cloudflared, in a process group of its own.
type process struct {
	cmd  *exec.Cmd
	url  chan string   // receives the first public URL printed
	done chan struct{} // closed once the process has exited
	eof  chan struct{} // closed once its output is read to the end

	mu    sync.Mutex
	lines []string // last lines of output, for error messages
	stops sync.Once
}

const keepLines = 30

// startProcess starts path with args, its stdout and stderr read line by line.
func startProcess(path string, args []string, log *slog.Logger) (*process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = w, w
	setProcAttr(cmd)
	p := &process{cmd: cmd, url: make(chan string, 1), done: make(chan struct{}), eof: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// On Linux the child gets SIGKILL when the thread that started it ends (Pdeathsig, so a
		// crash of Hooklens leaves no tunnel behind): keep that thread for this goroutine until
		// the child has exited.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(p.done)
	}()
	err = <-started
	w.Close() // the child has its own copy; EOF comes when every holder closed it
	if err != nil {
		r.Close()
		return nil, err
	}
	go p.read(r, log)
	return p, nil
}

// read follows the output until EOF, keeping the last lines and sending the first URL.
func (p *process) read(r io.ReadCloser, log *slog.Logger) {
	defer close(p.eof)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	found := false
	for sc.Scan() {
		line := sc.Text()
		log.Debug("cloudflared", "line", line)
		p.mu.Lock()
		p.lines = append(p.lines, line)
		if len(p.lines) > keepLines {
			p.lines = p.lines[len(p.lines)-keepLines:]
		}
		p.mu.Unlock()
		if !found {
			if u := findQuickURL(line); u != "" {
				found = true
				p.url <- u
			}
		}
	}
}

// lastError returns ": " and the last error line cloudflared printed (or its last line), "" when
// it printed nothing. Once the process has exited it first lets the reader catch up (briefly: a
// child still holding the pipe would keep it open).
func (p *process) lastError() string {
	select {
	case <-p.done:
		select {
		case <-p.eof:
		case <-time.After(time.Second):
		}
	default:
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.lines) - 1; i >= 0; i-- {
		if strings.Contains(p.lines[i], " ERR ") || strings.Contains(p.lines[i], "error") {
			return ": " + strings.TrimSpace(p.lines[i])
		}
	}
	if n := len(p.lines); n > 0 {
		return ": " + strings.TrimSpace(p.lines[n-1])
	}
	return ""
}

// stop terminates the process group: SIGTERM, then SIGKILL after grace for whatever is left
// (cloudflared itself if it ignored SIGTERM, or children it started). Safe to call more than once.
func (p *process) stop(grace time.Duration) {
	p.stops.Do(func() {
		select {
		case <-p.done:
		default:
			terminate(p.cmd)
			select {
			case <-p.done:
			case <-time.After(grace):
			}
		}
		kill(p.cmd)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
		}
	})
}
