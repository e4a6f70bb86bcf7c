package journal

import (
	"os"

	"golang.org/x/sys/unix"
)

// dataSync is fdatasync(2): the file's data and the metadata needed to read it back (its size),
// without its times.
func dataSync(f *os.File) error {
	for {
		err := unix.Fdatasync(int(f.Fd()))
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
	return d.Sync()
}
