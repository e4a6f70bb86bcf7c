package receiver_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklens/backend/receiver"
	"hooklens/backend/sqlite"
)

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Post(url+"/fault", "application/json", strings.NewReader(`{"n":"`+strings.Repeat("x", 8000)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Logf("POST answered %d: %s", resp.StatusCode, b)
	}
	return resp.StatusCode
}

// TestFault_DiskFull: the capture that meets a fault nobody knows of yet is kept in the capture
// journal (200) and stored once space is back; once the fault is known the receiver answers 503
// (never 2xx) and reports it, and it recovers by itself once space is back.
func TestFault_DiskFull(t *testing.T) {
	h := newHarness(t, 0)
	ctx := context.Background()
	if got := status(t, h.url); got != 200 {
		t.Fatalf("POST before the fault = %d", got)
	}
	before, _ := h.db.CountDeliveries(ctx)
	if err := h.db.LimitPages(ctx, 1); err != nil { // at most the pages it already has
		t.Fatal(err)
	}
	if got := status(t, h.url); got != 200 {
		t.Fatalf("POST as the disk fills = %d; want 200 (journaled)", got)
	}
	for deadline := time.Now().Add(5 * time.Second); h.db.Health() == nil; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the store never reported the full disk")
		}
	}
	for i := 0; i < 5; i++ {
		if got := status(t, h.url); got != http.StatusServiceUnavailable {
			t.Fatalf("POST on a full disk = %d; want 503", got)
		}
	}
	if err := h.db.Health(); err == nil || !strings.Contains(err.Error(), "full") {
		t.Errorf("Health() on a full disk = %v; want the fault", err)
	}
	if n, _ := h.db.CountDeliveries(ctx); n != before {
		t.Errorf("deliveries on a full disk = %d; want %d", n, before)
	}
	h.db.LimitPages(ctx, 0)
	if got := status(t, h.url); got != 200 {
		t.Fatalf("POST after space came back = %d; want 200 (health %v)", got, h.db.Health())
	}
	if err := h.db.Health(); err != nil {
		t.Errorf("Health() after recovery = %v; want nil", err)
	}
	if n, _ := h.db.CountDeliveries(ctx); n != before+2 {
		t.Errorf("deliveries after recovery = %d; want %d (the journaled one and the last)", n, before+2)
	}
}

// TestFault_LockedByAnotherProcess: while another connection holds the write lock the receiver
// still acknowledges (the capture journal holds the delivery); once released it is stored.
func TestFault_LockedByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	db := sqlite.NewDB(filepath.Join(dir, "hooklens.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := &receiver.Server{Handler: receiver.NewHandler(db)}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	url := "http://" + srv.Addr().String()

	other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "hooklens.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if got := status(t, url); got != 200 {
		t.Errorf("POST while locked = %d; want 200 (journaled)", got)
	}
	t.Logf("locked store answered after %v", time.Since(start).Round(time.Millisecond))
	time.Sleep(100 * time.Millisecond) // the capturer waits for the lock
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()
	if got := status(t, url); got != 200 {
		t.Errorf("POST after the lock is released = %d; want 200", got)
	}
	if n, _ := db.CountDeliveries(context.Background()); n != 2 {
		t.Errorf("deliveries after the lock is released = %d; want 2", n)
	}
}
