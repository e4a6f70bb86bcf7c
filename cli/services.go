package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/contract"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/ingest"
	"hooklens/backend/receiver"
	"hooklens/backend/registration"
	"hooklens/backend/replay"
	"hooklens/backend/settings"
	"hooklens/backend/sqlite"
	"hooklens/backend/tunnel"
)

// services are the running parts shared by both faces.
type services struct {
	store    *sqlite.DB
	decoder  *ingest.Decoder
	receiver *receiver.Server
	api      *api.Server
	settings *settings.Service
	tunnel   *tunnel.Manager
	beat     *receiver.Heartbeat
	cancel   context.CancelFunc
	done     sync.WaitGroup
	closed   sync.Once
}

// start opens the store, starts the decoder and the receiver; Close (or the face) stops them.
func (m *Main) start(ctx context.Context, c *config) (*services, error) {
	if err := os.MkdirAll(c.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	store, err := openStore(filepath.Join(c.Data, "hooklens.db"), m.Stderr)
	if err != nil {
		return nil, err
	}
	if store.Shared() {
		store.Close()
		return nil, fmt.Errorf("the data directory %s is in use by another Hooklens that is running (it holds the capture journal): stop it, or give this one another --data", c.Data)
	}
	s := &services{store: store}
	reg := registry
	s.decoder = ingest.New(store, reg)
	if err := s.decoder.LoadSecrets(ctx); err != nil {
		store.Close()
		return nil, err
	}
	for vendor, secret := range c.Secrets {
		if err := s.decoder.SetSecret(ctx, vendor, secret); err != nil {
			store.Close()
			return nil, inputError(fmt.Errorf("--secret %s: %w", vendor, err), err)
		}
	}
	for vendor, version := range c.Versions {
		if err := s.decoder.SetVersionPin(ctx, vendor, version); err != nil {
			store.Close()
			return nil, inputError(fmt.Errorf("--vendor-version %s: %w", vendor, err), err)
		}
	}
	if s.settings, err = settings.Load(ctx, store, s.decoder); err != nil {
		store.Close()
		return nil, err
	}
	c.applyPorts(s.settings.Get().Ports.Listen, s.settings.Get().Ports.UI)
	c.applySync(s.settings.Get().Sync)
	store.SetSyncPolicy(c.Sync) // before the receiver starts
	s.settings.SetActiveSync(c.Sync)
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.done.Add(1)
	go func() { defer s.done.Done(); s.decoder.Run(dctx) }()
	pruner := sqlite.NewPruner(store, func() backend.Retention { return s.settings.Get().Retention })
	s.done.Add(1)
	go func() { defer s.done.Done(); pruner.Run(dctx) }()

	h := receiver.NewHandler(store)
	h.MaxBody = c.MaxBody
	_ = h.SetResponses(s.settings.Get().Responses) // Load kept only valid ones
	s.settings.OnChange(func(st settings.Settings) { _ = h.SetResponses(st.Responses); pruner.Wake() })
	s.receiver = &receiver.Server{Handler: h, MaxHeaderSize: c.MaxHeaderSize,
		HeaderTimeout: c.HeaderTimeout, BodyTimeout: c.BodyTimeout}
	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		s.close()
		return nil, fmt.Errorf("receiver: %w", err)
	}
	s.settings.SetActive(settings.Ports{Listen: ln.Addr().String()})
	if s.tunnel, err = tunnel.New(tunnel.Config{ReceiverURL: "http://" + ln.Addr().String(), Store: store,
		Vendors: registration.Vendors(registry), OnProbe: func(p backend.Probe) {
			if err := store.AddProbe(context.Background(), p); err != nil {
				slog.Warn("coverage: record a probe", "err", err)
			}
		}}); err != nil {
		ln.Close()
		s.close()
		return nil, err
	}
	h.Probes = s.tunnel // before serving: the handler reads it without a lock
	s.receiver.Serve(ln)
	s.beat = &receiver.Heartbeat{Store: store, Interval: c.Heartbeat}
	if err := s.beat.Start(ctx); err != nil {
		slog.Warn("coverage: record the start", "err", err)
		s.beat = nil
	}
	if err := s.tunnel.Load(ctx); err != nil {
		slog.Warn("tunnel: restore", "err", err)
	}
	s.api = &api.Server{Store: store, Registry: reg, Settings: s.settings, Tunnel: s.tunnel, Timelines: store, Coverage: store, Assets: m.Assets,
		Version: m.Version, ReceiverURL: "http://" + s.receiver.Addr().String(), RegistrationAPIs: map[string]string{livechat.Name: c.LiveChatAPI}}
	if err := m.wireFixtures(dctx, s, c); err != nil {
		s.close()
		return nil, err
	}
	m.mu.Lock()
	m.running = s
	m.mu.Unlock()
	return s, nil
}

// stop closes s and forgets it.
func (m *Main) stop(s *services) {
	m.mu.Lock()
	if m.running == s {
		m.running = nil
	}
	m.mu.Unlock()
	s.close()
}

// wireFixtures starts the live forwarder (settings, or --forward-to for this run) and gives the
// API its fixture routes: export, import, replay, forward and simulate.
func (m *Main) wireFixtures(ctx context.Context, s *services, c *config) error {
	sender := &replay.Sender{}
	fwd := &replay.Forwarder{Store: s.store, Sender: sender, Self: []string{s.receiver.Addr().String()}}
	if err := fwd.Load(ctx); err != nil {
		slog.Warn("forward: saved settings ignored", "err", err)
	}
	if c.ForwardTo != "" {
		if err := fwd.Override(c.ForwardTo); err != nil {
			return usagef("--forward-to: %s", message(err))
		}
		fmt.Fprintf(m.Stderr, "hooklens: forwarding every capture to %s\n", c.ForwardTo)
	}
	stopped, err := fwd.Start(ctx)
	if err != nil {
		return err
	}
	s.done.Add(1)
	go func() { defer s.done.Done(); <-stopped }()
	s.api.Exports = &api.ExportService{Store: s.store, Vendors: registry, Secret: s.decoder.Secret,
		Generator: "hooklens " + m.Version}
	s.api.Imports = &api.ImportService{Store: s.store}
	s.api.Captures = s.store
	s.api.Replays = &api.ReplayService{Store: s.store, Base: ctx,
		Runs: &replay.Runs{Replayer: &replay.Replayer{Store: s.store, Sender: sender}}}
	s.api.Tests = &api.TestService{Base: ctx, Runs: &contract.Runs{Store: s.store, Registry: registry,
		Secret: s.decoder.Secret, Sender: &replay.Sender{}}}
	s.api.Forwarding = fwd
	s.api.Simulations = &api.SimulateService{Vendors: registry, Secret: s.decoder.Secret, Sender: sender,
		ReceiverURL: s.api.ReceiverURL}
	return nil
}

// close stops the receiver (answering every request in flight), then the decoder, then commits
// what is queued and closes the store. Only the first call does anything.
func (s *services) close() {
	s.closed.Do(func() {
		if s.tunnel != nil {
			s.tunnel.Close() // cloudflared first: nothing should reach a receiver that is going away
		}
		if s.receiver != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_ = s.receiver.Shutdown(ctx)
			cancel()
		}
		if s.beat != nil {
			s.beat.Stop() // the receiver has answered its last request: a clean stop
		}
		if s.cancel != nil {
			s.cancel()
		}
		s.done.Wait()
		if err := s.store.Close(); err != nil {
			slog.Error("close store", "err", err)
		}
	})
}

// openStore opens the database; a file that is not a database is moved aside (never overwritten)
// and a new one is started, saying so on stderr.
func openStore(path string, stderr io.Writer) (*sqlite.DB, error) {
	db := sqlite.NewDB(path)
	db.Rules = registry.Rulebook()
	err := db.Open()
	if err == nil {
		return db, nil
	}
	msg := err.Error()
	if !strings.Contains(msg, "not a database") && !strings.Contains(msg, "malformed") {
		return nil, err
	}
	aside := fmt.Sprintf("%s.corrupt-%s", path, time.Now().UTC().Format("20060102T150405Z"))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, statErr := os.Stat(path + suffix); statErr == nil {
			if mvErr := os.Rename(path+suffix, aside+suffix); mvErr != nil {
				return nil, fmt.Errorf("store %s is damaged (%v) and could not be moved aside: %w", path, err, mvErr)
			}
		}
	}
	fmt.Fprintf(stderr, "hooklens: the store %s was damaged (%v); it was moved to %s and a new store was started\n", path, err, aside)
	db = sqlite.NewDB(path)
	db.Rules = registry.Rulebook()
	return db, db.Open()
}
