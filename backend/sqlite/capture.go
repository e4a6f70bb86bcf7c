package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"hooklens/backend"
	"hooklens/backend/journal"
)

// Captures from the receiver go through the capture journal (package journal): Capture writes
// the delivery's record and returns, and the capturer goroutine moves the journaled deliveries
// into the database in batches, recording in the same transaction how far into the journal it
// got. A lone client then waits for one group sync of the journal (durable.go) instead of a
// SQLite commit, and many clients share large commits. At Open, records the database does not
// have yet (the process was killed, or the power cut) are moved first.

// captureKey is the setting that records the journal generation and offset stored so far.
const captureKey = "capture.journal"

// Bounds of what the capturer moves in one transaction: large, since each commit rewrites the
// pages it touches (the tables' last leaves, their indexes) into the WAL, and that I/O is
// queued before the journal syncs that captures wait for (bench/load: 4,096 instead of 512
// took --sync=always from 19.8k to 24.6k req/s at 32 connections, with captureGather below).
const (
	captureBatch      = 4096
	captureBatchBytes = 8 << 20
)

// maxPendingBytes bounds the journaled bodies not yet in the database: past it Capture waits for
// the capturer (a sender faster than the store is slowed down, not buffered without end).
const maxPendingBytes = 64 << 20

// journalResetSize is the size past which the journal is emptied once everything in it is
// stored (durably, under SyncAlways).
const journalResetSize = 16 << 20

// journalPrealloc is how far ahead of its records the journal is written with zeros, so that
// syncing an append writes its data without a metadata commit (see journal.File.Prealloc).
const journalPrealloc = 8 << 20

// captureGather is how long the capturer lets captures gather before it commits them: one commit
// of many costs far less than many commits, and only readers wait for it (they hurry it along);
// the live views hear of new deliveries up to this late.
const captureGather = 200 * time.Millisecond

// settleWait bounds how long a read waits for the captures journaled before it.
const settleWait = 5 * time.Second

type captures struct {
	j *journal.File

	mu      sync.Mutex
	pending []journaled // in journal order
	bytes   int64       // body bytes of pending
	added   uint64      // records journaled by this process
	stored  uint64      // of those, records committed to the database
	moved   chan struct{}
	closed  bool

	wake  chan struct{} // a capture arrived
	hurry chan struct{} // a reader waits: commit what has gathered now
	done  chan struct{}
}

type journaled struct {
	d   *backend.Delivery
	end int64 // journal offset after its record
}

func journalPath(dbPath string) string { return dbPath + "-captures" }

// releaseJournal drops the journal's lock, if this process holds it.
func (db *DB) releaseJournal() {
	if db.unlockJournal != nil {
		_ = db.unlockJournal()
		db.unlockJournal = nil
	}
}

// Shared reports whether another process (another Hooklens on the same data directory) owns
// the store's capture journal: this one then neither recovers nor journals captures.
func (db *DB) Shared() bool { return db.shared }

// openCaptures opens the journal, moves the records the database does not have yet into it and
// starts the capturer. It runs before the writer goroutine starts.
func (db *DB) openCaptures() error {
	fsys := db.JournalFS
	if fsys == nil {
		fsys = journal.OS
		// One process owns the journal: another Hooklens opening the store while this one
		// runs (an export, a simulate reading secrets) must not replay or reset it.
		release, err := journal.LockFile(journalPath(db.Path) + ".lock")
		if errors.Is(err, journal.ErrLocked) {
			db.shared = true
			return nil
		}
		if err != nil {
			return backend.Errorf(backend.EUNAVAILABLE, "lock capture journal: %v", err)
		}
		db.unlockJournal = release
	}
	gen, off, err := db.captureProgress()
	if err != nil {
		db.releaseJournal()
		return err
	}
	j, err := journal.OpenFS(fsys, journalPath(db.Path), gen)
	if err != nil {
		db.releaseJournal()
		return backend.Errorf(backend.EUNAVAILABLE, "open capture journal: %v", err)
	}
	j.Prealloc = journalPrealloc
	if j.Gen() != gen {
		off = journal.HeaderSize // a new generation: none of it is stored
	}
	if err := db.recoverCaptures(j, off); err != nil {
		j.Close()
		db.releaseJournal()
		return backend.Errorf(backend.EUNAVAILABLE, "recover captures: %v", err)
	}
	db.cap = &captures{j: j, moved: make(chan struct{}), wake: make(chan struct{}, 1),
		hurry: make(chan struct{}, 1), done: make(chan struct{})}
	return nil
}

// captureProgress reads how far into which journal generation the database is.
func (db *DB) captureProgress() (gen uint64, off int64, err error) {
	v, err := db.Setting(context.Background(), captureKey)
	if err != nil {
		return 0, 0, backend.Errorf(backend.EUNAVAILABLE, "read capture progress: %v", err)
	} else if v == "" {
		return 0, journal.HeaderSize, nil
	}
	g, o, _ := strings.Cut(v, ":")
	gen, err1 := strconv.ParseUint(g, 10, 64)
	off, err2 := strconv.ParseInt(o, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, journal.HeaderSize, nil // unreadable: replay the whole journal (inserts skip known ids)
	}
	return gen, off, nil
}

// recoverCaptures stores the records after off, drops a torn tail and empties the journal.
func (db *DB) recoverCaptures(j *journal.File, off int64) error {
	j.Lock()
	defer j.Unlock()
	var batch []*backend.Delivery
	var size int64
	flush := func(end int64) error {
		if len(batch) == 0 {
			return nil
		}
		tx, err := db.wdb.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := insertCaptures(tx, batch, j.Gen(), end); err != nil {
			return err
		}
		batch, size = batch[:0], 0
		return tx.Commit()
	}
	valid, err := j.Scan(off, func(rec []byte, end int64) error {
		d, err := journal.ParseDelivery(rec)
		if err != nil {
			return err // framed and checksummed but unreadable: keep the file for a later version
		}
		batch, size = append(batch, d), size+int64(len(d.Body))
		if len(batch) >= captureBatch || size >= captureBatchBytes {
			return flush(end)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(valid); err != nil {
		return err
	}
	// What was moved, and what the last run moved without a sync (it was killed), must be
	// durable in the database before the journal lets it go.
	if err := db.syncStore(); err != nil {
		return err
	}
	return j.ResetLocked() // a torn tail after valid goes with the rest
}

// insertRows is how many captures one INSERT statement stores: each statement has a fixed cost
// (its statement journal, as the deliveries table has triggers), shared by the rows.
const insertRows = 32

// insertCapturesSQL holds the statements of insertCaptures by row count (1 and insertRows).
var insertCapturesSQL = map[int]string{1: insertCapturesOf(1), insertRows: insertCapturesOf(insertRows)}

func insertCapturesOf(rows int) string {
	row := "(" + strings.Repeat("?,", deliveryColumns-1) + "?)"
	return strings.TrimSuffix(insertDelivery, valuesClause) + " VALUES " +
		strings.Repeat(row+",", rows-1) + row + skipKnownID
}

// insertCaptures inserts ds (a known id is skipped: a record may be moved twice only if the
// progress was lost) and records the journal position after them.
func insertCaptures(tx *sql.Tx, ds []*backend.Delivery, gen uint64, end int64) error {
	args := make([]any, 0, insertRows*deliveryColumns)
	for len(ds) > 0 {
		n := insertRows
		if len(ds) < n {
			n = 1 // the rest one by one: two statements to prepare, not one per count
		}
		args = args[:0]
		for _, d := range ds[:n] {
			args = append(args, deliveryValues(d)...)
		}
		if _, err := tx.Exec(insertCapturesSQL[n], args...); err != nil {
			return err
		}
		ds = ds[n:]
	}
	return putSetting(tx, captureKey, fmt.Sprintf("%d:%d", gen, end))
}

// Capture stores d, a capture of the receiver: it returns once d's record is in the capture
// journal (on stable storage under SyncAlways, written under SyncOS), from where the capturer
// moves it into the database within milliseconds. It assigns d.ID and d.ReceivedAt like
// AddDelivery. While the database or the journal is failing, or when the journal cannot be
// written, it commits d directly instead (durably under SyncAlways). It returns an EUNAVAILABLE
// error when d could not be kept: the database is failing, the journal sync that covered d
// failed, or the capturer is too far behind for ctx.
func (db *DB) Capture(ctx context.Context, d *backend.Delivery) error {
	c := db.cap
	if err := db.complete(d); err != nil {
		return err
	}
	if c == nil || db.Health() != nil {
		// No journal (another Hooklens owns it), or the store is failing: commit this one
		// directly, so that the sender hears about a failure (503) and the journal does not
		// grow while nothing moves; it also tells when the store is back.
		return db.commitNow(ctx, d)
	}
	frame := framePool.Get().(*[]byte)
	defer putFrame(frame)
	*frame = journal.Seal(journal.AppendDelivery(journal.Frame(*frame), d))
	c.mu.Lock()
	if c.bytes > maxPendingBytes && !c.closed {
		c.mu.Unlock()
		if err := db.waitPending(ctx); err != nil {
			return err
		}
		c.mu.Lock()
	}
	if c.closed {
		c.mu.Unlock()
		return backend.Errorf(backend.EUNAVAILABLE, "store is closed")
	}
	c.j.Lock()
	end, err := c.j.AppendLocked(*frame)
	c.j.Unlock()
	if err != nil {
		// The journal cannot be written (read-only or full filesystem): the database decides,
		// and records its fault for the captures after this one.
		c.mu.Unlock()
		return db.commitNow(ctx, d)
	}
	gen := c.j.Gen() // c.mu holds off resets
	c.pending = append(c.pending, journaled{d: d, end: end})
	c.bytes += int64(len(d.Body))
	c.added++
	c.mu.Unlock()
	c.poke()
	if db.syncOS.Load() {
		return nil
	}
	return db.syncCapture(gen, end)
}

// poke wakes the capturer.
func (c *captures) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// captureWait bounds how long a capture waits for the store (behind, or failing).
const captureWait = 30 * time.Second

// commitNow stores a capture without the journal, as AddDelivery does.
func (db *DB) commitNow(ctx context.Context, d *backend.Delivery) error {
	ctx, cancel := context.WithTimeout(ctx, captureWait)
	defer cancel()
	if err := db.AddDelivery(ctx, d); err != nil {
		return err
	}
	if db.syncOS.Load() {
		return nil
	}
	if err := db.syncStore(); err != nil {
		return backend.Errorf(backend.EUNAVAILABLE, "store cannot sync: %v", err)
	}
	return nil
}

// waitPending waits until the journaled bodies not yet stored are under maxPendingBytes.
func (db *DB) waitPending(ctx context.Context) error {
	c := db.cap
	ctx, cancel := context.WithTimeout(ctx, captureWait)
	defer cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.waitMoved(ctx, func() bool { return c.bytes > maxPendingBytes }) {
		return backend.Errorf(backend.EUNAVAILABLE, "store is busy: %v", ctx.Err())
	}
	return nil
}

// waitMoved waits, with c.mu held, while behind() holds and the capturer is not closed, waking
// each time it moves a batch; it returns false when ctx ended first.
func (c *captures) waitMoved(ctx context.Context, behind func() bool) bool {
	for behind() && !c.closed {
		moved := c.moved
		c.mu.Unlock()
		select {
		case <-moved:
		case <-ctx.Done():
			c.mu.Lock()
			return false
		}
		c.mu.Lock()
	}
	return true
}

// framePool keeps the buffers captures are framed in (the bodies of webhooks are small).
var framePool = sync.Pool{New: func() any { return new([]byte) }}

func putFrame(b *[]byte) {
	if cap(*b) <= 64<<10 {
		framePool.Put(b)
	}
}

// capturer moves journaled captures into the database until Close, and everything left then.
func (db *DB) capturer() {
	c := db.cap
	defer close(c.done)
	retry := 50 * time.Millisecond
	for {
		c.mu.Lock()
		closed, n := c.closed, len(c.pending)
		c.mu.Unlock()
		if n == 0 {
			if closed {
				return
			}
			if c.j.Failed() != nil && db.rotateJournal() != nil {
				select { // the disk is still failing: try again, less and less often
				case <-time.After(retry):
				case <-c.wake:
				}
				retry = min(2*retry, time.Second)
				continue
			}
			<-c.wake
			continue
		}
		if n < captureBatch && !closed {
			t := time.NewTimer(cmp.Or(db.gatherFor, captureGather))
			select {
			case <-t.C:
			case <-c.hurry:
				t.Stop()
			}
		}
		err := db.moveCaptures()
		if err == nil {
			retry = 50 * time.Millisecond
			continue
		}
		if closed { // the store is failing as it closes: the journal keeps them for the next start
			return
		}
		select { // the store is failing (full, locked): try again, less and less often
		case <-time.After(retry):
		case <-c.wake:
			time.Sleep(retry)
		}
		retry = min(2*retry, time.Second)
	}
}

// moveCaptures commits one batch of the pending captures.
func (db *DB) moveCaptures() error {
	c := db.cap
	c.mu.Lock()
	n, size := 0, int64(0)
	for n < len(c.pending) && n < captureBatch && size < captureBatchBytes {
		size += int64(len(c.pending[n].d.Body))
		n++
	}
	batch := make([]*backend.Delivery, n)
	for i := range batch {
		batch[i] = c.pending[i].d
	}
	end := c.pending[n-1].end
	gen := c.j.Gen()
	c.mu.Unlock()
	err := db.write(context.Background(), func(tx *sql.Tx) error {
		return insertCaptures(tx, batch, gen, end)
	}, func() {
		for _, d := range batch {
			db.announce(d.ID)
		}
	})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.pending = c.pending[n:]
	if len(c.pending) == 0 {
		c.pending = nil // let the backing array go
	}
	c.bytes -= size
	c.stored += uint64(n)
	close(c.moved)
	c.moved = make(chan struct{})
	if len(c.pending) == 0 && c.j.Size() > db.resetAt() {
		c.mu.Unlock()
		db.resetJournal()
		return nil
	}
	c.mu.Unlock()
	return nil
}

// settle waits until the captures journaled before the call are in the database, so that a read
// sees every capture already acknowledged; it reports whether there were any to wait for. It
// gives up when the store is failing (the read shows what is stored) or after settleWait.
func (db *DB) settle(ctx context.Context) bool {
	c := db.cap
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	target := c.added
	if c.stored >= target || c.closed {
		return false
	}
	select {
	case c.hurry <- struct{}{}:
	default:
	}
	ctx, cancel := context.WithTimeout(ctx, settleWait)
	defer cancel()
	c.waitMoved(ctx, func() bool { return c.stored < target && db.storeErr() == nil })
	return true
}

// closeCaptures stops taking captures, waits until the capturer has moved what it holds (or
// failed to), and closes the journal.
func (db *DB) closeCaptures() error {
	c := db.cap
	if c == nil {
		return nil
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	for _, ch := range []chan struct{}{c.wake, c.hurry} { // idle, or letting captures gather
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	<-c.done
	return c.j.Close()
}
