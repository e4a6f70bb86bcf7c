// Package journal is the capture journal: an append-only file of delivery records that the
// receiver writes before it answers, and that the store moves into SQLite in batches.
//
// A record is acknowledged once write(2) returned: like a commit in SQLite's WAL with
// synchronous=NORMAL, it survives the process being killed, not a power cut. Each record is
// framed with its length and a CRC-32C, so a torn tail (a write cut short) is found and dropped;
// it was never acknowledged.
package journal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
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
	mu   sync.Mutex
	f    *os.File
	gen  uint64
	size int64
}

// Open opens or creates the journal at path. A missing, empty or headerless file starts a new
// generation after gen (the last generation the caller knows of).
func Open(path string, gen uint64) (*File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j := &File{f: f}
	var h [HeaderSize]byte
	n, err := io.ReadFull(f, h[:])
	switch {
	case err == nil && string(h[:8]) == magic:
		j.gen = binary.LittleEndian.Uint64(h[8:])
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		j.size = st.Size()
		return j, nil
	case n == 0 || errors.Is(err, io.ErrUnexpectedEOF):
		// New, or cut before its header was complete: nothing in it was acknowledged.
		if err := j.reset(gen + 1); err != nil {
			f.Close()
			return nil, err
		}
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
	n, err := j.f.WriteAt(frame, j.size)
	if err != nil {
		if n > 0 {
			_ = j.f.Truncate(j.size) // a record cut short would hide the ones after it
		}
		return 0, err
	}
	j.size += int64(n)
	return j.size, nil
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
		if n > MaxRecord || off+frameHead+int64(n) > j.size {
			return off, nil
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
	if off >= j.size {
		return nil
	}
	if err := j.f.Truncate(off); err != nil {
		return err
	}
	j.size = off
	return nil
}

// ResetLocked empties the file and starts the next generation. The caller holds Lock and knows
// that every record is stored elsewhere.
func (j *File) ResetLocked() error { return j.reset(j.gen + 1) }

func (j *File) reset(gen uint64) error {
	if err := j.f.Truncate(0); err != nil {
		return err
	}
	var h [HeaderSize]byte
	copy(h[:], magic)
	binary.LittleEndian.PutUint64(h[8:], gen)
	if _, err := j.f.WriteAt(h[:], 0); err != nil {
		return err
	}
	j.gen, j.size = gen, HeaderSize
	return nil
}

// Close closes the file.
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.f.Close()
}
