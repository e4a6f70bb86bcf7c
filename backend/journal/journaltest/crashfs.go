// Package journaltest is a file system for the capture journal that keeps, beside what was
// written, what a sync made durable, and can cut the power: CrashFS.
package journaltest

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"hooklens/backend/journal"
)

// ErrPowerCut is what every operation returns once the power is cut.
var ErrPowerCut = errors.New("journaltest: the power is cut")

// Loss says what a power cut keeps of the writes made after the last sync of a file (and of the
// names changed after the last sync of their directory).
type Loss int

const (
	// DropUnsynced keeps nothing that was not synced.
	DropUnsynced Loss = iota
	// KeepPrefix keeps an arbitrary prefix of the unsynced operations, in order.
	KeepPrefix
	// TearLast keeps an arbitrary prefix and a part of the write after it.
	TearLast
)

// CrashFS is an in-memory journal.FS. Every file records its writes and truncations since its
// last sync; Cut stops every operation, and Crash returns the file system a restart would find.
// SyncDelay, when set, is how long each sync takes (outside the lock, so that writes go on
// meanwhile, as on a disk).
type CrashFS struct {
	SyncDelay time.Duration

	mu       sync.Mutex
	names    map[string]*inode
	durNames map[string]*inode
	nsOps    []nsOp // name changes since the last SyncDir
	cut      bool
	failNext int   // syncs still to fail with failErr
	failErr  error //
	syncs    int
}

type inode struct {
	data    []byte
	durable []byte
	ops     []fileOp // not yet known to be on stable storage
	applied int      // how many operations ever moved from ops to durable
}

// fileOp is a write (data at off) or a truncation (data nil, to off).
type fileOp struct {
	off   int64
	data  []byte
	trunc bool
}

type nsOp struct {
	from, to string // create: from == ""; remove: to == ""
	ino      *inode
}

// New returns an empty CrashFS.
func New() *CrashFS {
	return &CrashFS{names: map[string]*inode{}, durNames: map[string]*inode{}}
}

// Cut cuts the power: from now on every operation fails with ErrPowerCut.
func (fs *CrashFS) Cut() {
	fs.mu.Lock()
	fs.cut = true
	fs.mu.Unlock()
}

// FailSyncs makes the next n syncs fail with err, as a disk that reports EIO or ENOSPC.
func (fs *CrashFS) FailSyncs(n int, err error) {
	fs.mu.Lock()
	fs.failNext, fs.failErr = n, err
	fs.mu.Unlock()
}

// Syncs returns how many file syncs succeeded.
func (fs *CrashFS) Syncs() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.syncs
}

// ReadFile returns the current content of name (what a reader of the file sees now).
func (fs *CrashFS) ReadFile(name string) ([]byte, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	ino, ok := fs.names[name]
	if !ok {
		return nil, false
	}
	return append([]byte(nil), ino.data...), true
}

// Crash returns the file system a restart finds after the power cut: the durable state of every
// file and name plus what loss keeps of the operations after it, chosen with rng.
func (fs *CrashFS) Crash(rng *rand.Rand, loss Loss) *CrashFS {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := New()
	images := map[*inode]*inode{}
	image := func(ino *inode) *inode {
		if im, ok := images[ino]; ok {
			return im
		}
		data := replay(ino.durable, ino.ops, rng, loss)
		im := &inode{data: data, durable: append([]byte(nil), data...)}
		images[ino] = im
		return im
	}
	names := map[string]*inode{}
	for n, ino := range fs.durNames {
		names[n] = ino
	}
	keep := 0
	if loss != DropUnsynced {
		keep = rng.IntN(len(fs.nsOps) + 1)
	}
	for _, op := range fs.nsOps[:keep] {
		switch {
		case op.from == "":
			names[op.to] = op.ino
		case op.to == "":
			delete(names, op.from)
		default:
			names[op.to] = names[op.from]
			delete(names, op.from)
		}
	}
	for n, ino := range names {
		if ino != nil {
			out.names[n] = image(ino)
			out.durNames[n] = out.names[n]
		}
	}
	return out
}

// replay applies to durable what loss keeps of ops.
func replay(durable []byte, ops []fileOp, rng *rand.Rand, loss Loss) []byte {
	data := append([]byte(nil), durable...)
	keep := 0
	if loss != DropUnsynced {
		keep = rng.IntN(len(ops) + 1)
	}
	for _, op := range ops[:keep] {
		data = apply(data, op)
	}
	if loss == TearLast && keep < len(ops) && !ops[keep].trunc {
		op := ops[keep]
		op.data = op.data[:rng.IntN(len(op.data)+1)]
		data = apply(data, op)
	}
	return data
}

func apply(data []byte, op fileOp) []byte {
	if op.trunc {
		if op.off < int64(len(data)) {
			return data[:op.off]
		}
		return append(data, make([]byte, op.off-int64(len(data)))...)
	}
	if end := op.off + int64(len(op.data)); end > int64(len(data)) {
		data = append(data, make([]byte, end-int64(len(data)))...)
	}
	copy(data[op.off:], op.data)
	return data
}

// OpenFile opens name; os.O_CREATE makes it when missing and os.O_TRUNC empties it.
func (fs *CrashFS) OpenFile(name string, flag int, _ os.FileMode) (journal.Handle, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.cut {
		return nil, ErrPowerCut
	}
	ino, ok := fs.names[name]
	if !ok {
		if flag&os.O_CREATE == 0 {
			return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
		}
		ino = &inode{}
		fs.names[name] = ino
		fs.nsOps = append(fs.nsOps, nsOp{to: name, ino: ino})
	} else if flag&os.O_TRUNC != 0 {
		ino.data = ino.data[:0]
		ino.ops = append(ino.ops, fileOp{trunc: true})
	}
	return &handle{fs: fs, ino: ino}, nil
}

// Rename renames from to to.
func (fs *CrashFS) Rename(from, to string) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.cut {
		return ErrPowerCut
	}
	ino, ok := fs.names[from]
	if !ok {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: os.ErrNotExist}
	}
	fs.names[to] = ino
	delete(fs.names, from)
	fs.nsOps = append(fs.nsOps, nsOp{from: from, to: to})
	return nil
}

// Remove removes name.
func (fs *CrashFS) Remove(name string) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.cut {
		return ErrPowerCut
	}
	if _, ok := fs.names[name]; !ok {
		return &os.PathError{Op: "remove", Path: name, Err: os.ErrNotExist}
	}
	delete(fs.names, name)
	fs.nsOps = append(fs.nsOps, nsOp{from: name})
	return nil
}

// SyncDir makes every name durable (the journal keeps its files in one directory).
func (fs *CrashFS) SyncDir(string) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.cut {
		return ErrPowerCut
	}
	fs.durNames = map[string]*inode{}
	for n, ino := range fs.names {
		fs.durNames[n] = ino
	}
	fs.nsOps = nil
	return nil
}

type handle struct {
	fs     *CrashFS
	ino    *inode
	closed bool
}

func (h *handle) ReadAt(p []byte, off int64) (int, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if h.fs.cut {
		return 0, ErrPowerCut
	}
	if off >= int64(len(h.ino.data)) {
		return 0, io.EOF
	}
	n := copy(p, h.ino.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (h *handle) WriteAt(p []byte, off int64) (int, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if h.fs.cut {
		return 0, ErrPowerCut
	}
	op := fileOp{off: off, data: append([]byte(nil), p...)}
	h.ino.data = apply(h.ino.data, op)
	h.ino.ops = append(h.ino.ops, op)
	return len(p), nil
}

func (h *handle) Truncate(size int64) error {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if h.fs.cut {
		return ErrPowerCut
	}
	op := fileOp{off: size, trunc: true}
	h.ino.data = apply(h.ino.data, op)
	h.ino.ops = append(h.ino.ops, op)
	return nil
}

// Sync makes what was written before it started durable (after SyncDelay). A sync that the power
// cut or FailSyncs interrupted makes nothing durable.
func (h *handle) Sync() error {
	h.fs.mu.Lock()
	if h.fs.cut {
		h.fs.mu.Unlock()
		return ErrPowerCut
	}
	if h.fs.failNext > 0 {
		h.fs.failNext--
		h.fs.mu.Unlock()
		return h.fs.failErr
	}
	n := h.ino.applied + len(h.ino.ops) // a sync covers what was done before it began
	h.fs.mu.Unlock()
	if d := h.fs.SyncDelay; d > 0 {
		time.Sleep(d)
	}
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if h.fs.cut {
		return ErrPowerCut
	}
	if k := n - h.ino.applied; k > 0 { // a later sync that ended first may have covered them
		for _, op := range h.ino.ops[:k] {
			h.ino.durable = apply(h.ino.durable, op)
		}
		h.ino.ops = append([]fileOp(nil), h.ino.ops[k:]...)
		h.ino.applied = n
	}
	h.fs.syncs++
	return nil
}

func (h *handle) Size() (int64, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if h.fs.cut {
		return 0, ErrPowerCut
	}
	return int64(len(h.ino.data)), nil
}

func (h *handle) Close() error { return nil }
