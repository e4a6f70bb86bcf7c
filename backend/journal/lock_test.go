package journal_test

import (
	"errors"
	"path/filepath"
	"testing"

	"hooklens/backend/journal"
)

func TestLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.lock")
	release, err := journal.LockFile(path)
	if err != nil {
		t.Fatalf("LockFile = %v", err)
	}
	if _, err := journal.LockFile(path); !errors.Is(err, journal.ErrLocked) {
		t.Fatalf("LockFile while held = %v; want ErrLocked", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	again, err := journal.LockFile(path)
	if err != nil {
		t.Fatalf("LockFile after release = %v", err)
	}
	again()
}
