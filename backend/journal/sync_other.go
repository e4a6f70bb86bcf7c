//go:build !linux && !darwin

package journal

import (
	"os"
	"runtime"
)

// dataSync is os.File.Sync: fsync(2) on the BSDs, FlushFileBuffers on Windows.
func dataSync(f *os.File) error { return f.Sync() }

// syncDir syncs a directory where the system allows it; Windows makes renames durable with the
// file system's own journal and cannot open a directory for syncing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
