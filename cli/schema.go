package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"hooklens/backend/decode"
	"hooklens/backend/schema"
)

// schemaFormats are the values of schema --format.
var schemaFormats = []string{schema.FormatJSONSchema, schema.FormatOpenAPI, schema.FormatTypeScript, schema.FormatGo}

// newSchemaCmd is `hooklens schema`.
func (m *Main) newSchemaCmd() *cobra.Command {
	var (
		format, version, out, data, query string
		events                            listFlag
	)
	cmd := &cobra.Command{
		Use:   "schema VENDOR [SAMPLE.json...] [--format jsonschema|openapi|typescript|go] [--event TYPE]... [--version V] [--out PATH] [--data DIR]",
		Short: "Write JSON Schema, OpenAPI, TypeScript or Go types for a vendor's webhooks",
		Long: `Schema turns what Hooklens knows of a vendor's webhooks (every documented event type and
field, with its type, values, requirement, explanation and versions) into files an integrator's
code can use:

  jsonschema  JSON Schema 2020-12: a bundle with shared $defs and a oneOf on the event-type
              field; with --out FOLDER, also one schema per event type
  openapi     an OpenAPI 3.1 document with a webhook per event type, the signature header and
              what a non-2xx answer makes the vendor do
  typescript  a module: an interface per event type, their union and a type guard each
  go          a package (named after the vendor): a struct per event type and Parse

--version picks one version of the vendor's webhooks (the newest by default; "all" for every
version at once). --data merges what a store really captured: fields the catalog lacks are
added (marked observed), types are widened to what was seen, required fields that were absent
are counted, and each event type gets a scrubbed capture as its example. SAMPLE files (JSON
bodies) are merged the same way.

The vendor "generic" is any other platform: its types are inferred from the captures alone
(the deliveries of --data no vendor claimed, and the SAMPLE files), merging every body.`,
		Example: `  # TypeScript types for LiveChat, ready to drop into a project
  hooklens schema livechat --format typescript > livechat.ts

  # one JSON Schema per iAdvize event type, plus the bundle, in a folder
  hooklens schema iadvize --out schemas/

  # an OpenAPI document for Closer, merged with what this machine captured
  hooklens schema closer --format openapi --data ~/.hooklens --out closer.openapi.json

  # Go types of two event types of one version
  hooklens schema livechat --format go --version 3.6 --event incoming_chat --event chat_deactivated

  # types for an unknown platform, from sample bodies
  hooklens schema generic --format typescript order1.json order2.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("schema: name a vendor: %s or %s", vendorList(), schema.GenericVendor)
			}
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveDefault
			}
			return append(vendorNames(), schema.GenericVendor), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f := strings.ToLower(format)
			if !slices.Contains(schemaFormats, f) {
				return usagef("schema: --format %q: want %s", format, strings.Join(schemaFormats, ", "))
			}
			set, err := buildSet(args[0], version, events)
			if err != nil {
				return err
			}
			if set, err = m.observe(cmd, set, args[1:], data, query, len(events) > 0); err != nil {
				return err
			}
			set.Examples()
			files, err := schema.Render(set, f, isFolder(out))
			if err != nil {
				return fmt.Errorf("schema: %w", err)
			}
			return m.writeFiles(out, files)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", schema.FormatJSONSchema, "jsonschema, openapi, typescript or go")
	fs.Var(&events, "event", "an event `TYPE` to include; repeatable (default: all)")
	fs.StringVar(&version, "version", "", "the vendor's webhook `version` (default: the newest; all: every version)")
	fs.StringVar(&out, "out", "", "a file, or a folder (ending in / or existing) for one file per event type; default standard output")
	fs.StringVar(&data, "data", "", "merge the deliveries captured in this data `directory`")
	fs.StringVar(&query, "query", "", "with --data, merge only the deliveries this search selects")
	cmd.MarkFlagDirname("data")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(schemaFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// buildSet builds the set of vendor (or an empty generic one); unknown names are usage errors.
func buildSet(vendor, version string, events []string) (*schema.Set, error) {
	if vendor == schema.GenericVendor {
		if version != "" || len(events) > 0 {
			return nil, usagef("schema: generic has no catalog: --version and --event do not apply")
		}
		return &schema.Set{Vendor: vendor, DisplayName: vendor, Generic: true}, nil
	}
	v := registry.Vendor(strings.ToLower(vendor))
	if v == nil {
		return nil, usagef("schema: unknown vendor %q (want %s or %s)", vendor, vendorList(), schema.GenericVendor)
	}
	set, err := schema.Build(v, schema.Options{Version: version, Events: events})
	if err != nil {
		return nil, usagef("schema: %v", err)
	}
	return set, nil
}

// observe merges SAMPLE files and the captures of --data into *set (a generic set is replaced
// by the one inferred).
func (m *Main) observe(cmd *cobra.Command, set *schema.Set, samples []string, data, query string, chosen bool) (*schema.Set, error) {
	var caps []schema.Capture
	for _, file := range samples {
		body, err := os.ReadFile(file)
		if err != nil {
			return nil, usagef("schema: %v", err)
		}
		doc, err := decode.ParseJSON(body)
		if err != nil {
			return nil, usagef("schema: %s", jsonErrorAt(file, body, err))
		}
		c := schema.Capture{Doc: doc, Example: doc}
		if !set.Generic {
			c.Event = eventTypeOf(set.Vendor, file, body)
		}
		caps = append(caps, c)
	}
	if data == "" && query != "" {
		return nil, usagef("schema: --query selects deliveries of --data: give --data too")
	}
	if data != "" {
		store, err := m.openData(data)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		defer store.Close()
		if _, err := catchUp(cmd.Context(), store); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		merged, ob, err := schema.Observe(cmd.Context(), store, registry, set, query, chosen)
		if err != nil {
			return nil, inputError(fmt.Errorf("schema: %s", message(err)), err)
		}
		fmt.Fprintf(m.Stderr, "merged %d of %d deliveries from %s (%d not JSON objects)\n", ob.Merged, ob.Deliveries, data, ob.Skipped)
		set = merged
		if set.Generic && len(caps) > 0 {
			return nil, usagef("schema: generic: give --data or SAMPLE files, not both")
		}
	}
	if set.Generic && data == "" {
		if len(caps) == 0 {
			return nil, usagef("schema: generic has no catalog: give --data or SAMPLE files to infer types from")
		}
		set = schema.Infer(set.Vendor, caps)
	} else if len(caps) > 0 {
		set.Merge(caps, chosen)
	}
	return set, nil
}

// eventTypeOf decodes body as a delivery of vendor and returns its event type.
func eventTypeOf(vendor, file string, body []byte) string {
	v := registry.Vendor(vendor)
	d := fileDelivery(file, body, v.PathPrefix())
	return registry.Decode(d, func(string) string { return "" }).EventType
}

// isFolder reports whether --out names a folder: it ends with a separator or is one.
func isFolder(out string) bool {
	if out == "" || out == "-" {
		return false
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return true
	}
	st, err := os.Stat(out)
	return err == nil && st.IsDir()
}

// writeFiles writes rendered files: to standard output (one file only), to the file out, or
// into the folder out.
func (m *Main) writeFiles(out string, files []schema.File) error {
	if !isFolder(out) {
		if len(files) != 1 {
			return fmt.Errorf("schema: %d files to write; give --out a folder", len(files))
		}
		if out == "" || out == "-" {
			_, err := m.Stdout.Write(files[0].Data)
			return err
		}
		if err := os.WriteFile(out, files[0].Data, 0o644); err != nil {
			return usagef("schema: %v", err)
		}
		fmt.Fprintf(m.Stderr, "wrote %s\n", out)
		return nil
	}
	for _, f := range files {
		p := filepath.Join(out, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return usagef("schema: %v", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return usagef("schema: %v", err)
		}
	}
	fmt.Fprintf(m.Stderr, "wrote %d file(s) to %s\n", len(files), out)
	return nil
}
