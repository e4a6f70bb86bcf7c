package sqlite_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hooklens/backend/journal/journaltest"
	"hooklens/backend/receiver"
)

func post(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Post(url+"/closer", "application/json", strings.NewReader(`{"n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestSyncFailure: when the journal's sync fails (EIO), the delivery it covered gets 503 with
// Retry-After, health says why, the failed file is never synced again, and captures come back
// on a fresh journal once the disk syncs again.
func TestSyncFailure(t *testing.T) {
	fsys := journaltest.New()
	db := newDB(filepath.Join(t.TempDir(), "hooklens.db"))
	db.JournalFS = fsys
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(receiver.NewHandler(db))
	defer srv.Close()
	if code, _, _ := post(t, srv.URL); code != 200 {
		t.Fatalf("POST = %d; want 200", code)
	}
	fsys.FailSyncs(1<<30, syscall.EIO) // the disk fails until told otherwise
	code, body, h := post(t, srv.URL)
	if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, "not on disk") {
		t.Fatalf("POST when the sync fails = %d %q (Retry-After %q); want 503 with Retry-After", code, body, h.Get("Retry-After"))
	}
	if err := db.Health(); err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Fatalf("Health() after a failed sync = %v; want the EIO", err)
	}
	if st := db.SyncStats(); st.Error == "" || st.Policy != "always" {
		t.Fatalf("SyncStats() after a failed sync = %+v; want the error", st)
	}
	syncs := db.SyncStats().Syncs
	time.Sleep(300 * time.Millisecond) // the capturer tries a fresh journal, and fails
	if err := db.Health(); err == nil {
		t.Fatal("Health() is fine while the disk still fails")
	}
	if db.SyncStats().Syncs != syncs {
		t.Fatal("the failed journal was synced again")
	}
	fsys.FailSyncs(0, nil) // the disk is back
	for deadline := time.Now().Add(5 * time.Second); db.Health() != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("captures never recovered: %v", db.Health())
		}
	}
	code, body, _ = post(t, srv.URL)
	if code != 200 {
		t.Fatalf("POST after the disk came back = %d %s", code, body)
	}
	if st := db.SyncStats(); st.Syncs <= syncs || st.Error != "" {
		t.Fatalf("SyncStats() after recovery = %+v; want a fresh journal that syncs", st)
	}
	if n, err := db.CountDeliveries(context.Background()); err != nil || n < 2 {
		t.Fatalf("CountDeliveries = %d, %v; want the acknowledged ones", n, err)
	}
}
