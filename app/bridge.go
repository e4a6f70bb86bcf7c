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

// showFallback is how long a window started hidden (to be placed where it was) waits for its
// page before it is shown anyway.
const showFallback = 5 * time.Second

// desktop holds the lifecycle of one window.
type desktop struct {
	opts Options
	// emit sends a Wails event; runtime.EventsEmit except in tests.
	emit func(ctx context.Context, event string, data ...any)
	// on listens to a Wails event from the page; runtime.EventsOn except in tests.
	on func(ctx context.Context, event string, cb func(data ...any)) func()
	// newShell gives the window's runtime once Wails has started; a fake in tests.
	newShell func(ctx context.Context) shell

	// restore is the saved geometry (restored says there is one); the window starts hidden
	// and is shown once placed.
	restore  geometry
	restored bool

	mu       sync.Mutex
	ctx      context.Context
	sh       shell
	cancel   context.CancelFunc
	feedDone chan struct{}
	track    *tracker
	untrack  context.CancelFunc // stops the tracker's polling
	watch    *watcher
	stopOnce sync.Once
	shown    sync.Once
	// transfer allows one export or import (from the menu or the page) at a time.
	transfer sync.Mutex
	// exports cancels the page's running exports, by request id.
	exports map[string]context.CancelFunc
	// unlisten stops answering the page's exports.
	unlisten func()
}

func newDesktop(o Options) *desktop {
	d := &desktop{opts: o, emit: runtime.EventsEmit, on: runtime.EventsOn,
		newShell: func(ctx context.Context) shell { return newWailsShell(ctx) }}
	if o.Setting != nil && o.SetSetting != nil {
		d.restore, d.restored = loadGeometry(o.Setting)
	}
	return d
}

// notifierControl is what the real shell adds to start and stop notifications.
type notifierControl interface {
	startNotifications(onClick func())
	stopNotifications()
}

// startup runs when Wails has its runtime context: it starts the feed, which turns each batch
// into one event whose payload is the JSON text (and shows notifications about it), and, when
// the window started hidden, a timer that shows it if its page never loads.
func (d *desktop) startup(ctx context.Context) {
	sh := d.newShell(ctx)
	unlisten := d.listenExports(ctx, d.on)
	d.mu.Lock()
	d.ctx, d.sh, d.unlisten = ctx, sh, unlisten
	d.mu.Unlock()
	if d.opts.Notifications != nil {
		if nc, ok := sh.(notifierControl); ok {
			nc.startNotifications(func() {
				sh.show()
				d.emit(ctx, eventNavigate, map[string]string{"view": "inbox"})
			})
		}
		var persist func([]string)
		if d.opts.SetSetting != nil {
			persist = vendorsSaver(d.opts.SetSetting)
		}
		w := newWatcher(loadVendorsSeen(d.opts.Setting), displayNames(d.opts.Vendors), d.opts.Notifications,
			func(title, body string) { _ = sh.notify(title, body) }, persist)
		d.mu.Lock()
		d.watch = w
		d.mu.Unlock()
	}
	if d.opts.Setting != nil && d.opts.SetSetting != nil {
		time.AfterFunc(showFallback, d.ready)
	}
	if d.opts.Feed == nil {
		return
	}
	feedCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	d.mu.Lock()
	d.cancel, d.feedDone = cancel, done
	watch := d.watch
	d.mu.Unlock()
	go func() {
		defer close(done)
		d.opts.Feed(feedCtx, func(event string, data []byte) {
			if feedCtx.Err() != nil {
				return
			}
			d.emit(ctx, event, string(data))
			if watch != nil && event == "deliveries" {
				watch.observe(data)
			}
		})
	}()
}

// domReady runs on the GTK main thread when the page has loaded (also after a reload): the
// window is placed off that thread, once.
func (d *desktop) domReady(context.Context) {
	if d.opts.Setting != nil && d.opts.SetSetting != nil {
		go d.ready()
	}
}

// ready places the window where it was (fitted to the screen), shows it if it started hidden,
// and starts following its geometry. It runs once.
func (d *desktop) ready() {
	d.shown.Do(func() {
		d.mu.Lock()
		sh := d.sh
		d.mu.Unlock()
		if sh == nil {
			return
		}
		start := geometry{}
		if d.restored {
			start = d.restore.fit(sh.screen())
			sh.setSize(start.Width, start.Height)
			sh.setPosition(start.X, start.Y)
			if start.Maximised {
				sh.maximise()
			}
			sh.show()
		}
		t := newTracker(sh, start, d.restore, geometrySaver(d.opts.SetSetting))
		ctx, cancel := context.WithCancel(context.Background())
		d.mu.Lock()
		if d.ctx == nil { // shut down meanwhile
			d.mu.Unlock()
			cancel()
			return
		}
		d.track, d.untrack = t, cancel
		d.mu.Unlock()
		go t.run(ctx)
	})
}

// beforeClose saves the window's geometry while the window still exists, and lets it close.
func (d *desktop) beforeClose(context.Context) (prevent bool) {
	d.mu.Lock()
	t, untrack := d.track, d.untrack
	d.mu.Unlock()
	if t != nil {
		untrack()
		t.sample()
		t.flush()
	}
	return false
}

// shutdown stops the feed and the geometry tracker, waits for the feed, saves what is left,
// then runs Options.OnShutdown once.
func (d *desktop) shutdown(context.Context) {
	d.stopOnce.Do(func() {
		d.mu.Lock()
		cancel, done, t, untrack, sh, watch := d.cancel, d.feedDone, d.track, d.untrack, d.sh, d.watch
		unlisten, exports := d.unlisten, d.exports
		d.ctx, d.sh, d.exports = nil, nil, nil
		d.mu.Unlock()
		if unlisten != nil {
			unlisten()
		}
		for _, stop := range exports {
			stop() // a page's export being written is removed
		}
		if cancel != nil {
			cancel()
			select {
			case <-done:
			case <-time.After(feedStopTimeout):
			}
		}
		if t != nil {
			untrack()
			t.flush() // what the last poll saw; the window may be gone, so it is not read
		}
		if watch != nil {
			watch.stop()
		}
		if nc, ok := sh.(notifierControl); ok {
			nc.stopNotifications()
		}
		if d.opts.OnShutdown != nil {
			d.opts.OnShutdown()
		}
	})
}
