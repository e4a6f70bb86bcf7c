package journal_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"hooklens/backend/journal"
	"hooklens/backend/journal/journaltest"
)

// TestSyncTo_Group: captures that arrive while a sync runs share the next one, and everything
// SyncTo returned for survives a power cut that drops every unsynced write.
func TestSyncTo_Group(t *testing.T) {
	fsys := journaltest.New()
	fsys.SyncDelay = 2 * time.Millisecond
	j, err := journal.OpenFS(fsys, "/d/j", 0)
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.Lock()
			end, err := j.AppendLocked(sealed(sample(i)))
			gen := j.Gen()
			j.Unlock()
			if err == nil {
				err = j.SyncTo(gen, end)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if s := j.Syncs(); s == 0 || s >= n/2 {
		t.Errorf("%d records took %d syncs; want them shared", n, s)
	}
	fsys.Cut()
	after := fsys.Crash(rand.New(rand.NewPCG(1, 2)), journaltest.DropUnsynced)
	j2, err := journal.OpenFS(after, "/d/j", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ds, _ := scanAll(t, j2, journal.HeaderSize); len(ds) != n {
		t.Fatalf("after the power cut: %d records; want %d", len(ds), n)
	}
}

// TestSyncTo_Failure: a failed sync fails the records it covered, and the file then takes no
// append, sync or reset; RotateLocked replaces it with a fresh file of the next generation.
func TestSyncTo_Failure(t *testing.T) {
	fsys := journaltest.New()
	j, err := journal.OpenFS(fsys, "/d/j", 3)
	if err != nil {
		t.Fatal(err)
	}
	ends := appendAll(t, j, 2)
	fsys.FailSyncs(1, syscall.EIO)
	if err := j.SyncTo(j.Gen(), ends[1]); !errors.Is(err, journal.ErrSync) {
		t.Fatalf("SyncTo after EIO = %v; want ErrSync", err)
	}
	if err := j.SyncTo(j.Gen(), ends[1]); !errors.Is(err, journal.ErrSync) {
		t.Fatalf("SyncTo retried = %v; a failed file must not be synced again", err)
	}
	j.Lock()
	_, appendErr := j.AppendLocked(sealed(sample(3)))
	resetErr := j.ResetLocked()
	j.Unlock()
	if appendErr == nil || resetErr == nil || j.Failed() == nil {
		t.Fatalf("after a failed sync: append %v, reset %v, Failed %v; want errors", appendErr, resetErr, j.Failed())
	}
	old := j.Gen()
	j.Lock()
	err = j.RotateLocked()
	j.Unlock()
	if err != nil || j.Failed() != nil || j.Gen() != old+1 || j.Size() != journal.HeaderSize {
		t.Fatalf("rotate: %v; gen %d size %d failed %v", err, j.Gen(), j.Size(), j.Failed())
	}
	ends = appendAll(t, j, 1)
	if err := j.SyncTo(j.Gen(), ends[0]); err != nil {
		t.Fatalf("SyncTo on the fresh file: %v", err)
	}
	if _, ok := fsys.ReadFile("/d/j.new"); ok {
		t.Error("the fresh file's temporary name is left")
	}
	fsys.Cut()
	j2, err := journal.OpenFS(fsys.Crash(rand.New(rand.NewPCG(1, 2)), journaltest.DropUnsynced), "/d/j", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ds, _ := scanAll(t, j2, journal.HeaderSize); j2.Gen() != old+1 || len(ds) != 1 {
		t.Fatalf("after a power cut: gen %d with %d records; want the fresh file, gen %d, 1 record", j2.Gen(), len(ds), old+1)
	}
}

// TestPrealloc: with Prealloc, the file is written with zeros ahead of the records; a reopened
// file's scan stops at them, and a power cut keeps every synced record.
func TestPrealloc(t *testing.T) {
	fsys := journaltest.New()
	j, err := journal.OpenFS(fsys, "/d/j", 0)
	if err != nil {
		t.Fatal(err)
	}
	j.Prealloc = 4096
	ends := appendAll(t, j, 20)
	if err := j.SyncTo(j.Gen(), ends[19]); err != nil {
		t.Fatal(err)
	}
	raw, _ := fsys.ReadFile("/d/j")
	if int64(len(raw))%4096 != 0 || int64(len(raw)) < ends[19] || j.Size() != ends[19] {
		t.Fatalf("file of %d bytes, Size %d, last record ends at %d; want whole 4096-byte chunks past it", len(raw), j.Size(), ends[19])
	}
	j.Close()
	if raw, _ := fsys.ReadFile("/d/j"); int64(len(raw)) != ends[19] {
		t.Errorf("closed file of %d bytes; want the zeros cut at %d", len(raw), ends[19])
	}
	fsys.Cut()
	j2, err := journal.OpenFS(fsys.Crash(rand.New(rand.NewPCG(3, 4)), journaltest.DropUnsynced), "/d/j", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ds, valid := scanAll(t, j2, journal.HeaderSize); len(ds) != 20 || valid != ends[19] {
		t.Fatalf("after a power cut: %d records to %d; want 20 to %d", len(ds), valid, ends[19])
	}
}
