package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// bareAnswer is the size and shape of the receiver's answer, so both servers write the same bytes.
const bareAnswer = `{"id":"0193a6b2-7c1d-7e4f-8a9b-0c1d2e3f4a5b","stored":true}` + "\n"

// journal, when set, gets every body appended (one write per request, no fsync: what WAL with
// synchronous=NORMAL guarantees, a process crash loses nothing written) before the answer. It
// measures the ceiling of a capture journal in front of the store.
var (
	journalMu sync.Mutex
	journal   *os.File
)

// bareHandler reads the whole body, as the receiver does, and answers 200 without storing it.
func bareHandler(w http.ResponseWriter, r *http.Request) {
	size := int64(512)
	if r.ContentLength > 0 {
		size = r.ContentLength + 1
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	if journal != nil {
		rec := binary.AppendUvarint(make([]byte, 0, len(buf)+10), uint64(len(buf)))
		journalMu.Lock()
		_, err := journal.Write(append(rec, buf...))
		journalMu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, bareAnswer)
}

// serveBare runs the bare handler on addr with the receiver's server settings until SIGTERM.
func serveBare(addr, appendTo string) error {
	if appendTo != "" {
		f, err := os.OpenFile(appendTo, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		journal = f
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           http.HandlerFunc(bareHandler),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       70 * time.Second,
		WriteTimeout:      100 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    2 << 20,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("Receiver: http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
