package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hooklens/backend/export"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
)

// newSimulateCmd is `hooklens simulate`.
func (m *Main) newSimulateCmd() *cobra.Command {
	var (
		to, data string
		version  string
		list     bool
		interval time.Duration
		secrets  = secretFlags{}
		sets     []string
	)
	cmd := &cobra.Command{
		Use:   "simulate VENDOR|all [SCENARIO]",
		Short: "Send realistic sample webhooks of a vendor to a receiver",
		Long: `Simulate sends a realistic scenario of VENDOR's webhooks (` + vendorList() + `; all sends every
vendor's) with fresh ids and current times, signed the way the vendor signs when a secret is
configured: LiveChat secret_key in the body, iAdvize X-iAdvize-Signature, Closer X-Closer-Token.
--set PATH=VALUE changes the bodies before they are signed (payload.chat.id=TEST-1), as in
hooklens test; a PATH no event has is an error.
Secrets come from --secret, else from the store in --data (when it exists). Each request goes
to the URL with the vendor's path appended (http://127.0.0.1:8787/livechat by default).

SCENARIO is "conversation" (the default) or "agent"; --list shows them all. --version sends
the scenario as an older API version of the vendor would (action names and fields of that
version; events it does not have are left out). It exits with status 1 when the receiver did
not accept every event.`,
		Example: `  # one conversation of every vendor, to the local receiver
  hooklens simulate all

  # an agent's day on iAdvize, signed, one event a second
  hooklens simulate iadvize agent --secret iadvize=s3cr3t --interval 1s

  # a chat id of your own, set before signing
  hooklens simulate livechat --set payload.chat.id=TEST-1 --secret livechat=s3cr3t

  # a LiveChat conversation as an integration registered on API v3.4 receives it
  hooklens simulate livechat --version 3.4

  # the scenarios there are
  hooklens simulate --list`,
		Args: func(cmd *cobra.Command, args []string) error {
			if !list && (len(args) == 0 || len(args) > 2) {
				return usagef("simulate: want VENDOR [SCENARIO] (see hooklens simulate --help)")
			}
			return nil
		},
		ValidArgsFunction: completeSimulate,
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				for _, sc := range simulate.Scenarios(registry) {
					fmt.Fprintf(m.Stdout, "%-9s %-13s %s\n          %s\n", sc.Vendor, sc.Name, sc.Description, strings.Join(sc.Events, ", "))
				}
				return nil
			}
			scenario := ""
			if len(args) == 2 {
				scenario = args[1]
			}
			names := []string{strings.ToLower(args[0])}
			if names[0] == "all" {
				names = simulate.Vendors(registry)
			}
			var scenarios []simulate.Scenario
			for _, v := range names {
				sc, err := simulate.Find(registry, v, scenario)
				if err != nil {
					return inputError(fmt.Errorf("simulate: %s", message(err)), err)
				}
				scenarios = append(scenarios, sc)
			}
			if version != "" {
				if len(names) != 1 {
					return usagef("simulate: --version needs one vendor, not all")
				}
				if _, _, err := simulate.AtVersion(registry, names[0], version, nil); err != nil {
					return inputError(fmt.Errorf("simulate: --version: %s", message(err)), err)
				}
			}
			if _, err := replay.ParseTarget(to); err != nil {
				return inputError(fmt.Errorf("simulate: --to: %s", message(err)), err)
			}
			var edits []export.Set
			for _, s := range sets {
				set, err := export.ParseSet(s)
				if err != nil {
					return usagef("simulate: %s", message(err))
				}
				edits = append(edits, set)
			}
			stored, err := m.storedSecrets(cmd.Context(), data)
			if err != nil {
				return fmt.Errorf("simulate: %w", err)
			}
			return m.sendScenarios(cmd.Context(), scenarios, to, interval, secrets, stored, edits, version)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&to, "to", simulate.DefaultTarget, "receiver (or any) `URL`; the vendor's path is appended")
	fs.StringVar(&data, "data", defaultDataDir(), "data `directory` to read the configured secrets from, when it holds a store")
	fs.BoolVar(&list, "list", false, "list the scenarios")
	fs.StringVar(&version, "version", "", "send as this API `VERSION` of the vendor sends (e.g. 3.4); default: the newest")
	fs.DurationVar(&interval, "interval", 0, "wait between events (e.g. 1s)")
	fs.Var(secrets, "secret", "vendor secret as `VENDOR=SECRET`; repeatable (overrides the store's)")
	fs.StringArrayVar(&sets, "set", nil, "set the JSON body's value at `PATH=VALUE` before signing (payload.chat.id=TEST-1); repeatable")
	cmd.MarkFlagDirname("data")
	cmd.RegisterFlagCompletionFunc("secret", completeSecret)
	cmd.RegisterFlagCompletionFunc("to", cobra.NoFileCompletions)
	return cmd
}

// sendScenarios sends each scenario to target, signed with the given secret, else the stored one.
func (m *Main) sendScenarios(ctx context.Context, scenarios []simulate.Scenario, to string, interval time.Duration,
	secrets, stored map[string]string, sets []export.Set, version string) error {
	sender := &replay.Sender{}
	failed := 0
	built := make([][]simulate.Request, len(scenarios))
	skipped := make([][]string, len(scenarios)) // event types --version left out
	found := make([]bool, len(sets))
	signer := export.NewResigner(registry)
	for i, sc := range scenarios {
		secret, ok := secrets[sc.Vendor]
		if !ok {
			secret = stored[sc.Vendor]
		}
		built[i] = sc.Build(time.Now(), secret)
		if version != "" {
			var err error
			if built[i], skipped[i], err = simulate.AtVersion(registry, sc.Vendor, version, built[i]); err != nil {
				return fmt.Errorf("simulate: %s", message(err))
			}
		}
		if len(sets) == 0 {
			continue
		}
		for j := range built[i] {
			r := &built[i][j]
			body, ok := export.ApplySets(r.Delivery.Body, sets)
			for k := range ok {
				found[k] = found[k] || ok[k]
			}
			r.Delivery.Body = body
			signed, _ := signer.Sign(&r.Delivery, sc.Vendor, secret, export.Signed)
			r.Delivery = *signed
		}
	}
	for k, s := range sets {
		if !found[k] {
			return usagef("simulate: --set %s: no simulated event has %s in its body", s.Path, s.Path)
		}
	}
	for i, sc := range scenarios {
		secret, ok := secrets[sc.Vendor]
		if !ok {
			secret = stored[sc.Vendor]
		}
		signed := "unsigned (no secret configured)"
		if secret != "" {
			signed = "signed with the configured secret"
		}
		if version != "" {
			signed += ", as API version " + version
			if len(skipped[i]) > 0 {
				signed += fmt.Sprintf(" (left out, not in %s: %s)", version, strings.Join(skipped[i], ", "))
			}
		}
		fmt.Fprintf(m.Stdout, "%s %s: %d events, %s\n", sc.Vendor, sc.Name, len(built[i]), signed)
		sent, err := simulate.Send(ctx, sender, to, built[i], interval)
		for _, s := range sent {
			line := fmt.Sprintf("  %-26s -> %d", s.EventType, s.Status)
			if s.ID != "" {
				line += "  " + s.ID
			}
			if s.Error != "" {
				line += "  error: " + s.Error
				failed++
			}
			fmt.Fprintln(m.Stdout, line)
		}
		if err != nil {
			return fmt.Errorf("simulate: %s", message(err))
		}
	}
	if failed > 0 {
		return fmt.Errorf("simulate: %d events were not accepted by %s", failed, to)
	}
	return nil
}

// storedSecrets reads the vendor secrets of the store in data, when there is one; it opens
// the store only to read (no migration is started for a store that does not exist).
func (m *Main) storedSecrets(ctx context.Context, data string) (map[string]string, error) {
	out := map[string]string{}
	path := filepath.Join(data, "hooklens.db")
	if _, err := os.Stat(path); err != nil {
		return out, nil
	}
	store, err := openStore(path, m.Stderr)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	dec, err := newDecoder(ctx, store)
	if err != nil {
		return nil, err
	}
	for _, v := range registry.Names() {
		out[v] = dec.Secret(v)
	}
	return out, nil
}
