package cli

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode"
	"hooklens/backend/export"
	"hooklens/backend/settings"
)

// DesktopConfig is what the desktop face gets from Main (main.go's desktop.go, and
// desktop_stub.go for builds without the `production` tag).
type DesktopConfig struct {
	Assets      fs.FS        // the built frontend, index.html at its root
	API         http.Handler // serves /api/… in-process
	Feed        func(ctx context.Context, emit func(event string, data []byte))
	ReceiverURL string
	OnShutdown  func() // runs exactly once before runDesktop returns, whatever the result

	// Imports is the import service the API uses, for File → Import… (exports, from the menu
	// or the page, are written from what the API serves); nil disables both.
	Imports api.Imports
	// Store keeps the desktop's state (window geometry, vendors seen) and reads fixture folders.
	Store DesktopStore
	// Settings says whether desktop notifications are on; nil never notifies.
	Settings *settings.Service
	DataDir  string // shown in Help → About
	Version  string
	// Vendors are the registered vendors, for notifications and Help.
	Vendors []decode.Info
}

// DesktopStore is the store as the desktop face uses it.
type DesktopStore interface {
	export.Store
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// ImportPath imports the file at path through the API's import service, or, for a fixture
// folder (or its manifest.json), which an upload cannot carry, from the folder itself. Its
// errors read as a user reads them: the message of a domain error, without its code.
func (c DesktopConfig) ImportPath(ctx context.Context, path string) (backend.ImportResult, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return backend.ImportResult{}, err
	}
	if fi.IsDir() || strings.EqualFold(filepath.Base(path), export.ManifestName) {
		if c.Store == nil {
			return backend.ImportResult{}, errors.New("a fixture folder cannot be imported here; import its zip")
		}
		res, err := export.ImportPath(ctx, c.Store, path, export.FormatFixtures)
		return res, plainError(err)
	}
	f, err := os.Open(path)
	if err != nil {
		return backend.ImportResult{}, err
	}
	defer f.Close()
	res, err := c.Imports.Import(ctx, f, "", filepath.Base(path))
	return res, plainError(err)
}

// NotificationsOn says whether Settings → notifications is on (false without a settings service).
func (c DesktopConfig) NotificationsOn() bool {
	return c.Settings != nil && c.Settings.Get().Notifications
}

// plainError is err as a user reads it: a domain error's message without its code; other
// errors (and nil) as they are.
func plainError(err error) error {
	var e *backend.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}
