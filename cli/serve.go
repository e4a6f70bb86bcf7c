package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"hooklens/backend/api"
	"hooklens/backend/settings"
)

// newServeCmd is `hooklens serve`: the headless face.
func (m *Main) newServeCmd() *cobra.Command {
	var flags faceFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run headless: receiver plus the browser UI on loopback, URL printed",
		Long: `Serve runs the receiver on --listen and the same UI as the desktop window on --ui, for a
browser. Both listen on loopback by default. The UI and its API are protected by a token: open
the printed UI URL, which carries it. Stop with Ctrl-C: every delivery in flight is answered
and stored first.

Secrets given with --secret (or HOOKLENS_SECRET_<VENDOR> in the environment) are stored and
used to verify deliveries; --vendor-version pins a vendor's API version (stored too): drift is
then checked against that version; --forward-to forwards every capture, for this run only.`,
		Example: `  # the receiver on :8787 and the UI on :8788 (a tunnel exposes 8787 only)
  hooklens serve

  # another data directory, verify LiveChat deliveries with a secret
  hooklens serve --data ./hooks --secret livechat=s3cr3t

  # check LiveChat drift against API v3.5 (what the integration was registered with)
  hooklens serve --vendor-version livechat=3.5

  # forward every capture to a local service while capturing
  hooklens serve --forward-to http://localhost:3000/webhooks`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := flags.config(true)
			if err != nil {
				return err
			}
			s, err := m.start(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer m.stop(s)
			return m.runHeadless(cmd.Context(), c, s)
		},
	}
	flags.register(cmd, true)
	return cmd
}

// runHeadless serves the UI/API on its own loopback listener behind the token guard.
func (m *Main) runHeadless(ctx context.Context, c *config, s *services) error {
	ln, err := net.Listen("tcp", c.UI)
	if err != nil {
		return fmt.Errorf("ui: %w", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.settings.SetActive(settings.Ports{UI: addr.String()})
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(m.Stderr, "hooklens: WARNING: the UI listens on %s, which is not loopback: anyone who can reach it and has the token can read every capture\n", addr)
	}
	token := c.Token
	if token == "" {
		token = rand.Text()
	}
	s.api.Guard = &api.Guard{Token: token, Hosts: api.LoopbackHosts(addr.String())}
	srv := &http.Server{Handler: s.api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(m.Stdout, "Receiver: %s\n", s.api.ReceiverURL)
	fmt.Fprintf(m.Stdout, "UI: http://%s/?token=%s\n", addr, token)
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("ui: %w", err)
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx) // live streams end when it times out
	return nil
}
