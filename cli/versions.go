package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"hooklens/backend/decode"
)

// newVersionsCmd is `hooklens versions`.
func (m *Main) newVersionsCmd() *cobra.Command {
	var (
		from, to, data string
		asJSON         bool
	)
	cmd := &cobra.Command{
		Use:   "versions VENDOR [--from V --to V] [--data DIR] [--json]",
		Short: "List a vendor's webhook versions, or what changes between two of them",
		Long: `Versions lists the webhook versions Hooklens knows for VENDOR (` + vendorList() + `), oldest
first, each with a note on what it changed.

With --from and --to it says which event types and fields are added, removed, renamed or
retyped between the two versions (either way round: --from may be the newer one). With --data
it also reads the store in that directory and counts, for each change, the captured events it
concerns, then lists the changes that concern captured events, most first: what moving an
integration from one version to the other would touch.

--json writes the same as JSON. It exits with status 2 for an unknown vendor or version.`,
		Example: `  # the versions there are
  hooklens versions iadvize

  # what changes from the first v2 events to today's
  hooklens versions iadvize --from 2019-04 --to 2022-12

  # and which of the captured events and fields that touches, as JSON
  hooklens versions iadvize --from 2019-04 --to 2022-12 --data ~/.hooklens --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("versions: want one VENDOR (%s)", vendorList())
			}
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, v := range registry.Vendors() {
				names = append(names, v.Name())
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			v := registry.Vendor(args[0])
			if v == nil {
				return usagef("versions: unknown vendor %q (want %s)", args[0], vendorList())
			}
			cat := v.Catalog()
			if from == "" && to == "" {
				if data != "" {
					return usagef("versions: --data counts what changes between two versions: give --from and --to too")
				}
				return m.listVersions(v.Info().DisplayName, cat, asJSON)
			}
			if from == "" || to == "" {
				return usagef("versions: give both --from and --to")
			}
			cs, err := decode.Changes(cat, from, to)
			if err != nil {
				return usagef("versions %s: %v", v.Name(), err)
			}
			where := ""
			if data != "" {
				store, err := m.openData(data)
				if err != nil {
					return fmt.Errorf("versions: %w", err)
				}
				defer store.Close()
				if _, err := catchUp(cmd.Context(), store); err != nil {
					return fmt.Errorf("versions: %w", err)
				}
				captured, err := store.CapturedFields(cmd.Context(), v.Name())
				if err != nil {
					return fmt.Errorf("versions: %w", err)
				}
				cs.Count(captured)
				where = data
			}
			if asJSON {
				return writeJSONOut(m.Stdout, cs)
			}
			return writeChanges(m.Stdout, v.Info().DisplayName, cat, cs, where)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the version moved from (see the list without flags)")
	cmd.Flags().StringVar(&to, "to", "", "the version moved to")
	cmd.Flags().StringVar(&data, "data", "", "count the captured events of the store in this `DIR` each change concerns")
	cmd.Flags().BoolVar(&asJSON, "json", false, "write JSON instead of text")
	return cmd
}

// versionList is what `versions VENDOR --json` writes.
type versionList struct {
	Vendor   string              `json:"vendor"`
	Versions []decode.APIVersion `json:"versions"`
}

func (m *Main) listVersions(display string, cat *decode.Catalog, asJSON bool) error {
	if asJSON {
		return writeJSONOut(m.Stdout, versionList{Vendor: cat.Vendor, Versions: append([]decode.APIVersion{}, cat.Versions...)})
	}
	if len(cat.Versions) == 0 {
		fmt.Fprintf(m.Stdout, "%s: Hooklens describes one version of these webhooks only.\n", display)
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s webhook versions, oldest first:\n", display)
	w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	for _, v := range cat.Versions {
		label := v.Label
		if v.Retired {
			label += " (retired)"
		}
		fmt.Fprintf(w, "  %s\t%s\n", v.Name, label)
	}
	w.Flush()
	for _, v := range cat.Versions {
		if v.Note != "" {
			fmt.Fprintf(m.Stdout, "\n%s: %s\n", v.Name, v.Note)
		}
	}
	return nil
}

// writeChanges writes a change set as text; where names the store counted, "" for none.
func writeChanges(out io.Writer, display string, cat *decode.Catalog, cs *decode.ChangeSet, where string) error {
	label := func(name string) string {
		if i := cat.Index(name); i >= 0 && cat.Versions[i].Label != "" {
			return name + " (" + cat.Versions[i].Label + ")"
		}
		return name
	}
	fmt.Fprintf(out, "%s: from %s to %s\n", display, label(cs.From), label(cs.To))
	if len(cs.Events)+len(cs.Fields) == 0 {
		fmt.Fprintln(out, "\nNothing changes for webhooks between these versions.")
		return nil
	}
	section := func(title string, changes []decode.Change, withType bool) {
		if len(changes) == 0 {
			return
		}
		fmt.Fprintf(out, "\n%s:\n", title)
		w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		for _, c := range changes {
			fmt.Fprintf(w, "  %s\t%s", c.Kind, changeName(c, withType))
			if cs.Store {
				fmt.Fprintf(w, "\t%s", capturedWords(c.Captured))
			}
			fmt.Fprintln(w)
		}
		w.Flush()
	}
	section("Event types", cs.Events, false)
	section("Fields", cs.Fields, true)
	if !cs.Store {
		return nil
	}
	aff := cs.Affected()
	fmt.Fprintf(out, "\nIn the store in %s: ", where)
	if len(aff) == 0 {
		fmt.Fprintln(out, "no captured event is concerned.")
	} else {
		fmt.Fprintf(out, "%d of these changes concern captured events:\n", len(aff))
		for _, c := range aff {
			fmt.Fprintf(out, "  %s (%s)\n", c.Note, capturedWords(c.Captured))
		}
	}
	if cs.Unknown > 0 {
		fmt.Fprintf(out, "%d events were stored before Hooklens kept their fields: their fields are not counted until they are decoded again.\n", cs.Unknown)
	}
	return nil
}

// changeName is "operatorId → operatorIds" or "v2.conversation.closed  visitorId".
func changeName(c decode.Change, withType bool) string {
	name := c.EventType
	if c.Path != "" {
		name = c.Path
		if withType {
			t := c.EventType
			if t == decode.Envelope {
				t = "(every event)"
			}
			name = t + "\t" + c.Path
		}
	}
	switch c.Kind {
	case decode.ChangeRenamed:
		name += " → " + c.To
	case decode.ChangeRetyped:
		name += " → " + c.To
	}
	return name
}

func capturedWords(n int) string {
	switch n {
	case 0:
		return "not captured"
	case 1:
		return "1 captured event"
	}
	return fmt.Sprintf("%d captured events", n)
}

// writeJSONOut writes v indented, ending with a line break.
func writeJSONOut(out io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, strings.TrimSpace(string(b)))
	return err
}
