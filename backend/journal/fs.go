package journal

import (
	"io"
	"os"
	"path/filepath"
)

// FS is what the journal does with files: every write, sync, truncation and rename goes through
// it, so that a test can stand in for the disk and cut the power (journaltest.CrashFS). OS is the
// real one.
type FS interface {
	// OpenFile opens name like os.OpenFile.
	OpenFile(name string, flag int, perm os.FileMode) (Handle, error)
	// Rename renames a file like os.Rename; it is durable once SyncDir of its directory returned.
	Rename(from, to string) error
	// Remove removes a file like os.Remove.
	Remove(name string) error
	// SyncDir makes the names in dir (files created, renamed or removed) durable.
	SyncDir(dir string) error
}

// Handle is an open file of an FS.
type Handle interface {
	io.ReaderAt
	io.WriterAt
	io.Closer
	// Truncate changes the size of the file.
	Truncate(size int64) error
	// Sync returns once everything written to the file is on stable storage: fdatasync on Linux,
	// F_FULLFSYNC on macOS, FlushFileBuffers on Windows. It returns the error the disk reported.
	Sync() error
	// Size returns the size of the file.
	Size() (int64, error)
}

// OS is the operating system's file system.
var OS FS = osFS{}

type osFS struct{}

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (Handle, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (osFS) Rename(from, to string) error { return os.Rename(from, to) }

func (osFS) Remove(name string) error { return os.Remove(name) }

func (osFS) SyncDir(dir string) error { return syncDir(filepath.Clean(dir)) }

type osFile struct{ *os.File }

func (f osFile) Sync() error { return dataSync(f.File) }

func (f osFile) Size() (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
