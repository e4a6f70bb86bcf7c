package export

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"hooklens/backend"
)

// FixtureDelivery returns the delivery that file, the body file of an exported fixture, stands
// for: body (the file's bytes, compacted back when the export indented them) with the method,
// path, query, headers and time manifest.json beside it records. It returns nil and no error
// when no manifest beside file names it: file is a plain body. A manifest that cannot be read
// is an error naming it.
func FixtureDelivery(file string, body []byte) (*backend.Delivery, error) {
	manifest := filepath.Join(filepath.Dir(file), ManifestName)
	mf, err := os.Open(manifest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "%v", err)
	}
	defer mf.Close()
	base := filepath.Base(file)
	var rec *Record
	errFound := errors.New("found")
	err = walkManifest(mf, filepath.Dir(file), func(*Meta, *ScrubInfo) {}, func(r *Record) error {
		if r.File == base {
			rec = r
			return errFound
		}
		return nil
	})
	if err != nil && err != errFound {
		return nil, err
	}
	if rec == nil {
		return nil, nil
	}
	imp, err := rec.importOf(rec.unindent(body), manifest)
	if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "%s: %s", manifest, backend.ErrorMessage(err))
	}
	return imp.Delivery, nil
}
