// Command hooklens is a local inbox for chat-platform webhooks: `hooklens` opens the desktop
// window, `hooklens serve` runs the same app headless in a browser. main only wires: the
// commands are in cli/.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"hooklens/cli"
)

//go:embed all:frontend/dist
var dist embed.FS

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := cli.NewMain()
	m.Version = version
	m.Assets = frontend()
	m.Desktop = runDesktop // desktop.go; nil (desktop_stub.go) in a build without the desktop UI
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hooklens:", err)
		os.Exit(cli.ExitCode(err))
	}
}

// frontend returns the built frontend, index.html at its root.
func frontend() fs.FS {
	sub, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Garbage collection: every capture, export or import row allocates its body, and with Go's
// default (collect when the heap doubled) a small live heap is collected thousands of times a
// minute under load. Every command collects when the heap grew by gcPercent, and sooner as it
// nears gcSoftLimit; an explicit GOGC or GOMEMLIMIT wins.
const (
	gcPercent   = 300
	gcSoftLimit = 128 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcSoftLimit)
	}
}
