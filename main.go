// Command hooklens is a local inbox for chat-platform webhooks: `hooklens` opens the desktop
// window, `hooklens serve` runs the same app headless in a browser. main only wires.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"syscall"
)

//go:embed all:frontend/dist
var dist embed.FS

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hooklens:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	tuneGC()
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		return runApp(ctx, args, false)
	case "serve":
		return runApp(ctx, args, true)
	case "import":
		return runImport(ctx, args)
	case "export":
		return runExport(ctx, args)
	case "replay":
		return runReplay(ctx, args)
	case "simulate":
		return runSimulate(ctx, args)
	case "version":
		fmt.Println("hooklens", version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

const usage = `Usage:
  hooklens [flags]            open the desktop window (desktop build)
  hooklens serve [flags]      run headless: receiver + browser UI on loopback, URL printed
  hooklens import --data DIR FILE...       import exports (fixture folder, .zip, .ndjson, .har)
  hooklens import --lenient --data DIR FILE...   capture vendor doc samples as deliveries
  hooklens export --data DIR --format fixtures|zip|ndjson|har --out PATH [--conversation VENDOR/ID]
                  [--agent VENDOR/ID] [--query Q] [--id ID]... [--scrub] [--keep-secrets] [--pretty]
  hooklens replay --data DIR (--conversation VENDOR/ID | --agent VENDOR/ID | --query Q | --id ID...)
                  --to URL [--pace fast|original] [--speed X]
  hooklens simulate VENDOR|all [SCENARIO] [--to URL] [--data DIR]   send sample events (--list)
  hooklens version

Run "hooklens serve -h" (or any command with -h) for the flags.
`

// frontend returns the built frontend, index.html at its root.
func frontend() fs.FS {
	sub, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}
