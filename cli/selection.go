package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"hooklens/backend"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

// listFlag collects a repeatable flag; commas separate values too.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Type() string { return "strings" }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// selectionFlags are the flags that choose deliveries (export and replay).
type selectionFlags struct {
	conversation, agent, query string
	ids                        listFlag
}

func (s *selectionFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&s.conversation, "conversation", "", "one conversation, as `VENDOR/ID` (livechat/PJ0MRSHTDG)")
	fs.StringVar(&s.agent, "agent", "", "every event of one agent, as `VENDOR/ID` (livechat/smith@example.com)")
	fs.StringVar(&s.query, "query", "", "a search, in the UI's language (\"vendor:iadvize type:v2.conversation.closed\")")
	fs.Var(&s.ids, "id", "a delivery `ID`; repeatable, or comma-separated")
	for _, name := range []string{"conversation", "agent"} {
		cmd.RegisterFlagCompletionFunc(name, completeVendorSlash)
	}
}

// selection returns the deliveries the flags choose; a usage error names the flag that is wrong.
func (s *selectionFlags) selection() (backend.Selection, error) {
	sel := backend.Selection{Query: s.query, IDs: s.ids}
	var err error
	if s.conversation != "" {
		if sel.Conversation, err = backend.ParseRef(s.conversation); err != nil {
			return sel, usagef("--conversation: %s", backend.ErrorMessage(err))
		}
	}
	if s.agent != "" {
		if sel.Agent, err = backend.ParseRef(s.agent); err != nil {
			return sel, usagef("--agent: %s", backend.ErrorMessage(err))
		}
	}
	if s.query != "" {
		if _, err := backend.ParseQuery(s.query); err != nil {
			return sel, usagef("--query: %s", backend.ErrorMessage(err))
		}
	}
	return sel, nil
}

func (s *selectionFlags) empty() bool {
	return s.conversation == "" && s.agent == "" && s.query == "" && len(s.ids) == 0
}

// openData opens the store of a data directory that must already hold one; a usage error when
// it holds none.
func (m *Main) openData(data string) (*sqlite.DB, error) {
	path := filepath.Join(data, "hooklens.db")
	if _, err := os.Stat(path); err != nil {
		return nil, usagef("no Hooklens store in %s (give --data the directory `hooklens serve` uses)", data)
	}
	return openStore(path, m.Stderr)
}

// catchUp decodes every delivery not decoded yet (serve does it in the background; a command
// run on its own must do it before it selects by vendor, conversation or agent). It returns
// the decoder, which holds the configured secrets.
func catchUp(ctx context.Context, store *sqlite.DB) (*ingest.Decoder, error) {
	dec, err := newDecoder(ctx, store)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithCancel(ctx)
	idle := dec.Idle()
	done := make(chan struct{})
	go func() { dec.Run(dctx); close(done) }()
	select {
	case <-idle:
	case <-ctx.Done():
	}
	cancel()
	<-done
	return dec, ctx.Err()
}

// newDecoder returns a decoder of store with the registered vendors and the store's secrets.
func newDecoder(ctx context.Context, store *sqlite.DB) (*ingest.Decoder, error) {
	dec := ingest.New(store, registry)
	return dec, dec.LoadSecrets(ctx)
}

// message is what a command prints for err: the message of a domain error, else the error.
func message(err error) string {
	if backend.ErrorCode(err) == backend.EINTERNAL {
		return err.Error()
	}
	return backend.ErrorMessage(err)
}

// inputError is shown as shown, and a usage error (exit status 2) when cause is a domain
// error of bad input (EINVALID).
func inputError(shown, cause error) error {
	if backend.ErrorCode(cause) == backend.EINVALID {
		return usageError{shown}
	}
	return shown
}

// noArgs rejects positional arguments as "NAME: unexpected argument".
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s: unexpected argument %q", cmd.Name(), args[0])
	}
	return nil
}
