package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// shell is the part of the Wails runtime the desktop uses beyond events: the window, native
// dialogs and notifications. wailsShell is the real one; tests use a fake, so nothing here needs
// a display to be tested.
type shell interface {
	// size and position of the window; screen is the size of the monitor it is on (0, 0 when unknown).
	size() (w, h int)
	position() (x, y int)
	screen() (w, h int)
	setSize(w, h int)
	setPosition(x, y int)
	// normal says the window is neither maximised, minimised nor fullscreen.
	normal() bool
	maximised() bool
	maximise()
	show()
	reload()
	quit()
	// saveFile asks where to save ("" when canceled); openFiles which files to open (nil when canceled).
	saveFile(title, name string, filters []runtime.FileFilter) (string, error)
	openFiles(title string, filters []runtime.FileFilter) ([]string, error)
	// message shows text in a native dialog and waits until it is closed; kind is runtime.InfoDialog…
	message(kind runtime.DialogType, title, text string)
	// notify shows a desktop notification; it fails when no notification service answers.
	notify(title, body string) error
}

// wailsShell calls the Wails runtime of one window.
type wailsShell struct {
	ctx context.Context
	// dialogs serialises native dialogs: Wails' GTK side returns every result on one channel.
	dialogs sync.Mutex
	// notifications is true once connected to the D-Bus session bus.
	notifications atomic.Bool
	warned        atomic.Bool
	seq           atomic.Int64
}

func newWailsShell(ctx context.Context) *wailsShell { return &wailsShell{ctx: ctx} }

func (s *wailsShell) size() (int, int)     { return runtime.WindowGetSize(s.ctx) }
func (s *wailsShell) position() (int, int) { return runtime.WindowGetPosition(s.ctx) }
func (s *wailsShell) setSize(w, h int)     { runtime.WindowSetSize(s.ctx, w, h) }
func (s *wailsShell) setPosition(x, y int) { runtime.WindowSetPosition(s.ctx, x, y) }
func (s *wailsShell) normal() bool         { return runtime.WindowIsNormal(s.ctx) }
func (s *wailsShell) maximised() bool      { return runtime.WindowIsMaximised(s.ctx) }
func (s *wailsShell) maximise()            { runtime.WindowMaximise(s.ctx) }
func (s *wailsShell) show()                { runtime.WindowShow(s.ctx) }
func (s *wailsShell) reload()              { runtime.WindowReloadApp(s.ctx) }
func (s *wailsShell) quit()                { runtime.Quit(s.ctx) }

func (s *wailsShell) screen() (int, int) {
	screens, err := runtime.ScreenGetAll(s.ctx)
	if err != nil {
		return 0, 0
	}
	for _, sc := range screens {
		if sc.IsCurrent {
			return sc.Size.Width, sc.Size.Height
		}
	}
	for _, sc := range screens {
		if sc.IsPrimary {
			return sc.Size.Width, sc.Size.Height
		}
	}
	return 0, 0
}

func (s *wailsShell) saveFile(title, name string, filters []runtime.FileFilter) (string, error) {
	s.dialogs.Lock()
	defer s.dialogs.Unlock()
	return runtime.SaveFileDialog(s.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name,
		DefaultDirectory: homeDir(), Filters: filters, CanCreateDirectories: true})
}

func (s *wailsShell) openFiles(title string, filters []runtime.FileFilter) ([]string, error) {
	s.dialogs.Lock()
	defer s.dialogs.Unlock()
	return runtime.OpenMultipleFilesDialog(s.ctx, runtime.OpenDialogOptions{Title: title,
		DefaultDirectory: homeDir(), Filters: filters})
}

func (s *wailsShell) message(kind runtime.DialogType, title, text string) {
	s.dialogs.Lock()
	defer s.dialogs.Unlock()
	_, _ = runtime.MessageDialog(s.ctx, runtime.MessageDialogOptions{Type: kind, Title: title, Message: dialogText(text)})
}

// dialogText escapes text for Wails' GTK message dialog, which uses it as a printf format.
func dialogText(text string) string {
	if goruntime.GOOS == "linux" {
		return strings.ReplaceAll(text, "%", "%%")
	}
	return text
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		if fi, err := os.Stat(h); err == nil && fi.IsDir() {
			return h
		}
	}
	return ""
}

// startNotifications connects to the session bus's notification service, if there is a session
// bus: without one it does nothing (godbus would otherwise try to autolaunch a bus). A click on a
// notification calls onClick.
func (s *wailsShell) startNotifications(onClick func()) {
	if !sessionBus() {
		slog.Debug("desktop notifications off: no D-Bus session bus")
		return
	}
	if err := runtime.InitializeNotifications(s.ctx); err != nil {
		slog.Debug("desktop notifications off", "err", err)
		return
	}
	s.notifications.Store(true)
	if onClick != nil {
		runtime.OnNotificationResponse(s.ctx, func(runtime.NotificationResult) { onClick() })
	}
}

// stopNotifications closes the D-Bus connection.
func (s *wailsShell) stopNotifications() {
	if s.notifications.Swap(false) {
		runtime.CleanupNotifications(s.ctx)
	}
}

func (s *wailsShell) notify(title, body string) error {
	if !s.notifications.Load() {
		return fmt.Errorf("no notification service")
	}
	err := runtime.SendNotification(s.ctx, runtime.NotificationOptions{
		ID: fmt.Sprintf("hooklens-%d", s.seq.Add(1)), Title: title, Body: body})
	if err != nil && !s.warned.Swap(true) {
		slog.Debug("desktop notification not shown (no notification daemon?)", "err", err)
	}
	return err
}

// sessionBus says a D-Bus session bus address is known without autolaunching one.
func sessionBus() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		return false
	}
	fi, err := os.Stat(filepath.Join(dir, "bus"))
	return err == nil && fi.Mode()&os.ModeSocket != 0
}
