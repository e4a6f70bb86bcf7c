// Package app is the desktop face: a Wails window over the embedded frontend, the API served in-process, and live deliveries sent as Wails events.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Window geometry of the desktop face.
const (
	width     = 1280
	height    = 800
	minWidth  = 900
	minHeight = 600
)

// Options configure the desktop face.
type Options struct {
	// Title of the window; "Hooklens" when empty.
	Title string
	// Assets is the built frontend, with index.html at its root.
	Assets fs.FS
	// API serves /api/…; the asset server hands those paths to it in-process.
	API http.Handler
	// Feed blocks until ctx is done and calls emit for each batch of live
	// updates; each call becomes one Wails event with data as its string payload.
	Feed func(ctx context.Context, emit func(event string, data []byte))
	// ReceiverURL is where the receiver listens; printed at start.
	ReceiverURL string
	// OnShutdown runs exactly once, after the window is gone and the feed has
	// stopped, before Run returns (also when Run fails early).
	OnShutdown func()
	// Icon is the window icon (PNG); optional.
	Icon []byte
	// Version and DataDir are shown in Help → About.
	Version string
	DataDir string

	// Import reads the export (or fixture folder) at path into the store: File → Import….
	// Its error is shown to the user as it is. Nil disables the menu item.
	Import func(ctx context.Context, path string) (backend.ImportResult, error)
	// Setting and SetSetting keep desktop state in the store (window geometry, vendors seen);
	// without both the window is not restored nor remembered.
	Setting    func(ctx context.Context, key string) (string, error)
	SetSetting func(ctx context.Context, key, value string) error
	// Notifications says whether desktop notifications are on (Settings → notifications); nil
	// never notifies.
	Notifications func() bool
	// Vendors are the registered vendors (the registry's Info), in detection order: their
	// names in notifications, their paths and verification in Help.
	Vendors []decode.Info
}

// Run opens the window and blocks until it is closed (or the process gets
// SIGINT/SIGTERM, which Wails turns into a clean shutdown). OnShutdown has
// run exactly once when Run returns, whatever the result. It returns an
// error when the assets have no index.html, when there is no display, or
// when Wails cannot start (e.g. a binary built without the `production` tag).
func Run(o Options) error {
	d := newDesktop(o)
	defer d.shutdown(context.Background()) // no-op when Wails already ran it
	if err := checkStart(o); err != nil {
		return err
	}
	if o.ReceiverURL != "" {
		fmt.Printf("Receiver: %s\n", o.ReceiverURL)
	}
	if err := wails.Run(d.appOptions()); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// checkStart reports what would stop the window from opening, in words an
// integrator can act on.
func checkStart(o Options) error {
	if o.Assets == nil {
		return errors.New("app: no frontend assets")
	}
	if _, err := fs.Stat(o.Assets, "index.html"); err != nil {
		return fmt.Errorf("app: the embedded frontend has no index.html (build it with `make frontend` before `make desktop`): %w", err)
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("app: no display ($DISPLAY and $WAYLAND_DISPLAY are unset); run `hooklens serve` for the headless face")
	}
	return nil
}

// appOptions builds the Wails options; the lifecycle hooks are unexported
// methods passed as values, so Wails never binds them for the frontend.
func (d *desktop) appOptions() *options.App {
	title := d.opts.Title
	if title == "" {
		title = "Hooklens"
	}
	w, h := width, height
	if d.restored {
		g := d.restore.fit(0, 0)
		w, h = g.Width, g.Height
	}
	return &options.App{
		Title:     title,
		Width:     w,
		Height:    h,
		MinWidth:  minWidth,
		MinHeight: minHeight,
		// A window with a saved place starts hidden and is shown once moved there (ready).
		StartHidden: d.restored,
		Menu:        d.menu(),
		AssetServer: &assetserver.Options{
			Assets:     d.opts.Assets,
			Middleware: apiMiddleware(d.opts.API),
		},
		// No DragAndDrop.EnableFileDrop: files dropped on the window reach the page, whose drop
		// zone imports them through the API (the same import as File → Import…), once.
		BackgroundColour:         options.NewRGB(0xf6, 0xf7, 0xf9),
		EnableDefaultContextMenu: true, // copy/paste of payloads
		OnStartup:                d.startup,
		OnDomReady:               d.domReady,
		OnBeforeClose:            d.beforeClose,
		OnShutdown:               d.shutdown,
		Linux: &linux.Options{
			Icon:             d.opts.Icon,
			ProgramName:      "hooklens",
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	}
}
