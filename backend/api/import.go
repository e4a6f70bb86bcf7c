package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"hooklens/backend"
	"hooklens/backend/export"
)

// Imports reads uploaded export files into the store (ImportService in production).
type Imports interface {
	// Import reads one uploaded file; format "" detects it from name and content.
	Import(ctx context.Context, r io.Reader, format, name string) (backend.ImportResult, error)
}

// ImportService is the production Imports over a store.
type ImportService struct {
	Store backend.ImportService
}

// Import reads one file into the store.
func (i *ImportService) Import(ctx context.Context, r io.Reader, format, name string) (backend.ImportResult, error) {
	return export.ImportReader(ctx, i.Store, r, format, name)
}

var _ Imports = (*ImportService)(nil)

func (s *Server) importRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/import", s.postImport)
}

// postImport imports multipart files (field "file", repeatable) or the raw body (?format=, ?name=).
func (s *Server) postImport(w http.ResponseWriter, r *http.Request) {
	var sum backend.ImportSummary
	format := strings.ToLower(r.URL.Query().Get("format"))
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			writeError(w, backend.Errorf(backend.EINVALID, "import: %v", err))
			return
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				writeError(w, backend.Errorf(backend.EINVALID, "import: %v", err))
				return
			}
			if part.FileName() == "" {
				continue
			}
			res, err := s.Imports.Import(r.Context(), part, format, part.FileName())
			sum.Add(part.FileName(), res, err)
		}
	} else {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "upload"
		}
		res, err := s.Imports.Import(r.Context(), r.Body, format, name)
		sum.Add(name, res, err)
	}
	if len(sum.Files) == 0 {
		writeError(w, backend.Errorf(backend.EINVALID, "import: no file in the request"))
		return
	}
	writeJSON(w, http.StatusOK, sum)
}
