package cli

import (
	"time"

	"github.com/spf13/cobra"

	"hooklens/cli/progress"
)

// progressFlags turn the progress of long commands off, or (hidden, for tests) make its plain
// lines come more often.
type progressFlags struct {
	off   bool
	every time.Duration
}

func (f *progressFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.BoolVar(&f.off, "no-progress", false, "show no progress on standard error (a bar on a terminal, else a line every 2 s)")
	fs.DurationVar(&f.every, "progress-every", progress.DefaultEvery, "how often progress lines are written when standard error is not a terminal")
	fs.MarkHidden("progress-every")
}

// start begins the progress of label's work on m.Stderr: total units (or bytes when unit is "").
func (f *progressFlags) start(m *Main, label, unit string, total int64) *progress.Progress {
	mode := progress.Auto
	if f.off {
		mode = progress.Off
	}
	return progress.Start(progress.Config{Out: m.Stderr, Label: label, Unit: unit, Total: total, Mode: mode, Every: f.every})
}
