package progress_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklens/cli/progress"
)

// clock is a fake clock that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }
func lines(b *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}
func noLines(b *bytes.Buffer) bool { return b.Len() == 0 }

func TestLines_EveryIntervalWithRateAndTimeLeft(t *testing.T) {
	c := newClock()
	var out bytes.Buffer
	p := progress.Start(progress.Config{Out: &out, Label: "export", Unit: "deliveries", Total: 100000,
		Mode: progress.Lines, Now: c.now})
	c.advance(time.Second)
	p.Set(5000, 2_000_000)
	if !noLines(&out) {
		t.Fatalf("a line before the interval: %q", out.String())
	}
	c.advance(time.Second) // 2 s: 12000 deliveries, 8.2 MB → 4.1 MB/s, 6000/s, 88000 left → about 15 s
	p.Set(12000, 8_200_000)
	p.Set(12001, 8_200_100) // same instant: no second line
	c.advance(1999 * time.Millisecond)
	p.Set(12500, 8_300_000) // 1.999 s after the last line: none yet
	want := []string{"export: 12000/100000 deliveries, 4.1 MB/s, about 15 s left"}
	if got := lines(&out); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("lines = %q; want %q", got, want)
	}
	c.advance(time.Millisecond)
	p.Add(500, 100_000) // 4 s: 13000 deliveries, 8.4 MB → 2.1 MB/s, 3250/s, 87000 left → 27 s
	want = append(want, "export: 13000/100000 deliveries, 2.1 MB/s, about 27 s left")
	if got := lines(&out); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("lines = %q; want %q", got, want)
	}
	p.Done()
	c.advance(time.Minute)
	p.Set(100000, 1)
	if got := lines(&out); len(got) != 2 {
		t.Errorf("lines after Done = %q; want none more", got[2:])
	}
}

func TestLines_BytesAndCounts(t *testing.T) {
	cases := []struct {
		name     string
		cfg      progress.Config
		after    time.Duration
		n, bytes int64
		want     string
	}{
		{"BytesWithTotal", progress.Config{Label: "import", Total: 10_000_000}, 2 * time.Second, 3_200_000, 0,
			"import: 3.2 MB/10.0 MB, 1.6 MB/s, about 5 s left"},
		{"CountWithoutBytes", progress.Config{Label: "replay", Unit: "deliveries", Total: 500}, 4 * time.Second, 120, 0,
			"replay: 120/500 deliveries, 30 deliveries/s, about 13 s left"},
		{"SlowCount", progress.Config{Label: "replay", Unit: "deliveries", Total: 500}, 10 * time.Second, 3, 0,
			"replay: 3/500 deliveries, 0.3 deliveries/s, about 28 min left"},
		{"UnknownTotal", progress.Config{Label: "import", Unit: "files"}, 2 * time.Second, 7, 0,
			"import: 7 files, 3.5 files/s"},
		{"NothingYet", progress.Config{Label: "export", Unit: "deliveries", Total: 9}, 3 * time.Second, 0, 0,
			"export: 0/9 deliveries, 0.0 deliveries/s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock()
			var out bytes.Buffer
			tc.cfg.Out, tc.cfg.Mode, tc.cfg.Now = &out, progress.Lines, c.now
			p := progress.Start(tc.cfg)
			c.advance(tc.after)
			p.Set(tc.n, tc.bytes)
			if got := strings.TrimSuffix(out.String(), "\n"); got != tc.want {
				t.Errorf("line = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestOff_AndNil(t *testing.T) {
	var out bytes.Buffer
	p := progress.Start(progress.Config{Out: &out, Label: "export", Mode: progress.Off})
	if p != nil {
		t.Fatalf("Start(Off) = %v; want nil", p)
	}
	ran := false
	p.Set(1, 1)
	p.Add(1, 1)
	p.Pause(func() { ran = true })
	p.Done()
	if out.Len() != 0 || !ran {
		t.Errorf("a nil Progress wrote %q, ran Pause's fn: %v", out.String(), ran)
	}
}

// TestAuto_NotATerminal: a buffer (a pipe, a file) gets plain lines, never a bar's escapes.
func TestAuto_NotATerminal(t *testing.T) {
	c := newClock()
	var out bytes.Buffer
	p := progress.Start(progress.Config{Out: &out, Label: "export", Unit: "deliveries", Total: 10, Now: c.now})
	c.advance(3 * time.Second)
	p.Set(6, 0)
	if got := out.String(); got != "export: 6/10 deliveries, 2.0 deliveries/s, about 2 s left\n" {
		t.Errorf("Auto on a buffer wrote %q; want one plain line", got)
	}
	if progress.IsTerminal(&out) {
		t.Error("IsTerminal(buffer) = true")
	}
}

// TestBar_DrawsAndClears: the bar shows the label, the count and the unit, and is cleared at
// the end so the command's summary takes its line.
func TestBar_DrawsAndClears(t *testing.T) {
	var out bytes.Buffer
	p := progress.Start(progress.Config{Out: &out, Label: "export", Unit: "deliveries", Total: 40, Mode: progress.Bar})
	p.Set(10, 1000) // the first update draws at once; later ones at most every 100 ms
	drawn := out.String()
	if !strings.Contains(drawn, "export") || !strings.Contains(drawn, "(10/40, ") || !strings.Contains(drawn, "deliveries/s)") {
		t.Fatalf("bar = %q; want the label, the count 10/40 and a rate in deliveries/s", drawn)
	}
	p.Pause(func() { out.WriteString("RESULT\n") })
	paused := out.String()[len(drawn):]
	erase, again, ok := strings.Cut(paused, "RESULT\n")
	if !ok || strings.TrimSpace(erase) != "" || !strings.HasSuffix(erase, "\r") || again != drawn {
		t.Errorf("Pause wrote %q around the line; want the bar erased before it and drawn again after it", paused)
	}
	p.Done()
	after := out.String()[len(drawn)+len(paused):]
	if !strings.HasSuffix(after, "\r") || strings.TrimSpace(after) != "" {
		t.Errorf("Done wrote %q; want the bar erased (spaces and a carriage return)", after)
	}
}

func TestBytesAndLeft(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 4_100_000: "4.1 MB", 1_300_000_000: "1.3 GB"} {
		if got := progress.Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q; want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "1 s", 400 * time.Millisecond: "1 s", 20 * time.Second: "20 s",
		59 * time.Second: "59 s", 4 * time.Minute: "4 min", 65 * time.Minute: "1 h 5 min"} {
		if got := progress.Left(d); got != want {
			t.Errorf("Left(%v) = %q; want %q", d, got, want)
		}
	}
}

// TestLines_WhileWaiting: a line still comes every interval while the work does not move (a
// replay waiting between deliveries at their original pace), and none after Done.
func TestLines_WhileWaiting(t *testing.T) {
	var mu sync.Mutex // the ticker's goroutine reads the clock
	at := newClock().t
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	advance := func() { mu.Lock(); at = at.Add(time.Second); mu.Unlock() }
	var out syncBuffer
	ticks := make(chan time.Time)
	// tick wakes the goroutine, then waits until it has handled that tick: the second send
	// is taken only once the goroutine is back at its receive.
	tick := func() { ticks <- now(); ticks <- now() }
	p := progress.Start(progress.Config{Out: &out, Label: "replay", Unit: "deliveries", Total: 10,
		Mode: progress.Lines, Now: now, Ticks: ticks})
	advance()
	p.Set(2, 0)
	advance()
	tick() // 2 s: the first line, though nothing moved since 1 s
	advance()
	tick() // 3 s: only 1 s since the last line: none
	advance()
	tick() // 4 s: the second line, the rate falling
	p.Done()
	want := []string{"replay: 2/10 deliveries, 1.0 deliveries/s, about 8 s left", "replay: 2/10 deliveries, 0.5 deliveries/s, about 16 s left"}
	if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q; want %q", got, want)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
