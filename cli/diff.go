package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/diff"
	"hooklens/backend/export"
	"hooklens/backend/sqlite"
	"hooklens/cli/progress"
)

// maxDiffFile bounds a body read from a file for a diff.
const maxDiffFile = 64 << 20

type diffFlags struct {
	data           string
	ignoreVolatile bool
	jsonOut        bool
	headerCase     bool
	headerOrder    bool
	catalog        bool
	exitCode       bool
	conversations  []string
}

// newDiffCmd is `hooklens diff`: what changed between two deliveries or two conversations.
func (m *Main) newDiffCmd() *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff A B | diff --catalog A | diff --conversation VENDOR/ID --conversation VENDOR/ID",
		Short: "Show what changed between two deliveries or two conversations",
		Long: `Diff compares two deliveries field by field: A and B are delivery ids in the store (--data)
or files: a body file of an exported fixture folder (its manifest.json gives the method, path
and headers) or any raw body. Objects are compared key by key,
arrays by an id-like key where every element has one ("id", "eventId"…) and by position
otherwise; a value of another JSON type is called out. Each changed field says what the vendor's
catalog documents about it. Headers are compared too, names case-insensitively and in any
order unless --header-case or --header-order.

--ignore-volatile hides what differs on every delivery: ids, times, secret_key, signatures,
tunnel and trace headers. A retry and its original say "same body" plainly.

--catalog compares one delivery with its event type's documented shape: undocumented fields,
missing required fields, wrong types and values, and documented fields it does not carry.

--conversation twice compares two conversations: their events aligned on event type and
actors' roles, the events only one has, and for each aligned pair the fields that differ
(volatile ones ignored).

Text goes to standard output, coloured on a terminal; --json writes the same as the API.
The exit status is 0 (or 1 with --exit-code when something differs), 2 for bad usage or input.`,
		Example: `  # a retry against its original
  hooklens diff 0193a4c2-… 0193a4c3-… --ignore-volatile

  # two fixture bodies
  hooklens diff fixtures/0001-incoming_chat.json today/0001-incoming_chat.json

  # a delivery against the catalog
  hooklens diff --catalog 0193a4c2-…

  # the same scenario on two days
  hooklens diff --conversation livechat/PJ0MRSHTDG --conversation livechat/QK1NSTIUEH`,
		RunE: func(cmd *cobra.Command, args []string) error { return m.runDiff(cmd.Context(), f, args) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.data, "data", defaultDataDir(), "data `directory` (for delivery ids and conversations)")
	fs.BoolVar(&f.ignoreVolatile, "ignore-volatile", false, "hide fields and headers that differ on every delivery (ids, times, secrets, signatures)")
	fs.BoolVar(&f.jsonOut, "json", false, "write JSON instead of text")
	fs.BoolVar(&f.headerCase, "header-case", false, "compare header names case-sensitively")
	fs.BoolVar(&f.headerOrder, "header-order", false, "report headers that came in another order")
	fs.BoolVar(&f.catalog, "catalog", false, "compare one delivery with its event type's documented shape")
	fs.BoolVar(&f.exitCode, "exit-code", false, "exit with status 1 when something differs")
	fs.StringArrayVar(&f.conversations, "conversation", nil, "`VENDOR/ID` of a conversation to compare (give it twice)")
	cmd.MarkFlagDirname("data")
	return cmd
}

func (m *Main) runDiff(ctx context.Context, f diffFlags, args []string) error {
	var store *sqlite.DB
	openStore := func() (*sqlite.DB, error) {
		if store != nil {
			return store, nil
		}
		s, err := m.openData(f.data)
		if err != nil {
			return nil, fmt.Errorf("diff: %w", err)
		}
		if _, err := catchUp(ctx, s); err != nil {
			s.Close()
			return nil, fmt.Errorf("diff: %w", err)
		}
		store = s
		return s, nil
	}
	defer func() {
		if store != nil {
			store.Close()
		}
	}()
	color := !f.jsonOut && progress.IsTerminal(m.Stdout)
	p := &printer{w: m.Stdout, color: color}
	switch {
	case len(f.conversations) > 0:
		if len(f.conversations) != 2 || len(args) > 0 {
			return usagef("diff: give --conversation exactly twice, and no delivery")
		}
		s, err := openStore()
		if err != nil {
			return err
		}
		var sides [2]diff.ConversationSide
		var events [2][]diff.ConversationEvent
		for i, ref := range f.conversations {
			vendor, id, err := api.ParseConversationRef("--conversation", ref)
			if err != nil {
				return usagef("diff: %s", message(err))
			}
			if events[i], err = api.ConversationEvents(ctx, s, s, vendor, id); err != nil {
				return inputError(fmt.Errorf("diff: --conversation %s: %s", ref, message(err)), err)
			}
			sides[i] = diff.ConversationSide{Vendor: vendor, ID: id}
		}
		d := diff.Conversations(registry, sides[0], sides[1], events[0], events[1])
		if f.jsonOut {
			return writeJSONOut(m.Stdout, d)
		}
		p.conversation(d)
		return differs(f.exitCode, d.Changed+d.Missing+d.Inserted > 0)
	case f.catalog:
		if len(args) != 1 {
			return usagef("diff: --catalog compares one delivery (an id or a file)")
		}
		side, err := m.diffSide(ctx, args[0], openStore)
		if err != nil {
			return err
		}
		c := registry.CompareCatalog(side.Delivery, side.Event)
		if f.jsonOut {
			return writeJSONOut(m.Stdout, c)
		}
		p.catalog(side.Label, c)
		return differs(f.exitCode, len(c.Rows) > 0)
	}
	if len(args) != 2 {
		return usagef("diff: give two deliveries (ids or files), --catalog and one, or --conversation twice")
	}
	var sides [2]diff.Side
	for i, a := range args {
		s, err := m.diffSide(ctx, a, openStore)
		if err != nil {
			return err
		}
		sides[i] = s
	}
	d := diff.Deliveries(registry, sides[0], sides[1], diff.DeliveryOptions{IgnoreVolatile: f.ignoreVolatile,
		Headers: diff.HeaderOptions{Case: f.headerCase, Order: f.headerOrder}})
	if f.jsonOut {
		return writeJSONOut(m.Stdout, d)
	}
	p.delivery(d)
	return differs(f.exitCode, !d.SameBody && (len(d.Fields) > 0 || len(d.Lines) > 0) || len(d.Headers) > 0)
}

func differs(exitCode, yes bool) error {
	if exitCode && yes {
		return errors.New("diff: they differ")
	}
	return nil
}

// diffSide reads arg: a file holding a body when one exists at that path, else a delivery id in
// the store.
func (m *Main) diffSide(ctx context.Context, arg string, open func() (*sqlite.DB, error)) (diff.Side, error) {
	if st, err := os.Stat(arg); err == nil {
		if st.IsDir() {
			return diff.Side{}, usagef("diff: %s is a folder: give one of its files", arg)
		}
		fh, err := os.Open(arg)
		if err != nil {
			return diff.Side{}, usagef("diff: %s: %v", arg, err)
		}
		defer fh.Close()
		body, err := io.ReadAll(io.LimitReader(fh, maxDiffFile+1))
		if err != nil {
			return diff.Side{}, usagef("diff: %s: %v", arg, err)
		}
		if len(body) > maxDiffFile {
			return diff.Side{}, usagef("diff: %s is larger than %d MiB", arg, maxDiffFile>>20)
		}
		d, err := export.FixtureDelivery(arg, body) // headers, path and method from the fixture's manifest
		if err != nil {
			return diff.Side{}, inputError(fmt.Errorf("diff: %s: %s", arg, message(err)), err)
		}
		if d == nil { // a plain body file
			ct := "application/octet-stream"
			if strings.EqualFold(filepath.Ext(arg), ".json") || json.Valid(body) {
				ct = "application/json"
			}
			d = &backend.Delivery{ID: filepath.Base(arg), Method: "POST", Path: "/", ContentType: ct, Body: body, Size: int64(len(body)),
				Headers: backend.Headers{{Name: "Content-Type", Value: ct}}}
		}
		return diff.Side{Delivery: d, Label: arg}, nil
	}
	if strings.ContainsAny(arg, `/\`) {
		return diff.Side{}, usagef("diff: %s: no such file", arg)
	}
	s, err := open()
	if err != nil {
		return diff.Side{}, err
	}
	v, err := s.FindDeliveryByID(ctx, arg)
	if err != nil {
		if backend.ErrorCode(err) == backend.ENOTFOUND {
			return diff.Side{}, usagef("diff: %s is neither a file nor a delivery in %s", arg, s.Path)
		}
		return diff.Side{}, fmt.Errorf("diff: %s: %s", arg, message(err))
	}
	return diff.Side{Delivery: &v.Delivery, Event: v.Event, DuplicateOf: v.DuplicateOf, Label: arg}, nil
}
