// Package cli holds hooklens's commands (cobra), one file each, behind a Main that production and
// tests drive the same way.
package cli

import (
	"context"
	"errors"
	"fmt"
	"hooklens/backend/decode/all"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes: 0 when the command did what it was asked, ExitFailed when it ran and something
// failed (a target refused a replay, a store could not be opened), ExitUsage for bad usage or
// input (an unknown command or flag, a missing argument, a file that cannot be read).
const (
	ExitFailed = 1
	ExitUsage  = 2
)

// Main runs one hooklens command line. Production (main.go) and tests build it the same way.
// registry is the registry of every vendor, the program's one list of them (backend/decode/all).
var registry = all.Registry()

type Main struct {
	Stdout, Stderr io.Writer
	// Version is what `hooklens version` prints and exports record as their generator.
	Version string
	// Assets is the built frontend, index.html at its root, served by both faces.
	Assets fs.FS
	// Desktop opens the desktop window and blocks until it closes; it runs cfg.OnShutdown once
	// before it returns. main.go sets it (desktop.go, or desktop_stub.go without the UI).
	Desktop func(cfg DesktopConfig) error

	mu      sync.Mutex
	running *services // what the serve or desktop face started, until it stops
}

// NewMain returns a Main that writes to the process's standard streams; until Assets is set
// the faces serve the API without the frontend.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Version: "0.1.0-dev"}
}

// Run runs the command line args (without the program name) until the command is done or ctx
// is. It prints help and completions itself and returns errors unprinted: the caller prints
// them once and exits with ExitCode(err).
func (m *Main) Run(ctx context.Context, args []string) error {
	root := m.newRootCmd()
	if len(args) == 0 || (args[0] != cobra.ShellCompRequestCmd && args[0] != cobra.ShellCompNoDescRequestCmd) {
		root.InitDefaultHelpCmd()
		args = goStyleFlags(root, args)
		if _, _, err := root.Find(args); err != nil {
			return usageError{err} // an unknown command, with suggestions
		}
	}
	root.SetArgs(args)
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	return root.ExecuteContext(ctx)
}

// Close stops what a face started if Run left it running (Run stops it itself when the face
// ends normally); it is safe to call more than once.
func (m *Main) Close() error {
	m.mu.Lock()
	s := m.running
	m.running = nil
	m.mu.Unlock()
	if s != nil {
		s.close()
	}
	return nil
}

// ExitCode is the process exit status for an error returned by Run: 0 for nil, ExitUsage for
// bad usage or input, else ExitFailed.
func ExitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return ExitUsage
	}
	return ExitFailed
}

// usageError marks bad usage or input (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef is a usageError with a formatted message.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// flagError turns cobra's flag errors into usage errors that say where to read more.
func flagError(cmd *cobra.Command, err error) error {
	return usagef("%s: %v (see %s --help)", cmd.Name(), err, cmd.CommandPath())
}

// goStyleFlags rewrites single-dash long flags (-data DIR, Go's flag syntax, which hooklens
// accepted before it used cobra) to their double-dash form for the command args run; values
// of flags and everything after "--" are left alone.
func goStyleFlags(root *cobra.Command, args []string) []string {
	// As before cobra, the command is the first argument when it names one.
	cmd := root
	if len(args) > 0 {
		if c, _, err := root.Find(args[:1]); err == nil {
			cmd = c
		}
	}
	cmd.InitDefaultHelpFlag()
	lookup := func(name string) *pflag.Flag {
		if f := cmd.Flags().Lookup(name); f != nil {
			return f
		}
		return cmd.InheritedFlags().Lookup(name)
	}
	out := make([]string, 0, len(args))
	value := false // the previous argument was a flag that takes the next one as its value
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if value {
			out, value = append(out, a), false
			continue
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			if name, _, _ := strings.Cut(a[1:], "="); len(name) > 1 && lookup(name) != nil {
				a = "-" + a
			}
		}
		if name, ok := strings.CutPrefix(a, "--"); ok {
			name, _, hasValue := strings.Cut(name, "=")
			f := lookup(name)
			value = f != nil && !hasValue && f.NoOptDefVal == ""
		}
		out = append(out, a)
	}
	return out
}
