//go:build production

package main

import (
	_ "embed"

	"hooklens/app"
)

//go:embed build/appicon.png
var appIcon []byte

// runDesktop opens the Wails window and blocks until it is closed.
func runDesktop(cfg desktopConfig) error {
	return app.Run(app.Options{
		Title:       "Hooklens",
		Assets:      cfg.Assets,
		API:         cfg.API,
		Feed:        cfg.Feed,
		ReceiverURL: cfg.ReceiverURL,
		OnShutdown:  cfg.OnShutdown,
		Icon:        appIcon,
	})
}
