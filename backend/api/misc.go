package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode/lenient"
)

// Health is GET /api/v1/health.
type Health struct {
	Status     string         `json:"status"` // "ok" or "degraded"
	Version    string         `json:"version"`
	Deliveries int64          `json:"deliveries"`
	Receiver   ReceiverHealth `json:"receiver"`
	Store      StoreHealth    `json:"store"`
	Sync       SyncHealth     `json:"sync"`
}

// SyncHealth says when the receiver acknowledges a capture, and how many captures one sync of
// the capture journal covered: Captures/Syncs since start (the benchmark reads both).
type SyncHealth struct {
	// Policy is "always" (2xx once the capture is on stable storage: it survives a power cut)
	// or "os" (2xx once the operating system has it: it survives a crash of Hooklens only).
	Policy   string `json:"policy"`
	Syncs    uint64 `json:"syncs"`    // journal syncs that succeeded since start
	Captures uint64 `json:"captures"` // captures journaled since start
	Error    string `json:"error"`    // why the journal cannot be synced now; "" when it can
}

// ReceiverHealth is where the receiver listens.
type ReceiverHealth struct {
	URL   string `json:"url"`
	State string `json:"state"` // "listening"
}

// StoreHealth says whether the store answers; Error says why not.
type StoreHealth struct {
	State string `json:"state"` // "ok" or "failing"
	Error string `json:"error"`
}

// CatalogList is GET /api/v1/catalog: the vendors that have a catalog (GET /api/v1/catalog/{vendor}).
type CatalogList struct {
	Vendors []string `json:"vendors"`
}

// SampleRequest is the body of POST /api/v1/samples: a vendor doc sample (read leniently) and
// the receiver path to capture it at.
type SampleRequest struct {
	Text string `json:"text"`
	Path string `json:"path"`
}

// Created is the answer of a POST that made one thing: its id.
type Created struct {
	ID string `json:"id"`
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	n, err := s.Store.CountDeliveries(r.Context())
	status, storeState, storeErr := "ok", "ok", ""
	if err == nil {
		err = s.Store.Health()
	}
	if err != nil {
		status, storeState, storeErr = "degraded", "failing", backend.ErrorMessage(err)
		if backend.ErrorCode(err) == backend.EINTERNAL {
			storeErr = err.Error()
		}
	}
	st := s.Store.SyncStats()
	writeJSON(w, http.StatusOK, Health{Status: status, Version: s.Version, Deliveries: n,
		Receiver: ReceiverHealth{URL: s.ReceiverURL, State: "listening"},
		Store:    StoreHealth{State: storeState, Error: storeErr},
		Sync:     SyncHealth{Policy: string(st.Policy), Syncs: st.Syncs, Captures: st.Captures, Error: st.Error}})
}

func (s *Server) rawBody(w http.ResponseWriter, r *http.Request) {
	v, err := s.Store.FindDeliveryByID(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+v.ID+`.body"`)
	_, _ = w.Write(v.Body)
}

func (s *Server) listCatalogs(w http.ResponseWriter, r *http.Request) {
	names := []string{}
	for _, v := range s.Registry.Vendors() {
		names = append(names, v.Name())
	}
	writeJSON(w, http.StatusOK, CatalogList{Vendors: names})
}

func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request) {
	v := s.Registry.Vendor(r.PathValue("vendor"))
	if v == nil {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "no vendor %q", r.PathValue("vendor")))
		return
	}
	cat := v.Catalog()
	if ver := r.URL.Query().Get("version"); ver != "" {
		if cat == nil || cat.Index(ver) < 0 {
			known := "none"
			if cat != nil && len(cat.Versions) > 0 {
				known = cat.VersionNames()
			}
			writeError(w, backend.Errorf(backend.EINVALID, "version %q is not a %s API version (known: %s)", ver, v.Name(), known))
			return
		}
		cat = cat.At(ver) // the event types and fields of that version only
	}
	writeJSON(w, http.StatusOK, cat)
}

// decodeBody reads a JSON request body of at most 1 MiB into v; EINVALID when it cannot.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return backend.Errorf(backend.EINVALID, "request body: %v", err)
	}
	return nil
}

// postSample captures a vendor doc sample, read leniently, as a delivery marked as a sample.
func (s *Server) postSample(w http.ResponseWriter, r *http.Request) {
	var in SampleRequest
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	body, err := lenient.Parse([]byte(in.Text))
	var at *lenient.Error
	if errors.As(err, &at) {
		writeJSON(w, http.StatusBadRequest, ErrorResponse{Error: APIError{Code: backend.EINVALID, Line: at.Line, Column: at.Col,
			Message: fmt.Sprintf("sample is not readable JSON: line %d, column %d: %s", at.Line, at.Col, at.Msg)}})
		return
	}
	if err != nil {
		writeError(w, backend.Errorf(backend.EINVALID, "sample is not readable JSON: %v", err))
		return
	}
	path := in.Path
	if path == "" {
		path = "/"
	} else if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	d := &backend.Delivery{Method: http.MethodPost, Path: path, Body: body, Size: int64(len(body)),
		ContentType: "application/json", Status: http.StatusOK, Source: backend.SourceSample,
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
	if err := s.Store.AddDelivery(r.Context(), d); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, Created{ID: d.ID})
}

// APIError is an error as the API answers it (see ErrorResponse).
type APIError struct {
	Code    string `json:"code"` // invalid, not_found, conflict, unavailable, internal, unauthorized, forbidden
	Message string `json:"message"`
	// Line and Column (1-based, columns in characters) locate the problem in a text the request
	// sent, when there is one to point at (a pasted sample that cannot be read); else absent.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// ErrorResponse is the body of every answer with a 4xx or 5xx status.
type ErrorResponse struct {
	Error APIError `json:"error"`
}

// textOrBase64 returns b as text when it is UTF-8, else as base64: one of the two is nil.
func textOrBase64(b []byte) (text, b64 *string) {
	if utf8.Valid(b) {
		t := string(b)
		return &t, nil
	}
	t := base64.StdEncoding.EncodeToString(b)
	return nil, &t
}
