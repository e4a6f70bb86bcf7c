//go:build production

package main

import (
	_ "embed"

	"hooklens/app"
	"hooklens/cli"
)

//go:embed build/appicon.png
var appIcon []byte

// runDesktop opens the Wails window and blocks until it is closed.
func runDesktop(cfg cli.DesktopConfig) error {
	o := app.Options{
		Title:       "Hooklens",
		Assets:      cfg.Assets,
		API:         cfg.API,
		Feed:        cfg.Feed,
		ReceiverURL: cfg.ReceiverURL,
		OnShutdown:  cfg.OnShutdown,
		Icon:        appIcon,
		Version:     cfg.Version,
		DataDir:     cfg.DataDir,
		Vendors:     cfg.Vendors,
		Import:      cfg.ImportPath,
		Setting:     cfg.Store.Setting,
		SetSetting:  cfg.Store.SetSetting,
	}
	o.Notifications = cfg.NotificationsOn
	return app.Run(o)
}
