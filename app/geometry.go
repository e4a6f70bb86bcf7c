package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"
)

// keyWindow is the settings key that keeps the window's geometry between runs.
const keyWindow = "desktop.window"

// geometryPoll is how often the window's size and position are read; a change is saved once it
// has held for one more poll (a drag or resize in progress is not saved at every step).
const geometryPoll = time.Second

// visibleMargin is how much of a restored window stays on the screen at least.
const visibleMargin = 120

// geometry is where the window was and how big, in the units Wails uses (logical pixels; the
// position relative to the monitor). Maximised keeps the size it had before being maximised.
type geometry struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised,omitempty"`
}

// parseGeometry reads a stored geometry; ok is false when there is none or it is unreadable.
func parseGeometry(s string) (g geometry, ok bool) {
	if s == "" || json.Unmarshal([]byte(s), &g) != nil || g.Width <= 0 || g.Height <= 0 {
		return geometry{}, false
	}
	return g, true
}

// fit returns g made usable: at least the minimum size, at most the screen (when its size is
// known, w and h > 0), and placed so that the window is on the screen.
func (g geometry) fit(w, h int) geometry {
	g.Width, g.Height = max(g.Width, minWidth), max(g.Height, minHeight)
	if w > 0 && h > 0 {
		g.Width, g.Height = min(g.Width, max(w, minWidth)), min(g.Height, max(h, minHeight))
		g.X = clamp(g.X, 0, max(0, w-g.Width))
		g.Y = clamp(g.Y, 0, max(0, h-g.Height))
	} else {
		// Unknown screen: keep at least visibleMargin pixels on a screen starting at 0, 0.
		g.X, g.Y = max(g.X, visibleMargin-g.Width), max(g.Y, 0)
	}
	return g
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// tracker follows the window's geometry and saves it when it changes.
type tracker struct {
	sh   shell
	save func(geometry) error

	mu      sync.Mutex
	cur     geometry // last geometry read
	pending bool     // cur changed at the last poll: save it when it holds
	saved   geometry
	known   bool // cur was read at least once (or restored)
}

// newTracker starts from the geometry the window was given (zero when none); stored is what
// the store holds, so a geometry that had to be fitted to the screen is saved fitted.
func newTracker(sh shell, start, stored geometry, save func(geometry) error) *tracker {
	return &tracker{sh: sh, save: save, cur: start, saved: stored, known: start.Width > 0}
}

// sample reads the window. A maximised window keeps its last normal size and position; a
// minimised or fullscreen one is not recorded. It reports whether the geometry changed.
func (t *tracker) sample() bool {
	next, ok := t.read()
	if !ok {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	changed := next != t.cur
	t.cur, t.known = next, true
	return changed
}

func (t *tracker) read() (geometry, bool) {
	t.mu.Lock()
	g := t.cur
	t.mu.Unlock()
	switch {
	case t.sh.maximised():
		g.Maximised = true
		return g, g.Width > 0
	case !t.sh.normal():
		return g, false
	}
	w, h := t.sh.size()
	x, y := t.sh.position()
	if w <= 0 || h <= 0 {
		return g, false
	}
	return geometry{X: x, Y: y, Width: w, Height: h}, true
}

// poll is one tick: a change is remembered, and saved at the next tick if it held.
func (t *tracker) poll() {
	changed := t.sample()
	t.mu.Lock()
	hold := t.pending && !changed
	t.pending = changed
	t.mu.Unlock()
	if hold {
		t.flush()
	}
}

// flush saves the current geometry if it differs from the saved one; it never touches the window.
func (t *tracker) flush() {
	t.mu.Lock()
	g, known := t.cur, t.known
	if !known || g == t.saved {
		t.mu.Unlock()
		return
	}
	t.saved = g
	t.mu.Unlock()
	if err := t.save(g); err != nil {
		slog.Warn("desktop: window geometry not saved", "err", err)
	}
}

// run polls until ctx is done.
func (t *tracker) run(ctx context.Context) {
	tick := time.NewTicker(geometryPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if ctx.Err() == nil {
				t.poll()
			}
		}
	}
}

// loadGeometry reads the saved geometry through get; ok is false when there is none.
func loadGeometry(get func(ctx context.Context, key string) (string, error)) (geometry, bool) {
	if get == nil {
		return geometry{}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s, err := get(ctx, keyWindow)
	if err != nil {
		slog.Warn("desktop: saved window geometry unreadable", "err", err)
		return geometry{}, false
	}
	return parseGeometry(s)
}

// geometrySaver stores a geometry through set.
func geometrySaver(set func(ctx context.Context, key, value string) error) func(geometry) error {
	return func(g geometry) error {
		b, _ := json.Marshal(g)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return set(ctx, keyWindow, string(b))
	}
}
