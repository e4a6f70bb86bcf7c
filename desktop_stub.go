//go:build !production

package main

import (
	"errors"

	"hooklens/cli"
)

// errNoDesktop is what runDesktop returns in a build without the desktop UI.
var errNoDesktop = errors.New("this hooklens binary was built without the desktop UI (build tag `production`); run `hooklens serve` for the headless face, or build the desktop binary with `make desktop`")

// runDesktop reports that the desktop UI is not compiled in. Like the real
// one, it has run cfg.OnShutdown once when it returns.
func runDesktop(cfg cli.DesktopConfig) error {
	if cfg.OnShutdown != nil {
		cfg.OnShutdown()
	}
	return errNoDesktop
}
