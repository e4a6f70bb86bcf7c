package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/receiver"
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
	cancel   context.CancelFunc
	done     sync.WaitGroup
}

// start opens the store, starts the decoder and the receiver.
func start(ctx context.Context, c *config) (*services, error) {
	if err := os.MkdirAll(c.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	store, err := openStore(filepath.Join(c.Data, "hooklens.db"))
	if err != nil {
		return nil, err
	}
	s := &services{store: store}
	reg := all.Registry()
	s.decoder = ingest.New(store, reg)
	if err := s.decoder.LoadSecrets(ctx); err != nil {
		store.Close()
		return nil, err
	}
	for vendor, secret := range c.Secrets {
		if err := s.decoder.SetSecret(ctx, vendor, secret); err != nil {
			store.Close()
			return nil, fmt.Errorf("--secret %s: %w", vendor, err)
		}
	}
	if s.settings, err = settings.Load(ctx, store, s.decoder); err != nil {
		store.Close()
		return nil, err
	}
	c.applyPorts(s.settings.Get().Ports.Listen, s.settings.Get().Ports.UI)
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
	if s.tunnel, err = tunnel.New(tunnel.Config{ReceiverURL: "http://" + ln.Addr().String(), Store: store}); err != nil {
		ln.Close()
		s.close()
		return nil, err
	}
	h.Probes = s.tunnel // before serving: the handler reads it without a lock
	s.receiver.Serve(ln)
	if err := s.tunnel.Load(ctx); err != nil {
		slog.Warn("tunnel: restore", "err", err)
	}
	s.api = &api.Server{Store: store, Registry: reg, Secrets: s.settings, Tunnel: s.tunnel, Timelines: store, Assets: frontend(),
		Version: version, ReceiverURL: "http://" + s.receiver.Addr().String(), LiveChatAPI: c.LiveChatAPI}
	if err := wireFixtures(dctx, s, c); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// close stops the receiver (answering every request in flight), then the decoder, then commits
// what is queued and closes the store.
func (s *services) close() {
	if s.tunnel != nil {
		s.tunnel.Close() // cloudflared first: nothing should reach a receiver that is going away
	}
	if s.receiver != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = s.receiver.Shutdown(ctx)
		cancel()
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.done.Wait()
	if err := s.store.Close(); err != nil {
		slog.Error("close store", "err", err)
	}
}

// openStore opens the database; a file that is not a database is moved aside (never overwritten)
// and a new one is started, saying so on stderr.
func openStore(path string) (*sqlite.DB, error) {
	db := sqlite.NewDB(path)
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
	fmt.Fprintf(os.Stderr, "hooklens: the store %s was damaged (%v); it was moved to %s and a new store was started\n", path, err, aside)
	db = sqlite.NewDB(path)
	return db, db.Open()
}

// runApp runs the desktop face, or with serve the headless one, until ctx is done or the window closes.
func runApp(ctx context.Context, args []string, serve bool) error {
	name := "hooklens"
	if serve {
		name = "hooklens serve"
	}
	c, err := parseConfig(name, args, serve)
	if err != nil {
		return err
	}
	s, err := start(ctx, c)
	if err != nil {
		return err
	}
	if !serve {
		return runDesktop(desktopConfig{Assets: frontend(), API: s.api.Handler(), Feed: s.api.Feed,
			ReceiverURL: s.api.ReceiverURL, OnShutdown: s.close,
			Imports: s.api.Imports, Store: s.store, Settings: s.settings, DataDir: c.Data, Version: version})
	}
	defer s.close()
	return runHeadless(ctx, c, s)
}

// Garbage collection: every capture, export or import row allocates its body, and with Go's
// default (collect when the heap doubled) a small live heap is collected thousands of times a
// minute under load. Every command collects when the heap grew by gcPercent, and sooner as it
// nears gcSoftLimit; an explicit GOGC or GOMEMLIMIT wins.
const (
	gcPercent   = 300
	gcSoftLimit = 128 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcSoftLimit)
	}
}

// runHeadless serves the UI/API on its own loopback listener behind the token guard.
func runHeadless(ctx context.Context, c *config, s *services) error {
	ln, err := net.Listen("tcp", c.UI)
	if err != nil {
		return fmt.Errorf("ui: %w", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.settings.SetActive(settings.Ports{UI: addr.String()})
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(os.Stderr, "hooklens: WARNING: the UI listens on %s, which is not loopback: anyone who can reach it and has the token can read every capture\n", addr)
	}
	token := c.Token
	if token == "" {
		token = rand.Text()
	}
	s.api.Guard = &api.Guard{Token: token, Hosts: api.LoopbackHosts(addr.String())}
	srv := &http.Server{Handler: s.api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("Receiver: %s\n", s.api.ReceiverURL)
	fmt.Printf("UI: http://%s/?token=%s\n", addr, token)
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
