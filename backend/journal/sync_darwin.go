package journal

import (
	"os"

	"golang.org/x/sys/unix"
)

// dataSync is fcntl(F_FULLFSYNC): on macOS fsync(2) leaves the data in the drive's cache, where a
// power cut loses it.
func dataSync(f *os.File) error {
	for {
		_, err := unix.FcntlInt(f.Fd(), unix.F_FULLFSYNC, 0)
		if err != unix.EINTR {
			return err
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = unix.FcntlInt(d.Fd(), unix.F_FULLFSYNC, 0)
	return err
}
