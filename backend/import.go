package backend

import "cmp"

import "context"

// Import is one delivery read from an export file, with what the file said about it.
type Import struct {
	Delivery     *Delivery
	Origin       string        // the delivery's source when it was exported
	Verification *Verification // its verification when it was exported; nil if unknown
	File         string        // the file it comes from
}

// ImportService stores imported deliveries.
type ImportService interface {
	// ImportDeliveries stores items keeping their ids and received times. It returns one error
	// per item: nil when stored, an ECONFLICT error when a delivery with the same id exists (the
	// item is skipped). The error it returns itself (EUNAVAILABLE) means nothing was stored.
	ImportDeliveries(ctx context.Context, items []Import) ([]error, error)
}

// ImportResult says what importing one file did. Duplicates (a delivery with the same id is
// already in the store) are skipped, not errors.
type ImportResult struct {
	Format       string   `json:"format"`
	Imported     int      `json:"imported"`
	Duplicates   int      `json:"duplicates"`
	DuplicateIDs []string `json:"duplicate_ids"` // the first 100
	Warnings     []string `json:"warnings"`      // the first 100
	// Secrets are the vendor secrets the file carries when it was exported with them (kept
	// secrets), by vendor. Never sent to the UI.
	Secrets map[string]string `json:"-"`
	// FixtureSecret is the secret a scrubbed file was re-signed with: the secret of every vendor
	// whose Secrets entry is empty. Never sent to the UI.
	FixtureSecret string `json:"-"`
}

// SecretsFor returns the secrets the file carries for each of vendors: its kept secret, else
// the fixture secret. Vendors with neither are left out.
func (r *ImportResult) SecretsFor(vendors []string) map[string]string {
	out := map[string]string{}
	for _, v := range vendors {
		if s := cmp.Or(r.Secrets[v], r.FixtureSecret); s != "" {
			out[v] = s
		}
	}
	return out
}

// ImportedFile is one file of an import: what importing it did and, when it stopped, why.
type ImportedFile struct {
	Name string `json:"name"`
	ImportResult
	Error *ImportError `json:"error,omitempty"`
}

// ImportError is why a file could not be imported completely: an error code and its message.
type ImportError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportSummary is what importing some files did, file by file and in total. The API answers
// POST /api/v1/import with it, the desktop reports its imports with it, and `hooklens import`
// counts with it.
type ImportSummary struct {
	Files      []ImportedFile `json:"files"`
	Imported   int            `json:"imported"`
	Duplicates int            `json:"duplicates"`
	Failed     int            `json:"failed"`
}

// Add records the file name, what importing it did and the error that stopped it (nil when it
// was read to the end), and returns the file as recorded. An error is shown with its code and
// message (ErrorCode, ErrorMessage).
func (s *ImportSummary) Add(name string, res ImportResult, err error) ImportedFile {
	f := ImportedFile{Name: name, ImportResult: res}
	if f.DuplicateIDs == nil {
		f.DuplicateIDs = []string{}
	}
	if f.Warnings == nil {
		f.Warnings = []string{}
	}
	if err != nil {
		f.Error = &ImportError{Code: ErrorCode(err), Message: ErrorMessage(err)}
		s.Failed++
	}
	if s.Files == nil {
		s.Files = []ImportedFile{}
	}
	s.Imported += f.Imported
	s.Duplicates += f.Duplicates
	s.Files = append(s.Files, f)
	return f
}
