package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// ErrSync wraps the error of a failed sync: the records it covered are not known to be on disk,
// and the file is not trusted again (RotateLocked replaces it).
var ErrSync = errors.New("capture journal could not be synced to disk")

// syncer is the group sync of a File: one caller at a time runs fdatasync (the leader), the
// others wait; when it returns, the next one syncs everything appended meanwhile in one go.
type syncer struct {
	mu      sync.Mutex
	cond    sync.Cond
	cur     Handle // the file being synced; a failure marks this handle
	gen     uint64 // its generation
	synced  int64  // offset of gen known to be on stable storage
	syncing bool
	failed  error  // a sync of cur failed: no append, sync or reset until RotateLocked
	syncs   uint64 // successful syncs
}

func (s *syncer) init(h Handle) {
	s.cond.L = &s.mu
	s.cur = h
}

// reset records a new generation whose first synced bytes end at synced (0: nothing synced).
func (s *syncer) reset(gen uint64, synced int64) {
	s.mu.Lock()
	s.gen, s.synced = gen, synced
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *syncer) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// SyncTo returns once the records of generation gen up to offset end are on stable storage. A
// record of an earlier generation is stored durably elsewhere (the file was reset or replaced
// only once it was), so SyncTo returns nil for it at once. Concurrent callers share syncs: a
// caller that arrives while a sync runs waits for it, then one of the waiters syncs for all.
// It returns an error wrapping ErrSync when the sync that covered end failed, or when the file
// failed before (the records after the last good sync are not known to be on disk).
func (j *File) SyncTo(gen uint64, end int64) error {
	s := &j.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		switch {
		case gen < s.gen:
			return nil
		case s.failed != nil:
			return s.failed
		case gen == s.gen && s.synced >= end:
			return nil
		case s.syncing:
			s.cond.Wait()
			continue
		}
		s.syncing = true
		s.mu.Unlock()
		// Let the captures that are ready to run append first, so that they join this sync
		// rather than wait for the next: on a busy machine the groups grow (from 5 to 11 records
		// at 32 connections in bench/load), and fewer syncs leave more time for the rest. Alone,
		// this returns at once.
		runtime.Gosched()
		j.mu.Lock() // what is appended now; the sync may cover more, never less
		h, g, target := j.f, j.gen, j.size
		j.mu.Unlock()
		err := h.Sync()
		s.mu.Lock()
		s.syncing = false
		if h == s.cur {
			if err != nil {
				s.failed = fmt.Errorf("%w: %v", ErrSync, err)
			} else if g == s.gen {
				s.synced = max(s.synced, target)
				s.syncs++
			}
		}
		s.cond.Broadcast()
	}
}

// Syncs returns how many syncs succeeded since Open.
func (j *File) Syncs() uint64 {
	j.s.mu.Lock()
	defer j.s.mu.Unlock()
	return j.s.syncs
}

// Failed returns the error of the sync that failed, or nil while the file is trusted.
func (j *File) Failed() error { return j.s.failure() }

// RotateLocked replaces a file whose sync failed by a fresh one (a new file and name, made
// durable, of the next generation): after a failed fsync the kernel may have dropped the
// pages it could not write and report the next fsync as a success, so the old file is never
// written or synced again. The caller holds Lock and knows that every record of the old file
// is stored durably elsewhere. It returns the file system's error; the old file then stays
// failed and RotateLocked can be tried again.
func (j *File) RotateLocked() error {
	tmp := j.path + ".new"
	f, err := j.fs.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	gen := max(j.gen, j.known) + 1
	_, err = f.WriteAt(header(gen), 0)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = j.fs.Rename(tmp, j.path)
	}
	if err == nil {
		err = j.fs.SyncDir(filepath.Dir(j.path))
	}
	if err != nil {
		f.Close()
		_ = j.fs.Remove(tmp)
		return err
	}
	old := j.f
	j.f, j.gen, j.size, j.alloc = f, gen, HeaderSize, HeaderSize
	s := &j.s
	s.mu.Lock()
	s.cur, s.gen, s.synced, s.failed = f, gen, HeaderSize, nil
	s.mu.Unlock()
	s.cond.Broadcast()
	_ = old.Close()
	return nil
}
