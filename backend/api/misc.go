package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode/lenient"
)

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
	writeJSON(w, http.StatusOK, map[string]any{
		"status": status, "version": s.Version, "deliveries": n,
		"receiver": map[string]string{"url": s.ReceiverURL, "state": "listening"},
		"store":    map[string]string{"state": storeState, "error": storeErr},
	})
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
	writeJSON(w, http.StatusOK, map[string]any{"vendors": names})
}

func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request) {
	v := s.Registry.Vendor(r.PathValue("vendor"))
	if v == nil {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "no vendor %q", r.PathValue("vendor")))
		return
	}
	writeJSON(w, http.StatusOK, v.Catalog())
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
	var in struct {
		Text string `json:"text"`
		Path string `json:"path"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	body, err := lenient.Parse([]byte(in.Text))
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
	writeJSON(w, http.StatusCreated, map[string]string{"id": d.ID})
}
