package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklens/backend/api"
	"hooklens/backend/replay"
)

// wireFixtures starts the live forwarder (settings, or --forward-to for this run) and gives the
// API its fixture routes: export, import, replay, forward and simulate.
func wireFixtures(ctx context.Context, s *services, c *config) error {
	sender := &replay.Sender{}
	fwd := &replay.Forwarder{Store: s.store, Sender: sender, Self: []string{s.receiver.Addr().String()}}
	if err := fwd.Load(ctx); err != nil {
		slog.Warn("forward: saved settings ignored", "err", err)
	}
	if c.ForwardTo != "" {
		if err := fwd.Override(c.ForwardTo); err != nil {
			return fmt.Errorf("--forward-to: %s", message(err))
		}
		fmt.Fprintf(os.Stderr, "hooklens: forwarding every capture to %s\n", c.ForwardTo)
	}
	stopped, err := fwd.Start(ctx)
	if err != nil {
		return err
	}
	s.done.Add(1)
	go func() { defer s.done.Done(); <-stopped }()
	s.api.Exports = &api.ExportService{Store: s.store, Secret: s.decoder.Secret, Generator: "hooklens " + version}
	s.api.Imports = &api.ImportService{Store: s.store}
	s.api.Replays = &api.ReplayService{Store: s.store, Base: ctx,
		Runs: &replay.Runs{Replayer: &replay.Replayer{Store: s.store, Sender: sender}}}
	s.api.Forwarding = fwd
	s.api.Simulations = &api.SimulateService{Secret: s.decoder.Secret, Sender: sender, ReceiverURL: s.api.ReceiverURL}
	return nil
}

const replayUsage = `Usage: hooklens replay --data DIR (--conversation VENDOR/ID | --agent VENDOR/ID | --query Q | --id ID...)
       --to URL [--pace fast|original] [--speed X] [--timeout D]

Sends the chosen deliveries to URL in event order, with their method, path (appended to the
URL's path), query, headers (in order, signatures intact) and body; prints one line per
delivery with the target's answer, and records every answer beside the delivery.
`

// runReplay is `hooklens replay`.
func runReplay(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hooklens replay", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), replayUsage); fs.PrintDefaults() }
	data := fs.String("data", defaultDataDir(), "data directory")
	to := fs.String("to", "", "target URL (http:// or https://); each delivery's path is appended to its path")
	pace := fs.String("pace", replay.PaceFast, "fast (one after the other) or original (the intervals they arrived at)")
	speed := fs.Float64("speed", 1, "with --pace original: 2 replays twice as fast, 0.5 half as fast")
	timeout := fs.Duration("timeout", replay.DefaultTimeout, "how long to wait for each answer")
	var sf selectionFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("replay: unexpected argument %q", fs.Arg(0))
	}
	if sf.empty() {
		return fmt.Errorf("replay: choose what to replay: --conversation, --agent, --query or --id")
	}
	sel, err := sf.selection()
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	req := replay.Request{Selection: sel, To: *to, Pace: *pace, Speed: *speed}
	if err := replay.Check(&req); err != nil {
		return fmt.Errorf("replay: %s", message(err))
	}
	store, err := openData(*data)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	defer store.Close()
	if _, err := catchUp(ctx, store); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	r := &replay.Replayer{Store: store, Sender: &replay.Sender{Timeout: *timeout}}
	failed := 0
	n, err := r.Run(ctx, "", req, func(res replay.Result) {
		fmt.Println(replayLine(res))
		if res.Error != "" || res.Skipped != "" || res.Status >= 400 {
			failed++
		}
	})
	if err != nil {
		return fmt.Errorf("replay: %s", message(err))
	}
	if n == 0 && failed == 0 {
		return fmt.Errorf("replay: nothing matches the selection")
	}
	if failed > 0 {
		return fmt.Errorf("replay: %d of %d deliveries were not accepted by the target", failed, n)
	}
	return nil
}

// replayLine is "<id> <event type> <METHOD> <url> -> <status> <time> <first line of the answer>".
func replayLine(res replay.Result) string {
	what := res.EventType
	if what == "" {
		what = "-"
	}
	head := fmt.Sprintf("%s  %-26s %s %s", res.DeliveryID, what, res.Method, res.URL)
	switch {
	case res.Skipped != "":
		return head + "  -> skipped: " + res.Skipped
	case res.Error != "":
		return head + "  -> error: " + res.Error
	}
	answer := strconv.Itoa(res.Status)
	if res.StatusText != "" {
		answer += " " + res.StatusText
	}
	line := fmt.Sprintf("%s  -> %s  %v", head, answer, res.Duration.Round(100*time.Microsecond))
	if ex := excerptLine(res.Excerpt, res.Truncated); ex != "" {
		line += "  " + ex
	}
	return line
}

// excerptLine is the answer's first line, short, printable.
func excerptLine(b []byte, truncated bool) string {
	b = bytes.TrimSpace(b)
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b, truncated = b[:i], true
	}
	if !utf8.Valid(b) {
		return fmt.Sprintf("(%d bytes of binary)", len(b))
	}
	s := strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, string(b))
	if r := []rune(s); len(r) > 100 {
		s, truncated = string(r[:100]), true
	}
	if truncated && s != "" {
		s += "…"
	}
	return s
}
