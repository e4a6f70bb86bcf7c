package main

import (
	"context"
	"io/fs"
	"net/http"
)

// desktopConfig is what main hands to the desktop face (see desktop.go, and
// desktop_stub.go for builds without the `production` tag).
type desktopConfig struct {
	Assets      fs.FS        // the built frontend, index.html at its root
	API         http.Handler // serves /api/… in-process
	Feed        func(ctx context.Context, emit func(event string, data []byte))
	ReceiverURL string
	OnShutdown  func() // runs exactly once before runDesktop returns, whatever the result
}
