package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newVersionCmd is `hooklens version`.
func (m *Main) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of hooklens",
		Long:  `Version prints "hooklens" and the version of this binary, the one exports record as their generator.`,
		Example: `  hooklens version
  hooklens --version`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintln(m.Stdout, "hooklens", m.Version)
			return err
		},
	}
}
