// Package journal is the capture journal: an append-only file of delivery records that the
// receiver writes before it answers, and that the store moves into SQLite in batches.
//
// A record is written with one write(2) and made durable by SyncTo, which group-syncs: one
// fdatasync covers every record appended while the previous one ran (sync.go). Each record is
// framed with its length and a CRC-32C, so a torn tail (a write cut short, or a power cut that
// kept part of what was not synced) is found and dropped; it was never acknowledged.
package journal

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// HeaderSize is the size of the file header; the first record starts there.
const HeaderSize = 16

// MaxRecord bounds one record (a body at the receiver's largest limit, with headers).
const MaxRecord = 1 << 30

const magic = "HLCAPT01"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// File is an open journal. AppendLocked, Scan, TruncateLocked and ResetLocked run under Lock;
// Frame and Seal, which build a record, need none.
type File struct {
	mu    sync.Mutex
	fs    FS
	path  string
	f     Handle
	gen   uint64
	known uint64 // the generation the owner knew of at Open: a reset goes past it
	size  int64
	alloc int64 // the file's length: records, then zeros written ahead (Prealloc)

	// Prealloc, when positive, makes appends write zeros ahead of the records, this many bytes
	// at a time: an append into bytes already written changes no metadata, so its sync writes
	// the data alone instead of committing the file system's journal (which on ext4 also
	// flushes what other files, such as SQLite's WAL, have pending). Set it before appending.
	Prealloc int64

	s syncer // sync.go
}

// Open opens or creates the journal at path on the real file system (OpenFS with OS).
func Open(path string, gen uint64) (*File, error) { return OpenFS(OS, path, gen) }

// OpenFS opens or creates the journal at path in fsys. A missing, empty or headerless file starts
// a new generation after gen (the last generation the caller knows of), made durable with its
// name before OpenFS returns. It returns the file system's error, or an error when the file is
// not a journal.
func OpenFS(fsys FS, path string, gen uint64) (*File, error) {
	f, err := fsys.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j := &File{fs: fsys, path: path, f: f, known: gen}
	j.s.init(f)
	var h [HeaderSize]byte
	n, err := f.ReadAt(h[:], 0)
	if n == HeaderSize {
		err = nil
	} else if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	switch {
	case err == nil && string(h[:8]) == magic:
		j.gen = binary.LittleEndian.Uint64(h[8:])
		if j.size, err = f.Size(); err != nil {
			f.Close()
			return nil, err
		}
		j.alloc = j.size
		if err := j.trimZeros(); err != nil {
			f.Close()
			return nil, err
		}
		j.s.reset(j.gen, j.size) // what a reopened file holds is on disk, or was never acknowledged
		return j, nil
	case n == 0 || errors.Is(err, io.ErrUnexpectedEOF):
		// New, or cut before its header was complete: nothing in it was acknowledged.
		err := j.reset(gen + 1)
		if err == nil {
			err = f.Sync()
		}
		if err == nil {
			err = fsys.SyncDir(filepath.Dir(path)) // the file's name, for a new file
		}
		if err != nil {
			f.Close()
			return nil, err
		}
		j.s.reset(j.gen, j.size)
		return j, nil
	case err != nil:
		f.Close()
		return nil, err
	default:
		f.Close()
		return nil, fmt.Errorf("%s is not a capture journal", path)
	}
}

// Gen returns the generation of the file: it changes each time the file is emptied. Like Size,
// it is read under Lock or while nothing appends.
func (j *File) Gen() uint64 { return j.gen }

// Size returns the size of the file (the end of the last record).
func (j *File) Size() int64 { return j.size }

// Lock and Unlock hold off appends, so that the owner can look at the file and what it knows of
// it in one state.
func (j *File) Lock()   { j.mu.Lock() }
func (j *File) Unlock() { j.mu.Unlock() }

// Frame returns buf emptied, with room for a frame head: append a record to it (AppendDelivery),
// Seal it, and AppendLocked it.
func Frame(buf []byte) []byte { return append(buf[:0], make([]byte, frameHead)...) }

// Seal writes the head of frame (the record's length and checksum); it needs no lock.
func Seal(frame []byte) []byte {
	rec := frame[frameHead:]
	binary.LittleEndian.PutUint32(frame, uint32(len(rec)))
	binary.LittleEndian.PutUint32(frame[4:], crc32.Checksum(rec, castagnoli))
	return frame
}

const frameHead = 8

// AppendLocked writes one sealed frame and returns the offset where it ends. The caller holds
// Lock. On error the file is as it was before.
func (j *File) AppendLocked(frame []byte) (int64, error) {
	if len(frame)-frameHead > MaxRecord {
		return 0, fmt.Errorf("record of %d bytes is larger than the journal takes", len(frame)-frameHead)
	}
	if err := j.s.failure(); err != nil {
		return 0, err
	}
	if end := j.size + int64(len(frame)); j.Prealloc > 0 && end > j.alloc {
		if err := j.zeroFill((end + j.Prealloc - 1) / j.Prealloc * j.Prealloc); err != nil {
			return 0, err // zeros written past the records end a Scan like the end of the file
		}
	}
	n, err := j.f.WriteAt(frame, j.size)
	if err != nil {
		if n > 0 {
			_ = j.f.Truncate(j.size) // a record cut short would hide the ones after it
			j.alloc = j.size
		}
		return 0, err
	}
	j.size += int64(n)
	j.alloc = max(j.alloc, j.size)
	return j.size, nil
}

var zeros = make([]byte, 64<<10)

// trimZeros cuts the zeros written ahead of the records (Prealloc) off a file being opened, so
// that its size is the end of its last record again. A file with anything else after its
// records (a torn tail) is left for the owner to Scan.
func (j *File) trimZeros() error {
	valid, err := j.Scan(HeaderSize, func([]byte, int64) error { return nil })
	if err != nil || valid == j.size {
		return err
	}
	buf := make([]byte, len(zeros))
	for off := valid; off < j.size; {
		n, err := j.f.ReadAt(buf[:min(int64(len(buf)), j.size-off)], off)
		if !bytes.Equal(buf[:n], zeros[:n]) {
			return nil
		}
		if n == 0 || (err != nil && !errors.Is(err, io.EOF)) {
			return err
		}
		off += int64(n)
	}
	if err := j.f.Truncate(valid); err != nil {
		return err
	}
	j.size, j.alloc = valid, valid
	return nil
}

// zeroFill writes zeros from the end of the file to to.
func (j *File) zeroFill(to int64) error {
	for j.alloc < to {
		n, err := j.f.WriteAt(zeros[:min(int64(len(zeros)), to-j.alloc)], j.alloc)
		j.alloc += int64(n)
		if err != nil {
			return err
		}
	}
	return nil
}

// Scan calls fn with each record from offset from (HeaderSize for the start) and the offset where
// it ends. It stops at the end of the file or at the first record that is cut short or damaged,
// and returns the offset where the valid records end. The caller holds Lock.
func (j *File) Scan(from int64, fn func(rec []byte, end int64) error) (int64, error) {
	if from < HeaderSize {
		from = HeaderSize
	}
	if from >= j.size {
		return j.size, nil
	}
	r := bufio.NewReaderSize(io.NewSectionReader(j.f, from, j.size-from), 1<<20)
	off := from
	var head [frameHead]byte
	for {
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return off, nil // the end, or a frame head cut short
		}
		n := binary.LittleEndian.Uint32(head[:4])
		if n == 0 || n > MaxRecord || off+frameHead+int64(n) > j.size {
			return off, nil // zeros written ahead (no record is empty), or a frame cut short
		}
		rec := make([]byte, n)
		if _, err := io.ReadFull(r, rec); err != nil {
			return off, err
		}
		if crc32.Checksum(rec, castagnoli) != binary.LittleEndian.Uint32(head[4:]) {
			return off, nil
		}
		off += frameHead + int64(n)
		if err := fn(rec, off); err != nil {
			return off, err
		}
	}
}

// TruncateLocked drops everything after off (a torn tail found by Scan). The caller holds Lock.
func (j *File) TruncateLocked(off int64) error {
	if off >= j.size && j.alloc <= j.size {
		return nil
	}
	if err := j.f.Truncate(off); err != nil {
		return err
	}
	j.size, j.alloc = off, off
	return nil
}

// ResetLocked empties the file and starts the next generation (after the one given to Open, if
// that is later). The caller holds Lock and knows that every record is stored durably elsewhere:
// under SyncAlways, SyncTo of a record of an earlier generation returns at once.
func (j *File) ResetLocked() error {
	if err := j.s.failure(); err != nil {
		return err // a file that failed to sync is replaced (RotateLocked), not reused
	}
	if err := j.reset(max(j.gen, j.known) + 1); err != nil {
		return err
	}
	j.s.reset(j.gen, 0)
	return nil
}

func (j *File) reset(gen uint64) error {
	if err := j.f.Truncate(0); err != nil {
		return err
	}
	if _, err := j.f.WriteAt(header(gen), 0); err != nil {
		return err
	}
	j.gen, j.size, j.alloc = gen, HeaderSize, HeaderSize
	return nil
}

func header(gen uint64) []byte {
	h := make([]byte, HeaderSize)
	copy(h, magic)
	binary.LittleEndian.PutUint64(h[8:], gen)
	return h
}

// Close cuts the zeros written ahead of the records (so that a Hooklens without Prealloc,
// which would read them as an empty record, can open the file) and closes the file.
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.alloc > j.size && j.s.failure() == nil {
		_ = j.f.Truncate(j.size) // best effort: a reader with Prealloc stops at the zeros
	}
	return j.f.Close()
}
