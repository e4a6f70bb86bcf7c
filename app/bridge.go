package app

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// apiMiddleware sends /api/ to the API handler in-process and everything
// else to the asset server's own chain (the built frontend).
func apiMiddleware(api http.Handler) assetserver.Middleware {
	return func(next http.Handler) http.Handler {
		if api == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
				api.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// feedStopTimeout bounds how long shutdown waits for a feed that ignores
// its context.
const feedStopTimeout = 5 * time.Second

// desktop holds the lifecycle of one window.
type desktop struct {
	opts Options
	// emit sends a Wails event; runtime.EventsEmit except in tests.
	emit func(ctx context.Context, event string, data ...any)

	mu       sync.Mutex
	cancel   context.CancelFunc
	feedDone chan struct{}
	stopOnce sync.Once
}

func newDesktop(o Options) *desktop {
	return &desktop{opts: o, emit: runtime.EventsEmit}
}

// startup runs when Wails has its runtime context: start the feed, which
// turns each batch into one event whose payload is the JSON text.
func (d *desktop) startup(ctx context.Context) {
	if d.opts.Feed == nil {
		return
	}
	feedCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	d.mu.Lock()
	d.cancel, d.feedDone = cancel, done
	d.mu.Unlock()
	go func() {
		defer close(done)
		d.opts.Feed(feedCtx, func(event string, data []byte) {
			if feedCtx.Err() != nil {
				return
			}
			d.emit(ctx, event, string(data))
		})
	}()
}

// beforeClose lets the window close; the work is done in shutdown.
func (d *desktop) beforeClose(context.Context) (prevent bool) {
	return false
}

// shutdown stops the feed, waits for it, then runs Options.OnShutdown once.
func (d *desktop) shutdown(context.Context) {
	d.stopOnce.Do(func() {
		d.mu.Lock()
		cancel, done := d.cancel, d.feedDone
		d.mu.Unlock()
		if cancel != nil {
			cancel()
			select {
			case <-done:
			case <-time.After(feedStopTimeout):
			}
		}
		if d.opts.OnShutdown != nil {
			d.opts.OnShutdown()
		}
	})
}
