package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hooklens/backend"
	"hooklens/backend/contract"
	"hooklens/backend/export"
	"hooklens/backend/replay"
)

// testFlags are the flags of `hooklens test`.
type testFlags struct {
	data, to, order, pace, mapFile, expect string
	speed, dupRate                         float64
	concurrency, shuffle                   int
	seed                                   uint64
	timeout                                time.Duration
	unsigned, tamper, retries              bool
	sets, reports                          []string
	secrets                                secretFlags
	sel                                    selectionFlags
	progress                               progressFlags
}

// newTestCmd is `hooklens test`.
func (m *Main) newTestCmd() *cobra.Command {
	f := testFlags{secrets: secretFlags{}}
	cmd := &cobra.Command{
		Use:   "test (SOURCE... | --data DIR --conversation VENDOR/ID | --agent VENDOR/ID | --query Q | --id ID...) --to URL",
		Short: "Check a webhook handler against recorded deliveries, with a verdict for CI",
		Long: `Test sends recorded deliveries to your webhook handler as the vendor sends them and checks every
answer. SOURCE is anything import reads (a fixture folder or its manifest.json, a .zip, .ndjson,
.har), read straight into memory: nothing is stored, nothing is written under your config
directory. Or --data DIR with a selection tests deliveries of a Hooklens store.

Each delivery goes with its method, headers in their order and case (Host and Content-Length
set for the target) and body byte for byte, in timeline order (when the events happened;
--order arrival for the order they came in), signed for the handler: LiveChat's secret_key,
iAdvize's X-iAdvize-Signature and Closer's token are made from --secret VENDOR=S, else from the
fixture secret the file carries. --unsigned and --tamper send them without or with a wrong
credential on purpose: the handler must then reject them (4xx).

--set PATH=VALUE changes a JSON body before signing (payload.chat.id=TEST-1; key[N] picks an
array element, key[] every one); --map FILE rewrites ids across every delivery (a YAML or JSON
mapping of old id to new id, where {run} becomes a new token each run).

--retries sends every delivery again on the vendor's retry schedule (delays divided by --speed;
one redelivery 5 s later for a vendor that documents none) and checks it gets the same answer;
--shuffle N reorders deliveries within windows of N and --duplicate-rate P sends random
duplicates, both from a printed seed that --seed reproduces.

By default every answer must be 2xx within the vendor's timeout (--timeout overrides it).
--expect FILE (YAML or JSON) adds rules for every delivery (default), per event type (events)
and per delivery id (deliveries): status ("2xx", 200, a list), unsigned_status, max_latency,
body (path with equals, matches or contains), headers (name with equals, matches, contains or
absent) and same_on_retry.

It prints one line per delivery and a summary; --report junit=FILE and --report json=FILE
write reports (repeatable). It exits with status 0 when every delivery passes, 1 when one
fails, 2 for bad flags or input (naming the file and line).`,
		Example: `  # the CI line: a committed fixture folder against the service, with the vendor's retries
  hooklens test fixtures/closed-chat --to http://localhost:3000/webhooks --retries --report junit=hooklens.xml

  # a handler that verifies signatures must reject tampered deliveries
  hooklens test fixtures/closed-chat --to http://localhost:3000/webhooks --tamper

  # fresh ids each run, events shuffled within windows of 4, reproducible by seed
  hooklens test chats.zip --to http://localhost:3000 --map ids.yaml --shuffle 4 --seed 42

  # one stored conversation, with expectations
  hooklens test --data ~/.config/hooklens --conversation livechat/PJ0MRSHTDG --to http://localhost:3000 --expect expect.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.runTest(cmd, f, args)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.data, "data", "", "with a selection: the data `directory` to read stored deliveries from")
	fs.StringVar(&f.to, "to", "", "the handler's `URL` (http:// or https://); each delivery's path is appended to its path")
	fs.StringVar(&f.order, "order", contract.OrderTimeline, "timeline (when the events happened) or arrival (when they were received)")
	fs.StringVar(&f.pace, "pace", replay.PaceFast, "fast (one after the other) or original (the intervals they arrived at)")
	fs.Float64Var(&f.speed, "speed", 1, "divides the original intervals and the retry delays: 10 is ten times faster")
	fs.IntVar(&f.concurrency, "concurrency", 1, "requests in flight at once")
	fs.DurationVar(&f.timeout, "timeout", 0, "how long an answer may take (default: the vendor's timeout, else 10s)")
	fs.Var(f.secrets, "secret", "vendor secret to sign with, as `VENDOR=SECRET`; repeatable (default: the file's fixture secret)")
	fs.BoolVar(&f.unsigned, "unsigned", false, "send every delivery without its signature, token or secret_key: the handler must answer 4xx")
	fs.BoolVar(&f.tamper, "tamper", false, "send every delivery with a wrong credential (iAdvize: a body changed after signing): the handler must answer 4xx")
	fs.StringArrayVar(&f.sets, "set", nil, "set the JSON body's value at `PATH=VALUE` before signing (payload.chat.id=TEST-1); repeatable")
	fs.StringVar(&f.mapFile, "map", "", "`FILE` mapping old ids to new ones (YAML or JSON; {run} is a new token each run)")
	fs.BoolVar(&f.retries, "retries", false, "send each delivery again on the vendor's retry schedule and check the answer is the same")
	fs.IntVar(&f.shuffle, "shuffle", 0, "reorder deliveries at random within windows of `N`")
	fs.Uint64Var(&f.seed, "seed", 0, "seed of --shuffle and --duplicate-rate (default: a new one, printed)")
	fs.Float64Var(&f.dupRate, "duplicate-rate", 0, "chance `P` (0 to 1) that a delivery is sent twice")
	fs.StringVar(&f.expect, "expect", "", "expectations `FILE` (YAML or JSON)")
	fs.StringArrayVar(&f.reports, "report", nil, "write a report as `junit=FILE` or json=FILE; repeatable")
	f.sel.register(cmd)
	f.progress.register(cmd)
	cmd.MarkFlagDirname("data")
	cmd.MarkFlagFilename("map", "yaml", "yml", "json")
	cmd.MarkFlagFilename("expect", "yaml", "yml", "json")
	cmd.RegisterFlagCompletionFunc("secret", completeSecret)
	cmd.RegisterFlagCompletionFunc("to", cobra.NoFileCompletions)
	cmd.RegisterFlagCompletionFunc("order", cobra.FixedCompletions([]string{contract.OrderTimeline, contract.OrderArrival}, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("pace", cobra.FixedCompletions([]string{replay.PaceFast, replay.PaceOriginal}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// report is one --report: a format and a file.
type testReport struct{ format, file string }

func (m *Main) runTest(cmd *cobra.Command, f testFlags, args []string) error {
	ctx := cmd.Context()
	fromStore := !f.sel.empty()
	switch {
	case f.to == "":
		return usagef("test: --to URL is required: where your handler listens")
	case fromStore && len(args) > 0:
		return usagef("test: give files or a selection (--conversation, --agent, --query, --id) with --data, not both")
	case !fromStore && len(args) == 0:
		return usagef("test: nothing to send: give SOURCE files, or --data DIR with a selection")
	case fromStore && f.data == "":
		return usagef("test: a selection reads a store: give --data DIR")
	case f.data != "" && !fromStore:
		return usagef("test: --data needs a selection (--conversation, --agent, --query or --id)")
	case f.unsigned && f.tamper:
		return usagef("test: --unsigned and --tamper cannot go together")
	}
	var reports []testReport
	for _, r := range f.reports {
		format, file, ok := strings.Cut(r, "=")
		format = strings.ToLower(format)
		if !ok || file == "" || (format != "junit" && format != "json") {
			return usagef("test: --report %q: want junit=FILE or json=FILE", r)
		}
		reports = append(reports, testReport{format, file})
	}
	runTag := strings.TrimPrefix(replay.NewRunID(), "run-")[:8]
	opts := contract.Options{To: f.to, Order: f.order, Pace: f.pace, Speed: f.speed, Concurrency: f.concurrency,
		Timeout: f.timeout, Signing: export.Signed, Sets: f.sets, Retries: f.retries, Shuffle: f.shuffle,
		DuplicateRate: f.dupRate, Seed: f.seed, Secrets: map[string]string{}}
	if f.unsigned {
		opts.Signing = export.Unsigned
	}
	if f.tamper {
		opts.Signing = export.Tampered
	}
	if f.expect != "" {
		data, err := os.ReadFile(f.expect)
		if err != nil {
			return usagef("test: --expect: %v", err)
		}
		if opts.Expect, err = contract.ParseExpectations(f.expect, data); err != nil {
			return usagef("test: --expect %s", message(err))
		}
	}
	if f.mapFile != "" {
		data, err := os.ReadFile(f.mapFile)
		if err != nil {
			return usagef("test: --map: %v", err)
		}
		if opts.IDMap, err = contract.ParseIDMap(f.mapFile, data, runTag); err != nil {
			return usagef("test: --map %s", message(err))
		}
	}
	var inputs []contract.Input
	if fromStore {
		in, secrets, err := m.storedInputs(ctx, f.data, f.sel)
		if err != nil {
			return err
		}
		inputs, opts.Secrets = in, secrets
	} else {
		for _, name := range args {
			items, res, err := export.ReadPath(ctx, name, "")
			if err != nil {
				return usagef("test: %s", message(err))
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(m.Stdout, "warning: %s: %s\n", name, w)
			}
			for v, s := range res.SecretsFor(registry.Names()) {
				opts.Secrets[v] = s
			}
			for _, it := range items {
				inputs = append(inputs, contract.Input{Delivery: it.Delivery, File: name})
			}
		}
	}
	for v, s := range f.secrets {
		if registry.Vendor(v) == nil {
			return usagef("test: --secret %s: no such vendor (%s)", v, vendorList())
		}
		opts.Secrets[v] = s
	}
	plan, err := contract.NewPlan(registry, inputs, opts)
	if err != nil {
		return inputError(fmt.Errorf("test: %s", message(err)), err)
	}
	for _, w := range plan.Warnings {
		fmt.Fprintln(m.Stdout, "warning:", w)
	}
	head := fmt.Sprintf("testing %s with %d deliveries (%s, %s order", f.to, len(plan.Cases), opts.Signing, plan.Options.Order)
	if f.retries {
		head += ", with the vendors' retries"
	}
	if len(opts.IDMap) > 0 {
		head += fmt.Sprintf(", %d ids mapped, run token %s", len(opts.IDMap), runTag)
	}
	fmt.Fprintln(m.Stdout, head+")")
	if f.shuffle > 1 || f.dupRate > 0 {
		fmt.Fprintf(m.Stdout, "seed %d (--seed %d sends the same order and duplicates again)\n", plan.Seed, plan.Seed)
	}
	bar := f.progress.start(m, "test", "requests", int64(plan.Attempts()))
	sent := int64(0)
	runner := &contract.Runner{Sender: &replay.Sender{}}
	// Lines come in sending order: a case that finished early waits for those before it.
	waiting, next := map[int]*contract.Case{}, 0
	flush := func() {
		for c := waiting[next]; c != nil; c = waiting[next] {
			bar.Pause(func() { printCase(m.Stdout, c) })
			delete(waiting, next)
			next++
		}
	}
	rep := runner.Run(ctx, plan, func(c *contract.Case) {
		sent += int64(len(c.Attempts))
		waiting[c.Index] = c
		flush()
		bar.Set(sent, 0)
	})
	bar.Done()
	for _, c := range rep.Cases { // a stopped run: what finished after a case that did not
		if waiting[c.Index] != nil {
			printCase(m.Stdout, c)
		}
	}
	for _, r := range reports {
		if err := writeTestReport(r, rep); err != nil {
			return fmt.Errorf("test: --report %s=%s: %w", r.format, r.file, err)
		}
	}
	retries, dups := 0, 0
	for _, c := range rep.Cases {
		for _, a := range c.Attempts {
			switch a.Kind {
			case contract.KindRetry:
				retries++
			case contract.KindDuplicate:
				dups++
			}
		}
	}
	fmt.Fprintf(m.Stdout, "\n%d deliveries, %d requests (%d retries, %d duplicates) in %v: %d passed, %d failed\n",
		len(rep.Cases), rep.Sent, retries, dups, (time.Duration(rep.DurationMS * float64(time.Millisecond))).Round(time.Millisecond), rep.Passed, rep.Failed)
	if rep.Failed > 0 {
		unreachable := 0
		for _, c := range rep.Cases {
			if len(c.Attempts) > 0 && strings.HasPrefix(c.Attempts[0].Error, "connect:") {
				unreachable++
			}
		}
		if unreachable == len(rep.Cases) {
			fmt.Fprintf(m.Stdout, "nothing answers at %s: is your service running and listening there?\n", f.to)
		}
		if f.shuffle > 1 || f.dupRate > 0 {
			fmt.Fprintf(m.Stdout, "to send the same order again: --seed %d\n", rep.Seed)
		}
		return fmt.Errorf("test: %d of %d deliveries failed", rep.Failed, len(rep.Cases))
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// storedInputs reads the deliveries sel picks in the store of data, and the store's secrets.
func (m *Main) storedInputs(ctx context.Context, data string, sf selectionFlags) ([]contract.Input, map[string]string, error) {
	sel, err := sf.selection()
	if err != nil {
		return nil, nil, fmt.Errorf("test: %w", err)
	}
	store, err := m.openData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("test: %w", err)
	}
	defer store.Close()
	dec, err := catchUp(ctx, store)
	if err != nil {
		return nil, nil, fmt.Errorf("test: %w", err)
	}
	var out []contract.Input
	err = store.EachDelivery(ctx, sel, backend.ByArrival, func(it *backend.Item) error {
		d := it.Delivery
		out = append(out, contract.Input{Delivery: &d})
		return nil
	})
	if err != nil {
		return nil, nil, inputError(fmt.Errorf("test: %s", message(err)), err)
	}
	if len(out) == 0 {
		return nil, nil, usagef("test: nothing in %s matches the selection", data)
	}
	secrets := map[string]string{}
	for _, v := range registry.Names() {
		if s := dec.Secret(v); s != "" {
			secrets[v] = s
		}
	}
	return out, secrets, nil
}

// printCase writes one line per delivery: verdict, event, id, answers, the first failure.
func printCase(w io.Writer, c *contract.Case) {
	verdict := "PASS"
	if !c.Passed {
		verdict = "FAIL"
	}
	var answers []string
	for _, a := range c.Attempts {
		s := "no answer"
		if a.Error == "" {
			s = fmt.Sprintf("%d", a.Status)
		}
		s += fmt.Sprintf(" %s", (time.Duration(a.LatencyMS * float64(time.Millisecond))).Round(100*time.Microsecond))
		if a.Kind != contract.KindFirst {
			s = a.Kind + " " + s
		}
		answers = append(answers, s)
	}
	line := fmt.Sprintf("%s %3d %-9s %-30s %s  %s", verdict, c.Index+1, c.Vendor, c.EventType, c.DeliveryID, strings.Join(answers, ", "))
	fmt.Fprintln(w, line)
	for _, f := range c.Failures {
		fmt.Fprintln(w, "         ", f)
	}
}

func writeTestReport(r testReport, rep *contract.Report) error {
	if dir := filepath.Dir(r.file); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	out, err := os.Create(r.file)
	if err != nil {
		return err
	}
	if r.format == "junit" {
		err = contract.WriteJUnit(out, rep)
	} else {
		err = contract.WriteJSON(out, rep)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
