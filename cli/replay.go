package cli

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"hooklens/backend/replay"
)

// newReplayCmd is `hooklens replay`.
func (m *Main) newReplayCmd() *cobra.Command {
	var (
		data, to, pace string
		speed          float64
		timeout        time.Duration
		sf             selectionFlags
		pf             progressFlags
	)
	cmd := &cobra.Command{
		Use:   "replay (--conversation VENDOR/ID | --agent VENDOR/ID | --query Q | --id ID...) --to URL",
		Short: "Send stored deliveries again to a URL, signatures intact",
		Long: `Replay sends the chosen deliveries to URL in event order, with their method, path (appended to the
URL's path), query, headers (in order, signatures intact) and body; it prints one line per
delivery with the target's answer, and records every answer beside the delivery.

It exits with status 1 when the target did not accept every delivery (an error, or a status of
400 or more) or when nothing matches the selection, and 2 when the flags are wrong.

Progress goes to standard error: a bar on a terminal, otherwise a line every 2 seconds;
--no-progress turns it off.`,
		Example: `  # one conversation, as fast as the target answers
  hooklens replay --conversation iadvize/8f1c2d --to http://localhost:3000/webhooks

  # a search, at the intervals the deliveries arrived at, ten times faster
  hooklens replay --query "vendor:livechat type:incoming_chat" --to http://localhost:3000 --pace original --speed 10

  # two deliveries by id
  hooklens replay --id 0193a5b2-6c1e-7d4f-9a8b-1c2d3e4f5a6b,0193a5b2-6c1e-7d4f-9a8b-1c2d3e4f5a6c --to http://localhost:3000`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if sf.empty() {
				return usagef("replay: choose what to replay: --conversation, --agent, --query or --id")
			}
			sel, err := sf.selection()
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			req := replay.Request{Selection: sel, To: to, Pace: pace, Speed: speed}
			if err := replay.Check(&req); err != nil {
				return inputError(fmt.Errorf("replay: %s", message(err)), err)
			}
			store, err := m.openData(data)
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			defer store.Close()
			ctx := cmd.Context()
			if _, err := catchUp(ctx, store); err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			r := &replay.Replayer{Store: store, Sender: &replay.Sender{Timeout: timeout}}
			var total int64
			if !pf.off {
				total, _, _ = store.CountSelection(ctx, sel) // a bad query fails the replay itself
			}
			bar := pf.start(m, "replay", "deliveries", total)
			failed, done := 0, int64(0)
			n, err := r.Run(ctx, "", req, func(res replay.Result) {
				bar.Pause(func() { fmt.Fprintln(m.Stdout, replayLine(res)) })
				done++
				bar.Set(done, 0)
				if res.Error != "" || res.Skipped != "" || res.Status >= 400 {
					failed++
				}
			})
			bar.Done()
			if err != nil {
				return inputError(fmt.Errorf("replay: %s", message(err)), err)
			}
			if n == 0 && failed == 0 {
				return fmt.Errorf("replay: nothing matches the selection")
			}
			if failed > 0 {
				return fmt.Errorf("replay: %d of %d deliveries were not accepted by the target", failed, n)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&data, "data", defaultDataDir(), "data `directory`")
	fs.StringVar(&to, "to", "", "target `URL` (http:// or https://); each delivery's path is appended to its path")
	fs.StringVar(&pace, "pace", replay.PaceFast, "fast (one after the other) or original (the intervals they arrived at)")
	fs.Float64Var(&speed, "speed", 1, "with --pace original: 2 replays twice as fast, 0.5 half as fast")
	fs.DurationVar(&timeout, "timeout", replay.DefaultTimeout, "how long to wait for each answer")
	sf.register(cmd)
	pf.register(cmd)
	cmd.MarkFlagDirname("data")
	cmd.RegisterFlagCompletionFunc("pace", cobra.FixedCompletions([]string{replay.PaceFast, replay.PaceOriginal}, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("to", cobra.NoFileCompletions)
	return cmd
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
