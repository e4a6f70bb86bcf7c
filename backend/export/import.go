package export

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hooklens/backend"
)

// Store is the store side of an import.
type Store interface {
	backend.ImportService
}

const maxListed = 100

// batcher gathers imports and stores them in batches. One batch is stored while the next is
// read, so parsing and the store's writer overlap; batches are stored in order.
type batcher struct {
	store    Store
	items    []backend.Import
	bytes    int
	res      *backend.ImportResult
	inflight chan stored   // the batch being stored; nil when none
	read     func(n int64) // told the bytes read from the input so far; nil when none
	readN    int64
}

type stored struct {
	items []backend.Import
	errs  []error
	err   error
}

func (b *batcher) add(imp backend.Import) {
	b.items = append(b.items, imp)
	b.bytes += len(imp.Delivery.Body)
}

func (b *batcher) maybeFlush(ctx context.Context) error {
	if len(b.items) >= 256 || b.bytes >= 8<<20 {
		return b.flush(ctx)
	}
	return nil
}

// flush waits for the batch being stored, then starts storing the gathered items.
func (b *batcher) flush(ctx context.Context) error {
	if err := b.wait(); err != nil {
		return err
	}
	if len(b.items) == 0 {
		return nil
	}
	items := b.items
	b.items, b.bytes = make([]backend.Import, 0, cap(items)), 0
	done := make(chan stored, 1)
	b.inflight = done
	go func() {
		errs, err := b.store.ImportDeliveries(ctx, items)
		done <- stored{items, errs, err}
	}()
	return nil
}

// wait waits for the batch being stored and counts what it did.
func (b *batcher) wait() error {
	if b.inflight == nil {
		return nil
	}
	s := <-b.inflight
	b.inflight = nil
	if s.err != nil {
		return s.err
	}
	for i, e := range s.errs {
		switch {
		case e == nil:
			b.res.Imported++
		case backend.ErrorCode(e) == backend.ECONFLICT:
			b.res.Duplicates++
			if len(b.res.DuplicateIDs) < maxListed {
				b.res.DuplicateIDs = append(b.res.DuplicateIDs, s.items[i].Delivery.ID)
			}
		default:
			return e
		}
	}
	return nil
}

// finish stores what is left; after an error it only waits for the batch being stored.
func (b *batcher) finish(ctx context.Context, err error) error {
	if err == nil {
		err = b.flush(ctx)
	}
	if werr := b.wait(); err == nil {
		err = werr
	}
	return err
}

func (b *batcher) warn(format string, args ...any) {
	if len(b.res.Warnings) < maxListed {
		b.res.Warnings = append(b.res.Warnings, fmt.Sprintf(format, args...))
	}
}

// meta takes note of what a file says about itself.
func (b *batcher) meta(m *Meta, s *ScrubInfo) {
	if m != nil {
		for v, secret := range m.Secrets {
			b.secret(v, secret)
		}
	}
	if s != nil && s.FixtureSecret != "" {
		b.res.FixtureSecret = s.FixtureSecret
	}
}

func (b *batcher) secret(vendor, secret string) {
	if b.res.Secrets == nil {
		b.res.Secrets = map[string]string{}
	}
	b.res.Secrets[vendor] = secret
}

// Detect returns the format of the file or folder at path: a folder (or its manifest.json) is
// FormatFixtures, a zip FormatZip, a file whose JSON starts with "log" FormatHAR, else
// FormatNDJSON. It returns an EINVALID error for a folder without manifest.json.
func Detect(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", backend.Errorf(backend.EINVALID, "import: %v", err)
	}
	if fi.IsDir() {
		if _, err := os.Stat(filepath.Join(path, ManifestName)); err != nil {
			return "", backend.Errorf(backend.EINVALID, "import: %s has no %s: it is not a fixture folder", path, ManifestName)
		}
		return FormatFixtures, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", backend.Errorf(backend.EINVALID, "import: %v", err)
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	return sniff(head[:n], filepath.Base(path)), nil
}

// sniff tells the format from the first bytes of a file and its name.
func sniff(head []byte, name string) string {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return FormatZip
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".har":
		return FormatHAR
	case ".ndjson", ".jsonl":
		return FormatNDJSON
	}
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if t = bytes.TrimLeft(bytes.TrimPrefix(t, []byte("{")), " \t\r\n"); bytes.HasPrefix(t, []byte(`"log"`)) {
		return FormatHAR
	}
	if strings.EqualFold(name, ManifestName) || bytes.HasPrefix(t, []byte(`"format": "hooklens-fixtures"`)) {
		return FormatFixtures
	}
	return FormatNDJSON
}

// ImportPath imports the file or folder at path into store, in format ("" detects it).
// It returns an EINVALID error for a file it cannot read as that format; what was stored before
// the error stays stored and is counted in the result.
func ImportPath(ctx context.Context, store Store, path, format string) (backend.ImportResult, error) {
	return ImportPathProgress(ctx, store, path, format, nil)
}

// ImportPathProgress is ImportPath that calls read (when set) with the bytes read so far from
// the file, or from the files of a fixture folder; a whole read comes to about Size(path).
func ImportPathProgress(ctx context.Context, store Store, path, format string, read func(n int64)) (backend.ImportResult, error) {
	if format == "" {
		var err error
		if format, err = Detect(path); err != nil {
			return backend.ImportResult{}, err
		}
	}
	res := backend.ImportResult{Format: format}
	b := &batcher{store: store, res: &res, read: read}
	name := filepath.Base(path)
	var err error
	switch format {
	case FormatFixtures:
		dir := path
		if fi, serr := os.Stat(path); serr == nil && !fi.IsDir() {
			dir = filepath.Dir(path)
		}
		err = readFixtureDir(ctx, dir, b)
	case FormatZip:
		err = readZipFile(ctx, path, b)
	case FormatNDJSON, FormatHAR:
		var f *os.File
		if f, err = os.Open(path); err != nil {
			return res, backend.Errorf(backend.EINVALID, "import: %v", err)
		}
		defer f.Close()
		r := b.counted(f)
		if format == FormatHAR {
			err = readHAR(ctx, r, name, b)
		} else {
			err = readNDJSON(ctx, r, name, b)
		}
	default:
		return res, backend.Errorf(backend.EINVALID, "import format %q: want fixtures, zip, ndjson or har", format)
	}
	return res, b.finish(ctx, err)
}

// ImportReader imports one file read from r (an upload) in format ("" detects it from name and
// the first bytes). A zip is spooled to a temporary file, since it is read from its end.
func ImportReader(ctx context.Context, store Store, r io.Reader, format, name string) (backend.ImportResult, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if format == "" {
		head, _ := br.Peek(4096)
		format = sniff(head, name)
	}
	if format == FormatFixtures {
		return backend.ImportResult{}, backend.Errorf(backend.EINVALID, "a fixture folder is uploaded as a zip")
	}
	if format == FormatZip {
		tmp, err := os.CreateTemp("", "hooklens-import-*.zip")
		if err != nil {
			return backend.ImportResult{}, fmt.Errorf("import: %w", err)
		}
		defer os.Remove(tmp.Name())
		_, err = io.Copy(tmp, br)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return backend.ImportResult{}, fmt.Errorf("import: %w", err)
		}
		return ImportPath(ctx, store, tmp.Name(), FormatZip)
	}
	res := backend.ImportResult{Format: format}
	b := &batcher{store: store, res: &res}
	var err error
	switch format {
	case FormatHAR:
		err = readHAR(ctx, br, name, b)
	case FormatNDJSON:
		err = readNDJSON(ctx, br, name, b)
	default:
		return res, backend.Errorf(backend.EINVALID, "import format %q: want zip, ndjson or har", format)
	}
	return res, b.finish(ctx, err)
}
