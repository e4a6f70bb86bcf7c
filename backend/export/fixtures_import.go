package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"hooklens/backend"
)

// maxFixtureFile bounds one body file read back (the receiver keeps at most 25 MiB by default).
const maxFixtureFile = 1 << 30

// readFixtureDir imports a fixture folder.
func readFixtureDir(ctx context.Context, dir string, b *batcher) error {
	mf, err := os.Open(filepath.Join(dir, ManifestName))
	if err != nil {
		return backend.Errorf(backend.EINVALID, "import: %v", err)
	}
	defer mf.Close()
	open := func(name string) (io.ReadCloser, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil || b.read == nil {
			return f, err
		}
		return &countReadCloser{countReader{f, b}, f}, nil
	}
	return readManifest(ctx, b.counted(mf), filepath.Base(dir), open, b)
}

// readZipFile imports a fixture zip: manifest.json at its root or in one top folder.
func readZipFile(ctx context.Context, name string, b *batcher) error {
	zf, err := os.Open(name)
	if err != nil {
		return backend.Errorf(backend.EINVALID, "import %s: %v", filepath.Base(name), err)
	}
	defer zf.Close()
	fi, err := zf.Stat()
	if err != nil {
		return backend.Errorf(backend.EINVALID, "import %s: %v", filepath.Base(name), err)
	}
	zr, err := zip.NewReader(b.countedAt(zf), fi.Size())
	if err != nil {
		return backend.Errorf(backend.EINVALID, "import %s: not a zip: %v", filepath.Base(name), err)
	}
	var man *zip.File
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
		if path.Base(f.Name) == ManifestName && strings.Count(f.Name, "/") <= 1 && (man == nil || len(f.Name) < len(man.Name)) {
			man = f
		}
	}
	if man == nil {
		return backend.Errorf(backend.EINVALID, "import %s: the zip has no %s: it is not a fixture zip", filepath.Base(name), ManifestName)
	}
	dir := path.Dir(man.Name)
	open := func(n string) (io.ReadCloser, error) {
		f := files[path.Join(dir, n)]
		if f == nil {
			return nil, os.ErrNotExist
		}
		return f.Open()
	}
	mr, err := man.Open()
	if err != nil {
		return backend.Errorf(backend.EINVALID, "import %s: %v", filepath.Base(name), err)
	}
	defer mr.Close()
	return readManifest(ctx, mr, filepath.Base(name), open, b)
}

// readManifest streams the deliveries of a manifest, reading each body file with open.
func readManifest(ctx context.Context, r io.Reader, name string, open func(string) (io.ReadCloser, error), b *batcher) error {
	return walkManifest(r, "import "+name, b.meta, func(rec *Record) error {
		if err := readFixture(rec, name, open, b); err != nil {
			return err
		}
		return b.maybeFlush(ctx)
	})
}

// walkManifest reads a manifest as a stream: meta gets the secrets and scrub fields as they
// come, each gets the deliveries one by one (an error from it stops the walk and is returned).
// Errors begin with where.
func walkManifest(r io.Reader, where string, meta func(*Meta, *ScrubInfo), each func(*Record) error) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 256<<10))
	bad := func(why string) error {
		return backend.Errorf(backend.EINVALID, "%s: %s is not a Hooklens manifest: %s", where, ManifestName, why)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return bad(err.Error())
	}
	var m Meta
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return bad(err.Error())
		}
		switch key {
		case "format":
			if err := dec.Decode(&m.Format); err != nil {
				return bad(err.Error())
			}
			if m.Format != "hooklens-"+FormatFixtures {
				return bad("format is " + m.Format)
			}
		case "secrets":
			if err := dec.Decode(&m.Secrets); err != nil {
				return bad(err.Error())
			}
			meta(&m, nil)
		case "scrub":
			var s ScrubInfo
			if err := dec.Decode(&s); err != nil {
				return bad(err.Error())
			}
			meta(nil, &s)
		case "deliveries":
			if err := expectDelim(dec, '['); err != nil {
				return bad("deliveries is not an array")
			}
			for dec.More() {
				var rec Record
				if err := dec.Decode(&rec); err != nil {
					return bad(err.Error())
				}
				if err := each(&rec); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return bad(err.Error())
			}
		default:
			if err := skipValue(dec); err != nil {
				return bad(err.Error())
			}
		}
	}
	return nil
}

// unindent compacts back a body file the export indented (BodyIndented) for reading.
func (r *Record) unindent(body []byte) []byte {
	if r.BodyEncoding != BodyIndented {
		return body
	}
	var c bytes.Buffer
	if json.Compact(&c, body) != nil {
		return body
	}
	return c.Bytes()
}

// readFixture reads the body file of rec and adds the delivery.
func readFixture(rec *Record, name string, open func(string) (io.ReadCloser, error), b *batcher) error {
	var body []byte
	if rec.File != "" && rec.BodyEncoding != BodyNone {
		if !filepath.IsLocal(rec.File) || strings.ContainsAny(rec.File, `/\`) {
			return backend.Errorf(backend.EINVALID, "import %s: delivery %s: file %q is not a plain file name", name, rec.ID, rec.File)
		}
		f, err := open(rec.File)
		if err != nil {
			return backend.Errorf(backend.EINVALID, "import %s: delivery %s: %v", name, rec.ID, err)
		}
		body, err = io.ReadAll(io.LimitReader(f, maxFixtureFile))
		f.Close()
		if err != nil {
			return backend.Errorf(backend.EINVALID, "import %s: %s: %v", name, rec.File, err)
		}
		body = rec.unindent(body)
		if rec.BodySHA256 != "" {
			sum := sha256.Sum256(body)
			if hex.EncodeToString(sum[:]) != rec.BodySHA256 {
				b.warn("%s was changed after the export (its SHA-256 differs from the manifest): imported as it is now; a signature over the original body will not verify", rec.File)
			}
		}
	}
	imp, err := rec.importOf(body, name)
	if err != nil {
		return backend.Errorf(backend.EINVALID, "import %s: %s", name, backend.ErrorMessage(err))
	}
	b.add(imp)
	return nil
}
