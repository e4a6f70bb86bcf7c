package export

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Source is the store side of an export.
type Source interface {
	// EachDelivery calls fn for every selected delivery in order, with headers and body.
	EachDelivery(ctx context.Context, sel backend.Selection, order backend.Order, fn func(*backend.Item) error) error
}

// Options say what to export and how.
type Options struct {
	Format    string // FormatFixtures, FormatZip, FormatNDJSON, FormatHAR
	Selection backend.Selection
	// Pretty indents JSON bodies in fixture files, only where import can restore the exact bytes.
	Pretty bool
	// Scrub replaces personal data and secrets by pseudonyms (see Scrubber).
	Scrub bool
	// KeepSecrets keeps secrets in scrubbed bodies and headers, and writes the configured vendor
	// secrets (Secrets) into the file.
	KeepSecrets bool
	// Secrets returns the configured secret of a vendor ("" when none); may be nil.
	Secrets func(vendor string) string
	// Vendors are the registered vendors: whose secrets KeepSecrets writes, and which sign their
	// deliveries (scrubbed deliveries are signed again). Nil knows no vendor.
	Vendors *decode.Registry
	// Generator names the program in the file ("hooklens 1.2.0").
	Generator string
	// ScrubKey keys the pseudonyms; nil picks a random key, so pseudonyms differ per export.
	ScrubKey []byte
	// FixtureSecret signs scrubbed deliveries; "" picks a random one.
	FixtureSecret string
	// Progress, when set, is called after each delivery with the number of deliveries written so
	// far and the body bytes they held.
	Progress func(n int, bodyBytes int64)
}

// Result says what an export wrote.
type Result struct {
	Format        string       `json:"format"`
	Deliveries    int          `json:"deliveries"`
	BodyBytes     int64        `json:"body_bytes"`
	FixtureSecret string       `json:"fixture_secret,omitempty"`
	Scrubbed      []ScrubCount `json:"scrubbed,omitempty"`
}

// Meta heads every export: the manifest's first fields, the HAR log's _hooklens field.
type Meta struct {
	Format    string            `json:"format"`
	Version   int               `json:"version"`
	Generator string            `json:"generator,omitempty"`
	Selection backend.Selection `json:"selection"`
	Scrubbed  bool              `json:"scrubbed"`
	Secrets   map[string]string `json:"secrets,omitempty"` // only with KeepSecrets: the configured vendor secrets
}

// ScrubInfo closes a scrubbed export: the fixture secret and what was replaced, never the
// original values.
type ScrubInfo struct {
	FixtureSecret string       `json:"fixture_secret"`
	Note          string       `json:"note"`
	Fields        []ScrubCount `json:"fields"`
}

const scrubNote = "Personal data was replaced by pseudonyms (the same value always by the same pseudonym in this export). " +
	"Secrets in bodies and headers (secret keys, tokens) and vendor signatures use fixture_secret: configure it as the vendor secret and the deliveries verify."

// sink is one output format.
type sink interface {
	begin(m *Meta) error
	add(rec *Record, body []byte) error
	end(s *ScrubInfo) error
}

// Write exports the selection to w in opt.Format (zip, ndjson or har). It returns an EINVALID
// error for another format or a bad selection; errors of w or the store otherwise.
func Write(ctx context.Context, src Source, w io.Writer, opt Options) (Result, error) {
	var sk sink
	switch opt.Format {
	case FormatZip:
		z, err := newZipSink(w, opt.Pretty)
		if err != nil {
			return Result{}, err
		}
		defer z.cleanup()
		sk = z
	case FormatNDJSON:
		sk = newNDJSONSink(w)
	case FormatHAR:
		sk = newHARSink(w, opt.Generator)
	default:
		return Result{}, backend.Errorf(backend.EINVALID, "export format %q: want zip, ndjson or har (a folder needs WriteDir)", opt.Format)
	}
	return run(ctx, src, opt, sk)
}

// WriteDir exports the selection as a fixture folder at dir, which must not exist or be empty.
// It returns an EINVALID error when dir holds files.
func WriteDir(ctx context.Context, src Source, dir string, opt Options) (Result, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return Result{}, backend.Errorf(backend.EINVALID, "%s is not empty: export a fixture folder into a new or empty folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("export: %w", err)
	}
	sk, err := newDirSink(dir, opt.Pretty)
	if err != nil {
		return Result{}, err
	}
	opt.Format = FormatFixtures
	res, err := run(ctx, src, opt, sk)
	if cerr := sk.close(); err == nil {
		err = cerr
	}
	return res, err
}

// WriteFile exports the selection to path: a fixture folder (a zip when path ends in .zip), or
// an NDJSON or HAR file. A file is written beside path and renamed once complete.
func WriteFile(ctx context.Context, src Source, path string, opt Options) (Result, error) {
	if opt.Format == FormatFixtures && strings.EqualFold(filepath.Ext(path), ".zip") {
		opt.Format = FormatZip
	}
	if opt.Format == FormatFixtures {
		return WriteDir(ctx, src, path, opt)
	}
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return Result{}, fmt.Errorf("export: %w", err)
	}
	res, err := Write(ctx, src, f, opt)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return res, err
}

// run drives one export: it walks the selection in arrival order, scrubs, and feeds the sink.
func run(ctx context.Context, src Source, opt Options, sk sink) (Result, error) {
	res := Result{Format: opt.Format}
	m := &Meta{Format: "hooklens-" + opt.Format, Version: Version, Generator: opt.Generator,
		Selection: opt.Selection, Scrubbed: opt.Scrub}
	if opt.Format == FormatZip {
		m.Format = "hooklens-" + FormatFixtures
	}
	if opt.KeepSecrets && opt.Secrets != nil {
		for _, v := range opt.Vendors.Names() {
			if s := opt.Secrets(v); s != "" {
				if m.Secrets == nil {
					m.Secrets = map[string]string{}
				}
				m.Secrets[v] = s
			}
		}
	}
	var sc *Scrubber
	if opt.Scrub {
		key, fixture := opt.ScrubKey, opt.FixtureSecret
		if key == nil {
			key = []byte(rand.Text())
		}
		if fixture == "" {
			fixture = "hooklens-fixture-" + strings.ToLower(rand.Text()[:16])
		}
		sc = NewScrubber(key, fixture, opt.Vendors)
		sc.KeepSecrets = opt.KeepSecrets
		if opt.KeepSecrets {
			sc.SignSecret = opt.Secrets
		}
		res.FixtureSecret = fixture
	}
	if err := sk.begin(m); err != nil {
		return res, err
	}
	var first time.Time
	err := src.EachDelivery(ctx, opt.Selection, backend.ByArrival, func(it *backend.Item) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := &it.Delivery
		if sc != nil {
			vendor := ""
			if it.Event != nil {
				vendor = it.Event.Vendor
			}
			d = sc.Delivery(d, vendor)
		}
		if res.Deliveries == 0 {
			first = d.ReceivedAt
		}
		if err := sk.add(newRecord(it, d, first), d.Body); err != nil {
			return err
		}
		res.Deliveries++
		res.BodyBytes += int64(len(d.Body))
		if opt.Progress != nil {
			opt.Progress(res.Deliveries, res.BodyBytes)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	var info *ScrubInfo
	if sc != nil {
		res.Scrubbed = sc.Report()
		info = &ScrubInfo{FixtureSecret: res.FixtureSecret, Note: scrubNote, Fields: res.Scrubbed}
	}
	return res, sk.end(info)
}
