// Package progress shows how far long terminal work got: on a terminal a bar with the count, the
// rate and the time left (github.com/schollz/progressbar/v3); elsewhere (a pipe, a log file, CI)
// a plain line every few seconds, such as
//
//	export: 12000/100000 deliveries, 4.1 MB/s, about 20 s left
//
// It writes only to the writer it is given (standard error in the commands), so standard output
// stays clean for pipes. A nil *Progress does nothing, so callers need not check.
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Mode says how progress is shown.
type Mode int

const (
	// Auto is Bar when the writer is a terminal, else Lines.
	Auto Mode = iota
	// Bar redraws one line in place (a terminal).
	Bar
	// Lines writes a plain line every Config.Every.
	Lines
	// Off shows nothing.
	Off
)

// DefaultEvery is how often Lines writes a line.
const DefaultEvery = 2 * time.Second

// Config describes one piece of work.
type Config struct {
	Out   io.Writer // where progress goes (standard error)
	Label string    // what is done ("export"), heads every line
	// Unit names what is counted ("deliveries"); "" counts bytes.
	Unit string
	// Total is how many units (or bytes) the work has; 0 or less when unknown.
	Total int64
	Mode  Mode
	// Every is how often Lines writes a line; 0 is DefaultEvery.
	Every time.Duration
	// Now is the clock; nil is time.Now. Tests fix it.
	Now func() time.Time
	// Ticks wakes Lines while the work does not move (a replay waiting between deliveries),
	// so that a line still comes every Every; nil is a ticker of Every. Tests give their own.
	Ticks <-chan time.Time
}

// Progress is one piece of work under way. Its methods are safe for concurrent use.
type Progress struct {
	cfg Config

	mu       sync.Mutex
	start    time.Time
	last     time.Time // when Lines last wrote
	n, bytes int64
	bar      *progressbar.ProgressBar
	done     bool
	stop     chan struct{} // closed by Done: the Lines ticker ends
}

// Start begins showing progress as cfg says; it returns nil (which does nothing) for Off.
func Start(cfg Config) *Progress {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Every <= 0 {
		cfg.Every = DefaultEvery
	}
	if cfg.Mode == Auto {
		cfg.Mode = Lines
		if IsTerminal(cfg.Out) {
			cfg.Mode = Bar
		}
	}
	if cfg.Mode == Off || cfg.Out == nil {
		return nil
	}
	p := &Progress{cfg: cfg, start: cfg.Now()}
	p.last = p.start
	if cfg.Mode == Bar {
		p.bar = newBar(cfg)
		return p
	}
	p.stop = make(chan struct{})
	go p.tick()
	return p
}

// tick writes a line at each tick when none was written for Every, once the work has started,
// until Done.
func (p *Progress) tick() {
	ticks := p.cfg.Ticks
	if ticks == nil {
		t := time.NewTicker(p.cfg.Every)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-p.stop:
			return
		case <-ticks:
			p.mu.Lock()
			if p.n > 0 { // once the work has started: before, there is no rate to tell
				p.update(p.n, p.bytes)
			}
			p.mu.Unlock()
		}
	}
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newBar is the terminal bar: label, bar, count (or bytes), rate and time left; it clears itself
// when done, so the command's own summary line takes its place.
func newBar(cfg Config) *progressbar.ProgressBar {
	total := cfg.Total
	if total <= 0 {
		total = -1 // a spinner
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(cfg.Out),
		progressbar.OptionSetDescription(cfg.Label),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSpinnerType(14),
	}
	if cfg.Unit == "" {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionSetItsString(cfg.Unit))
	}
	return progressbar.NewOptions64(total, opts...)
}

// Set says how far the work got: n units done (bytes when the unit is bytes) and, when the
// units are not bytes, the bytes they held (0 when not known: the rate is then in units).
func (p *Progress) Set(n, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.update(n, bytes)
}

// Add is Set with n and bytes added to what was done.
func (p *Progress) Add(n, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.update(p.n+n, p.bytes+bytes)
}

// update records how far the work got and shows it; p.mu is held.
func (p *Progress) update(n, bytes int64) {
	if p.done {
		return
	}
	p.n, p.bytes = n, bytes
	if p.bar != nil {
		p.bar.Set64(n)
		return
	}
	if now := p.cfg.Now(); now.Sub(p.last) >= p.cfg.Every {
		p.last = now
		fmt.Fprintln(p.cfg.Out, p.line(now))
	}
}

// Pause runs fn (which writes to the same terminal, such as a result line on standard output)
// with the bar taken off the screen, then draws the bar again below what fn wrote.
func (p *Progress) Pause(fn func()) {
	if p == nil {
		fn()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || p.done {
		fn()
		return
	}
	p.bar.Clear()
	fn()
	// Draw the bar again as it last was: the next update may come after the bar's throttle.
	if s := p.bar.String(); s != "" {
		io.WriteString(p.cfg.Out, "\r"+strings.TrimPrefix(s, "\r"))
	}
}

// Done ends the work: the bar is cleared; Lines writes nothing more.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	if p.stop != nil {
		close(p.stop)
	}
	if p.bar != nil {
		p.bar.Exit()
		p.bar.Clear()
	}
}

// line is the plain line at now: "export: 120/500 deliveries, 4.1 MB/s, about 20 s left".
func (p *Progress) line(now time.Time) string {
	var b strings.Builder
	b.WriteString(p.cfg.Label)
	b.WriteString(": ")
	count := func(v int64) string {
		if p.cfg.Unit == "" {
			return Bytes(v)
		}
		return fmt.Sprint(v)
	}
	b.WriteString(count(p.n))
	if p.cfg.Total > 0 {
		b.WriteString("/" + count(p.cfg.Total))
	}
	if p.cfg.Unit != "" {
		b.WriteString(" " + p.cfg.Unit)
	}
	secs := now.Sub(p.start).Seconds()
	if secs <= 0 {
		return b.String()
	}
	switch {
	case p.cfg.Unit == "":
		b.WriteString(", " + Bytes(int64(float64(p.n)/secs)) + "/s")
	case p.bytes > 0:
		b.WriteString(", " + Bytes(int64(float64(p.bytes)/secs)) + "/s")
	default:
		fmt.Fprintf(&b, ", %s %s/s", rate(float64(p.n)/secs), p.cfg.Unit)
	}
	if p.cfg.Total > 0 && p.n > 0 && p.n <= p.cfg.Total {
		left := time.Duration(float64(p.cfg.Total-p.n) / (float64(p.n) / secs) * float64(time.Second))
		b.WriteString(", about " + Left(left) + " left")
	}
	return b.String()
}

// rate is a count per second, whole when it is large, to one decimal when it is small.
func rate(v float64) string {
	if v >= 10 {
		return fmt.Sprint(int64(math.Round(v)))
	}
	return fmt.Sprintf("%.1f", v)
}

// Bytes is a size in decimal units: "512 B", "4.1 kB", "12.0 MB", "1.3 GB".
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", v, "kMGT"[i])
}

// Left is a time left, coarse as estimates are: "3 s", "20 s", "4 min", "1 h 5 min".
func Left(d time.Duration) string {
	s := int64(math.Ceil(d.Seconds()))
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", max(s, 1))
	case s < 3600:
		return fmt.Sprintf("%d min", (s+30)/60)
	}
	m := (s + 30) / 60
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}
