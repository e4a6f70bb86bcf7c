//go:build !production

package main

import "hooklens/cli"

// runDesktop is nil in a build without the desktop UI: `hooklens` alone then says so, before it
// opens a store or a port, and points to `hooklens serve`.
var runDesktop func(cli.DesktopConfig) error
