package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// ManifestName is the name of the manifest in a fixture folder or zip.
const ManifestName = "manifest.json"

// manifest writes manifest.json as a stream: the meta fields, the deliveries one by one, and
// the scrub report last.
type manifest struct {
	w   *bufio.Writer
	n   int
	err error
}

func (m *manifest) begin(meta *Meta) error {
	b, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	b = bytes.TrimSuffix(bytes.TrimSpace(b), []byte("}"))
	b = bytes.TrimRight(b, "\n ")
	_, err = m.w.Write(append(b, ",\n  \"deliveries\": ["...))
	return err
}

func (m *manifest) add(rec *Record) error {
	b, err := json.MarshalIndent(rec, "    ", "  ")
	if err != nil {
		return err
	}
	b = headerPair.ReplaceAll(b, []byte("[$1, $2$3]"))
	sep := ",\n    "
	if m.n == 0 {
		sep = "\n    "
	}
	m.n++
	m.w.WriteString(sep)
	_, err = m.w.Write(b)
	return err
}

func (m *manifest) end(s *ScrubInfo) error {
	if m.n > 0 {
		m.w.WriteString("\n  ")
	}
	m.w.WriteString("]")
	if s != nil {
		b, err := json.MarshalIndent(s, "  ", "  ")
		if err != nil {
			return err
		}
		m.w.WriteString(",\n  \"scrub\": ")
		m.w.Write(b)
	}
	m.w.WriteString("\n}\n")
	return m.w.Flush()
}

// headerPair matches a [name, value] pair as MarshalIndent spreads it over four lines (JSON
// strings hold no raw line breaks, so the pattern cannot cut one).
var headerPair = regexp.MustCompile(`\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")(,\n\s+"base64")?\n\s+\]`)

// fixtureFiles names and fills the body files of a fixture folder or zip.
type fixtureFiles struct {
	pretty bool
	n      int
	// create opens a new file of the folder (or zip) for writing.
	create func(name string, modified time.Time) (io.Writer, error)
}

// add writes body as the next file and fills in rec.File, rec.BodyEncoding and rec.BodySHA256.
func (f *fixtureFiles) add(rec *Record, body []byte, received time.Time) error {
	f.n++
	if rec.BodyEncoding == BodyNone {
		return nil
	}
	rec.BodyEncoding = BodyRaw
	if len(body) == 0 {
		return nil // an empty body needs no file
	}
	ext := extension(rec.ContentType, body)
	rec.File = fmt.Sprintf("%06d_%s_%s.%s", f.n, safeName(rec.Vendor), safeName(rec.EventType), ext)
	sum := sha256.Sum256(body)
	rec.BodySHA256 = hex.EncodeToString(sum[:])
	out := body
	if f.pretty && ext == "json" {
		if pretty, ok := indent(body); ok {
			out, rec.BodyEncoding = pretty, BodyIndented
		}
	}
	w, err := f.create(rec.File, received)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// indent returns body indented, only when compacting the result gives body back exactly.
func indent(body []byte) ([]byte, bool) {
	var c bytes.Buffer
	if json.Compact(&c, body) != nil || !bytes.Equal(c.Bytes(), body) {
		return nil, false
	}
	var out bytes.Buffer
	if json.Indent(&out, body, "", "  ") != nil {
		return nil, false
	}
	out.WriteByte('\n')
	return out.Bytes(), true
}

// extension picks a fixture file's extension from the content type, else from the body.
func extension(contentType string, body []byte) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return "json"
	case mt == "application/x-www-form-urlencoded":
		return "form"
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		return "xml"
	case strings.HasPrefix(mt, "text/"):
		return "txt"
	case mt == "" && json.Valid(body) && len(bytes.TrimSpace(body)) > 0:
		return "json"
	case mt == "" && utf8.Valid(body) && !bytes.ContainsRune(body, 0):
		return "txt"
	}
	return "bin"
}

// safeName keeps a vendor or event type usable in a file name.
func safeName(s string) string {
	if s == "" {
		return "unknown"
	}
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	if len(b) > 80 {
		b = b[:80]
	}
	return strings.Trim(string(b), ".")
}

// dirSink writes a fixture folder.
type dirSink struct {
	dir   string
	files fixtureFiles
	man   manifest
	mf    *os.File
	open  *os.File
}

func newDirSink(dir string, pretty bool) (*dirSink, error) {
	mf, err := os.Create(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	s := &dirSink{dir: dir, mf: mf, man: manifest{w: bufio.NewWriterSize(mf, 256<<10)}}
	s.files = fixtureFiles{pretty: pretty, create: func(name string, modified time.Time) (io.Writer, error) {
		if err := s.closeOpen(); err != nil {
			return nil, err
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		s.open = f
		return f, nil
	}}
	return s, nil
}

func (s *dirSink) closeOpen() error {
	if s.open == nil {
		return nil
	}
	err := s.open.Close()
	s.open = nil
	return err
}

func (s *dirSink) begin(m *Meta) error { return s.man.begin(m) }

func (s *dirSink) add(rec *Record, body []byte) error {
	received, _ := time.Parse(time.RFC3339Nano, rec.ReceivedAt)
	if err := s.files.add(rec, body, received); err != nil {
		return err
	}
	if err := s.closeOpen(); err != nil {
		return err
	}
	if rec.File != "" { // the file's time is when the delivery arrived, as in the zip
		_ = os.Chtimes(filepath.Join(s.dir, rec.File), received, received)
	}
	return s.man.add(rec)
}

func (s *dirSink) end(info *ScrubInfo) error { return s.man.end(info) }

func (s *dirSink) close() error {
	return joinErr(s.closeOpen(), s.mf.Close())
}

func joinErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// zipSink writes the fixture folder as a zip: body files as they come, manifest.json last
// (spooled to a temporary file meanwhile, so nothing grows in memory).
type zipSink struct {
	zw    *zip.Writer
	files fixtureFiles
	man   manifest
	tmp   *os.File
	last  time.Time
}

func newZipSink(w io.Writer, pretty bool) (*zipSink, error) {
	tmp, err := os.CreateTemp("", "hooklens-manifest-*.json")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	s := &zipSink{zw: zip.NewWriter(w), tmp: tmp, man: manifest{w: bufio.NewWriterSize(tmp, 256<<10)}}
	s.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	s.files = fixtureFiles{pretty: pretty, create: func(name string, modified time.Time) (io.Writer, error) {
		return s.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	}}
	return s, nil
}

func (s *zipSink) begin(m *Meta) error { return s.man.begin(m) }

func (s *zipSink) add(rec *Record, body []byte) error {
	received, _ := time.Parse(time.RFC3339Nano, rec.ReceivedAt)
	if received.After(s.last) {
		s.last = received
	}
	if err := s.files.add(rec, body, received); err != nil {
		return err
	}
	return s.man.add(rec)
}

func (s *zipSink) end(info *ScrubInfo) error {
	if err := s.man.end(info); err != nil {
		return err
	}
	if _, err := s.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	modified := s.last
	if modified.IsZero() {
		modified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	w, err := s.zw.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, s.tmp); err != nil {
		return err
	}
	return s.zw.Close()
}

func (s *zipSink) cleanup() {
	s.tmp.Close()
	os.Remove(s.tmp.Name())
}
