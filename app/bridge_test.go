package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func TestAPIMiddleware(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api") })
	assets := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "assets") })
	h := apiMiddleware(api)(assets)
	for path, want := range map[string]string{
		"/api/v1/health":     "api",
		"/api":               "api",
		"/":                  "assets",
		"/index.html":        "assets",
		"/apiary.js":         "assets",
		"/assets/api/x.js":   "assets",
		"/api/v1/deliveries": "api",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if got := rec.Body.String(); got != want {
			t.Errorf("GET %s served by %q; want %q", path, got, want)
		}
	}
	t.Run("NilAPI", func(t *testing.T) {
		rec := httptest.NewRecorder()
		apiMiddleware(nil)(assets).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/health", nil))
		if got := rec.Body.String(); got != "assets" {
			t.Errorf("GET /api/v1/health with no API served by %q; want assets", got)
		}
	})
}

func TestLifecycle(t *testing.T) {
	type emitted struct{ event, data string }
	var (
		mu   sync.Mutex
		got  []emitted
		shut int
	)
	feedStopped := make(chan struct{})
	d := newDesktop(Options{
		Feed: func(ctx context.Context, emit func(string, []byte)) {
			defer close(feedStopped)
			emit("deliveries", []byte(`[{"id":"1"}]`))
			<-ctx.Done()
			emit("deliveries", []byte(`[]`)) // after stop: dropped
		},
		OnShutdown: func() { shut++ },
	})
	d.emit = func(_ context.Context, event string, data ...any) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, emitted{event, data[0].(string)})
	}
	d.on = (&pageEvents{}).on
	d.startup(context.Background())
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 1 })
	if d.beforeClose(context.Background()) {
		t.Fatal("beforeClose prevented closing")
	}
	d.shutdown(context.Background())
	d.shutdown(context.Background())
	select {
	case <-feedStopped:
	default:
		t.Fatal("feed still running after shutdown")
	}
	if shut != 1 {
		t.Errorf("OnShutdown ran %d times; want 1", shut)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != (emitted{"deliveries", `[{"id":"1"}]`}) {
		t.Errorf("emitted %q; want one deliveries event with the JSON text", got)
	}
}

func TestAppOptions(t *testing.T) {
	d := newDesktop(Options{Assets: fstest.MapFS{"index.html": {Data: []byte("<html>")}}})
	o := d.appOptions()
	if o.Title != "Hooklens" || o.Width != width || o.Height != height || o.MinWidth != minWidth || o.MinHeight != minHeight {
		t.Errorf("window = %q %dx%d min %dx%d", o.Title, o.Width, o.Height, o.MinWidth, o.MinHeight)
	}
	if o.AssetServer == nil || o.AssetServer.Assets == nil || o.AssetServer.Middleware == nil {
		t.Error("asset server not configured with assets and the API middleware")
	}
	if len(o.Bind) != 0 {
		t.Errorf("Bind = %v; want nothing bound", o.Bind)
	}
	if o.Menu == nil || o.OnDomReady == nil || o.StartHidden {
		t.Errorf("menu %v, OnDomReady set %v, hidden %v; want a menu, a DOM-ready hook, shown at once (nothing to restore)",
			o.Menu != nil, o.OnDomReady != nil, o.StartHidden)
	}
	// A dropped file is imported by the frontend (DropZone, through POST /api/v1/import); Wails'
	// own file drop stays off so that the same file is not imported twice.
	if o.DragAndDrop != nil && o.DragAndDrop.EnableFileDrop {
		t.Error("Wails file drop enabled: a drop would be imported by both Go and the frontend")
	}
}

func TestRunWithoutIndex(t *testing.T) {
	shut := 0
	err := Run(Options{Assets: fstest.MapFS{".gitkeep": {}}, OnShutdown: func() { shut++ }})
	if err == nil {
		t.Fatal("Run with no index.html = nil; want an error")
	}
	if shut != 1 {
		t.Errorf("OnShutdown ran %d times after a failed Run; want 1", shut)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
