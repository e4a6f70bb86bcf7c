package app

import (
	"context"
	"encoding/json"
	"testing"
	"testing/fstest"
	"time"
)

func TestGeometryFit(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     geometry
		sw, sh int
		want   geometry
	}{
		{"fits", geometry{X: 10, Y: 20, Width: 1000, Height: 700}, 1920, 1080, geometry{X: 10, Y: 20, Width: 1000, Height: 700}},
		{"too small", geometry{X: 10, Y: 20, Width: 300, Height: 100}, 1920, 1080, geometry{X: 10, Y: 20, Width: minWidth, Height: minHeight}},
		{"bigger than the screen", geometry{X: 0, Y: 0, Width: 4000, Height: 3000}, 1280, 800, geometry{Width: 1280, Height: 800}},
		{"off to the right", geometry{X: 3000, Y: 900, Width: 1000, Height: 700}, 1920, 1080, geometry{X: 920, Y: 380, Width: 1000, Height: 700}},
		{"negative", geometry{X: -500, Y: -40, Width: 1000, Height: 700}, 1920, 1080, geometry{X: 0, Y: 0, Width: 1000, Height: 700}},
		{"screen smaller than minimum", geometry{X: 50, Y: 50, Width: 1000, Height: 700}, 800, 500, geometry{X: 0, Y: 0, Width: minWidth, Height: minHeight}},
		{"maximised kept", geometry{X: 5, Y: 5, Width: 1000, Height: 700, Maximised: true}, 1920, 1080, geometry{X: 5, Y: 5, Width: 1000, Height: 700, Maximised: true}},
		{"unknown screen", geometry{X: -2000, Y: -10, Width: 1000, Height: 700}, 0, 0, geometry{X: visibleMargin - 1000, Y: 0, Width: 1000, Height: 700}},
	} {
		if got := c.in.fit(c.sw, c.sh); got != c.want {
			t.Errorf("%s: fit(%+v, %dx%d) = %+v; want %+v", c.name, c.in, c.sw, c.sh, got, c.want)
		}
	}
}

func TestParseGeometry(t *testing.T) {
	if _, ok := parseGeometry(""); ok {
		t.Error("empty parsed")
	}
	if _, ok := parseGeometry("{"); ok {
		t.Error("broken JSON parsed")
	}
	if _, ok := parseGeometry(`{"x":1,"y":2,"width":0,"height":5}`); ok {
		t.Error("zero width parsed")
	}
	g, ok := parseGeometry(`{"x":1,"y":2,"width":1000,"height":700,"maximised":true}`)
	if !ok || g != (geometry{1, 2, 1000, 700, true}) {
		t.Errorf("parse = %+v, %v", g, ok)
	}
}

func TestTrackerSavesOnceStable(t *testing.T) {
	sh := &fakeShell{x: 10, y: 10, w: 1000, h: 700}
	var saved []geometry
	start := geometry{X: 10, Y: 10, Width: 1000, Height: 700}
	tr := newTracker(sh, start, start, func(g geometry) error { saved = append(saved, g); return nil })
	tr.poll()
	if len(saved) != 0 {
		t.Fatalf("saved %v with nothing changed", saved)
	}
	sh.setSize(1100, 750) // a resize in progress
	tr.poll()
	sh.setSize(1200, 760)
	tr.poll()
	if len(saved) != 0 {
		t.Fatalf("saved %v while still changing", saved)
	}
	tr.poll() // held one poll
	if len(saved) != 1 || saved[0] != (geometry{X: 10, Y: 10, Width: 1200, Height: 760}) {
		t.Fatalf("saved %v; want the final size once", saved)
	}
	sh.maximise()
	tr.poll()
	tr.poll()
	if len(saved) != 2 || saved[1] != (geometry{X: 10, Y: 10, Width: 1200, Height: 760, Maximised: true}) {
		t.Fatalf("maximised: saved %v; want the normal size with maximised", saved)
	}
	sh.mu.Lock()
	sh.isMax, sh.isMin = false, true
	sh.mu.Unlock()
	tr.poll()
	tr.poll()
	tr.flush()
	if len(saved) != 2 {
		t.Fatalf("minimised: saved %v; want nothing new", saved)
	}
}

func TestTrackerFlushWithoutReading(t *testing.T) {
	var saved []geometry
	tr := newTracker(&fakeShell{}, geometry{}, geometry{}, func(g geometry) error { saved = append(saved, g); return nil })
	tr.flush()
	if len(saved) != 0 {
		t.Errorf("flushed %v before the window was ever read", saved)
	}
}

// TestRestoreAndRemember runs the window's life with a fake shell: the saved geometry is fitted
// to the screen, the window starts hidden and is shown once placed, and what it is at close is
// saved.
func TestRestoreAndRemember(t *testing.T) {
	store := newMemSettings()
	store.values[keyWindow] = `{"x":2000,"y":40,"width":500,"height":700}`
	o := Options{Assets: fstest.MapFS{"index.html": {}}, Setting: store.Setting, SetSetting: store.SetSetting}
	sh := &fakeShell{screenW: 1280, screenH: 800}
	d := newDesktop(o)
	d.newShell = func(context.Context) shell { return sh }
	d.emit = func(context.Context, string, ...any) {}
	d.on = (&pageEvents{}).on
	ao := d.appOptions()
	if !ao.StartHidden || ao.Width != minWidth || ao.Height != 700 {
		t.Fatalf("options: hidden %v, %dx%d; want hidden at %dx700", ao.StartHidden, ao.Width, ao.Height, minWidth)
	}
	d.startup(context.Background())
	d.domReady(context.Background())
	waitFor(t, func() bool { sh.mu.Lock(); defer sh.mu.Unlock(); return sh.shown == 1 })
	if x, y := sh.position(); x != 1280-minWidth || y != 40 {
		t.Errorf("placed at %d,%d; want %d,40", x, y, 1280-minWidth)
	}
	d.domReady(context.Background()) // a reload: nothing happens again
	sh.setPosition(33, 44)
	if d.beforeClose(context.Background()) {
		t.Fatal("beforeClose prevented closing")
	}
	d.shutdown(context.Background())
	var g geometry
	if err := json.Unmarshal([]byte(store.get(keyWindow)), &g); err != nil || g != (geometry{X: 33, Y: 44, Width: minWidth, Height: 700}) {
		t.Errorf("saved %q; want the geometry at close", store.get(keyWindow))
	}
	time.Sleep(10 * time.Millisecond)
	if sh.shown != 1 {
		t.Errorf("shown %d times", sh.shown)
	}
}

func TestNoSavedGeometry(t *testing.T) {
	store := newMemSettings()
	d := newDesktop(Options{Setting: store.Setting, SetSetting: store.SetSetting})
	if o := d.appOptions(); o.StartHidden || o.Width != width || o.Height != height {
		t.Errorf("first run: hidden %v %dx%d; want shown at the default size", o.StartHidden, o.Width, o.Height)
	}
}
