package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

// newRootCmd is `hooklens`: the desktop face, and the parent of every command.
func (m *Main) newRootCmd() *cobra.Command {
	var flags faceFlags
	cmd := &cobra.Command{
		Use:   "hooklens",
		Short: "A local inbox for chat and contact-center webhooks",
		Long: `Hooklens captures the webhooks of chat and contact-center platforms (` + vendorList() + `)
on this machine, decodes them and places them on the timelines of their conversations and agents.

Without a command it opens the desktop window (in the desktop build); "hooklens serve" runs the
same app headless, in a browser. The receiver listens on --listen: point a tunnel at it and
register the tunnel's URL with the vendor.`,
		Example: `  # open the desktop window on the default data directory
  hooklens

  # run headless and open the printed UI URL in a browser
  hooklens serve

  # send sample conversations of every vendor to a running Hooklens
  hooklens simulate all`,
		Version:       m.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := flags.config(false)
			if err != nil {
				return err
			}
			return m.runDesktop(cmd.Context(), c)
		},
	}
	cmd.SetFlagErrorFunc(flagError)
	cmd.SetVersionTemplate("hooklens {{.Version}}\n")
	cmd.CompletionOptions.DisableDefaultCmd = true // completion.go has its own, with examples
	flags.register(cmd, false)
	cmd.AddCommand(m.newServeCmd(), m.newDiffCmd(), m.newImportCmd(), m.newExportCmd(), m.newReplayCmd(),
		m.newSimulateCmd(), m.newTestCmd(), m.newSchemaCmd(), m.newValidateCmd(), m.newVersionCmd(), m.newVersionsCmd(),
		m.newCompletionCmd())
	cmd.InitDefaultHelpCmd() // cobra's `help COMMAND`, given examples like the others
	if help, _, err := cmd.Find([]string{"help"}); err == nil && help != cmd {
		help.Example = "  hooklens help\n  hooklens help export"
	}
	return cmd
}

// errNoDesktop is what the desktop face returns in a build without the desktop UI (main.go gives
// it nothing to run), before it starts anything.
var errNoDesktop = errors.New("this hooklens binary was built without the desktop UI (build tag `production`); run `hooklens serve` for the headless face, or build the desktop binary with `make desktop`")

// runDesktop starts the services and hands them to the desktop window until it closes.
func (m *Main) runDesktop(ctx context.Context, c *config) error {
	if m.Desktop == nil {
		return errNoDesktop
	}
	s, err := m.start(ctx, c)
	if err != nil {
		return err
	}
	return m.Desktop(DesktopConfig{Assets: m.Assets, API: s.api.Handler(), Feed: s.api.Feed, Vendors: registry.Info(),
		ReceiverURL: s.api.ReceiverURL, OnShutdown: func() { m.stop(s) },
		Imports: s.api.Imports, Store: s.store, Settings: s.settings, DataDir: c.Data, Version: m.Version})
}
