package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// driftCodes are the flags validate reports: the body is not what the catalog documents.
var driftCodes = []string{decode.FlagUnknownField, decode.FlagMissingRequired, decode.FlagWrongType,
	decode.FlagUnknownEnum, decode.FlagUndocumentedEvent, decode.FlagInvalidBody}

// newValidateCmd is `hooklens validate`.
func (m *Main) newValidateCmd() *cobra.Command {
	var vendor, data, query string
	cmd := &cobra.Command{
		Use:   "validate FILE... [--vendor V] | --data DIR [--query Q]",
		Short: "Check webhook bodies against the vendors' schemas",
		Long: `Validate checks webhook bodies against what the vendor documents, with the verdicts the
inbox shows as drift flags: a field the catalog does not know, a required field that is missing,
a value of the wrong type, a value outside the documented ones, an event type the vendor does not
document. Each problem is printed with its path in the body.

FILE arguments are bodies as sent (JSON; a file ending in .form is read as a form-encoded
body). The vendor is recognised from the body's shape, or named with --vendor. With --data, the
deliveries of a store are checked instead (all, or those --query selects).

Exit status: 0 when every body passes, 1 when any has a problem, 2 for bad usage or a file that
cannot be read (its line and column are named for broken JSON).`,
		Example: `  # check an integration's own fixtures in CI
  hooklens validate testdata/webhooks/*.json

  # name the vendor when the shape does not say
  hooklens validate --vendor iadvize fixtures/closed.json

  # check what a running Hooklens captured from one vendor
  hooklens validate --data ~/.hooklens --query "vendor:livechat"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case data != "" && len(args) > 0:
				return usagef("validate: give FILE arguments or --data, not both")
			case data == "" && len(args) == 0:
				return usagef("validate: give FILE arguments or --data DIR (see hooklens validate --help)")
			case data == "" && query != "":
				return usagef("validate: --query selects deliveries of --data: give --data too")
			case vendor != "" && registry.Vendor(strings.ToLower(vendor)) == nil:
				return usagef("validate: unknown vendor %q (want %s)", vendor, vendorList())
			}
			if data != "" {
				return m.validateStore(cmd, data, query)
			}
			return m.validateFiles(args, strings.ToLower(vendor))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&vendor, "vendor", "", "the vendor of every FILE (default: recognised from each body)")
	fs.StringVar(&data, "data", "", "check the deliveries of this data `directory` instead of files")
	fs.StringVar(&query, "query", "", "with --data, check only the deliveries this search selects")
	cmd.MarkFlagDirname("data")
	cmd.RegisterFlagCompletionFunc("vendor", cobra.FixedCompletions(vendorNames(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// errProblems is returned when a body has problems (exit status 1).
var errProblems = errors.New("validate: problems found")

func (m *Main) validateFiles(files []string, vendor string) error {
	var bad []string
	ok, failed := 0, 0
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		form := strings.HasSuffix(file, ".form")
		if !form {
			if _, err := decode.ParseJSON(body); err != nil {
				bad = append(bad, jsonErrorAt(file, body, err))
				continue
			}
		}
		path := "/"
		if vendor != "" {
			path = registry.Vendor(vendor).PathPrefix()
		}
		d := fileDelivery(file, body, path)
		if vendor == "" && registry.Detect(decode.Prepare(d)) == nil {
			bad = append(bad, fmt.Sprintf("%s: no vendor recognises this body (name it with --vendor %s)", file, strings.Join(vendorNames(), "|")))
			continue
		}
		ev := registry.Decode(d, func(string) string { return "" })
		if m.report(file, &ev) {
			ok++
		} else {
			failed++
		}
	}
	for _, b := range bad {
		fmt.Fprintln(m.Stderr, b)
	}
	fmt.Fprintf(m.Stderr, "%d bodies checked: %d pass, %d with problems, %d unreadable\n", ok+failed, ok, failed, len(bad))
	switch {
	case len(bad) > 0:
		return usageError{fmt.Errorf("validate: %d of %d files could not be read", len(bad), len(files))}
	case failed > 0:
		return errProblems
	}
	return nil
}

// report prints the verdict on one body; it returns true when it passes.
func (m *Main) report(what string, ev *backend.Event) bool {
	var problems []backend.Flag
	for _, f := range ev.Flags {
		if slices.Contains(driftCodes, f.Code) {
			problems = append(problems, f)
		}
	}
	typ := ev.EventType
	if typ == "" {
		typ = "(no event type)"
	}
	if len(problems) == 0 {
		fmt.Fprintf(m.Stdout, "ok   %s: %s %s\n", what, ev.Vendor, typ)
		return true
	}
	fmt.Fprintf(m.Stdout, "FAIL %s: %s %s, %d problem(s)\n", what, ev.Vendor, typ, len(problems))
	for _, f := range problems {
		p := f.Path
		if p == "" {
			p = "(body)"
		}
		fmt.Fprintf(m.Stdout, "     %s: %s [%s]\n", p, f.Reason, f.Code)
	}
	return false
}

func (m *Main) validateStore(cmd *cobra.Command, data, query string) error {
	store, err := m.openData(data)
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	defer store.Close()
	ctx := cmd.Context()
	if _, err := catchUp(ctx, store); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	ok, failed, unknown := 0, 0, 0
	err = store.EachDelivery(ctx, backend.Selection{Query: query}, backend.ByArrival, func(it *backend.Item) error {
		if it.Event == nil || registry.Vendor(it.Event.Vendor) == nil {
			unknown++
			return nil
		}
		ev := registry.Decode(&it.Delivery, func(string) string { return "" }) // the flags, as the inbox shows them
		if m.report("delivery "+it.ID, &ev) {
			ok++
		} else {
			failed++
		}
		return nil
	})
	if err != nil {
		return inputError(fmt.Errorf("validate: %s", message(err)), err)
	}
	fmt.Fprintf(m.Stderr, "%d deliveries checked: %d pass, %d with problems; %d of no known vendor not checked\n", ok+failed, ok, failed, unknown)
	if failed > 0 {
		return errProblems
	}
	return nil
}

// fileDelivery wraps a body read from a file as a delivery on path; a .form file is a
// form-encoded body.
func fileDelivery(file string, body []byte, path string) *backend.Delivery {
	ct := "application/json"
	if strings.HasSuffix(file, ".form") {
		ct = "application/x-www-form-urlencoded"
	}
	return &backend.Delivery{ID: filepath.Base(file), Method: "POST", Path: path, ContentType: ct,
		Headers: backend.Headers{{Name: "Content-Type", Value: ct}}, Body: body, Size: int64(len(body))}
}

// jsonErrorAt says where a file stops being JSON: "FILE line L, column C: message".
func jsonErrorAt(file string, body []byte, err error) string {
	var se *json.SyntaxError
	off := int64(-1)
	if errors.As(err, &se) {
		off = se.Offset
	} else {
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		if derr := dec.Decode(&v); derr != nil && errors.As(derr, &se) {
			off = se.Offset
		}
	}
	if off < 0 {
		return fmt.Sprintf("%s: not JSON: %v", file, err)
	}
	line, col := 1, 1
	for _, c := range body[:max(0, min(int(off)-1, len(body)))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%s line %d, column %d: not JSON: %v", file, line, col, err)
}
