package export

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// counted wraps r so that b.read hears of every byte read; r itself when nobody listens.
func (b *batcher) counted(r io.Reader) io.Reader {
	if b.read == nil {
		return r
	}
	return &countReader{r: r, b: b}
}

// countedAt is counted for a zip's random reads.
func (b *batcher) countedAt(r io.ReaderAt) io.ReaderAt {
	if b.read == nil {
		return r
	}
	return &countReaderAt{r: r, b: b}
}

func (b *batcher) readBytes(n int) {
	if n > 0 {
		b.readN += int64(n)
		b.read(b.readN)
	}
}

type countReader struct {
	r io.Reader
	b *batcher
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.b.readBytes(n)
	return n, err
}

type countReadCloser struct {
	countReader
	c io.Closer
}

func (c *countReadCloser) Close() error { return c.c.Close() }

type countReaderAt struct {
	r io.ReaderAt
	b *batcher
}

func (c *countReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.b.readBytes(n)
	return n, err
}

// Size is how many bytes importing path reads: the file's size, or for a fixture folder (or its
// manifest.json) the sizes of the files in the folder added up.
func Size(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !fi.IsDir() && filepath.Base(path) != ManifestName {
		return fi.Size(), nil
	}
	dir := path
	if !fi.IsDir() {
		dir = filepath.Dir(path)
	}
	var total int64
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
		}
		return err
	})
	return total, err
}
