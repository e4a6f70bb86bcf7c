package api

import (
	"net/http"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// VersionsResponse is GET /api/v1/versions/{vendor}: the vendor's webhook versions and, when
// from and to are given, what changes between them, counted against the store.
type VersionsResponse struct {
	Vendor      string `json:"vendor"`
	DisplayName string `json:"display_name"`
	// Versions are the versions Hooklens knows, oldest first; empty when it describes one only.
	Versions []decode.APIVersion `json:"versions"`
	// Changes is what changes from ?from to ?to, each change with the captured events it
	// concerns; absent without from and to.
	Changes *decode.ChangeSet `json:"changes,omitempty"`
}

// getVersions answers GET /api/v1/versions/{vendor}?from=&to=.
func (s *Server) getVersions(w http.ResponseWriter, r *http.Request) {
	v := s.Registry.Vendor(r.PathValue("vendor"))
	if v == nil {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "no vendor %q", r.PathValue("vendor")))
		return
	}
	cat := v.Catalog()
	out := VersionsResponse{Vendor: v.Name(), DisplayName: v.Info().DisplayName,
		Versions: append([]decode.APIVersion{}, cat.Versions...)}
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	switch {
	case from == "" && to == "":
		writeJSON(w, http.StatusOK, out)
		return
	case from == "" || to == "":
		writeError(w, backend.Errorf(backend.EINVALID, "give both from and to"))
		return
	}
	cs, err := decode.Changes(cat, from, to)
	if err != nil {
		writeError(w, backend.Errorf(backend.EINVALID, "%s: %v", v.Name(), err))
		return
	}
	captured, err := s.Store.CapturedFields(r.Context(), v.Name())
	if err != nil {
		writeError(w, err)
		return
	}
	cs.Count(captured)
	out.Changes = cs
	writeJSON(w, http.StatusOK, out)
}
