package api

import (
	"context"
	"net/http"

	"hooklens/backend/decode"
	"hooklens/backend/settings"
)

// Settings is the settings service: vendor secrets and every other setting.
type Settings interface {
	Secrets
	settings.VersionPins
	View(ctx context.Context) (settings.View, error)
	Update(ctx context.Context, p settings.Patch) (settings.Settings, error)
}

// settingsRoutes registers the settings routes beyond GET /settings and PUT /settings/secrets.
func (s *Server) settingsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("PUT /api/v1/settings", s.putSettings)
	mux.HandleFunc("PUT /api/v1/settings/versions/{vendor}", s.putVersionPin)
}

// SettingsView is GET /api/v1/settings: the secrets as configured or not (never their values),
// then the other settings.
type SettingsView struct {
	Secrets map[string]SecretState `json:"secrets"`
	// Versions are the API versions of each vendor that has them, and the one pinned.
	Versions map[string]VersionPinState `json:"versions,omitempty"`
	settings.View
}

// VersionPinState is a vendor's API versions (oldest first) and the one pinned ("" = none:
// drift is checked against the newest version a delivery could come from).
type VersionPinState struct {
	Pinned   string              `json:"pinned"`
	Versions []decode.APIVersion `json:"versions"`
}

// VersionPinRequest is the body of PUT /api/v1/settings/versions/{vendor}; "" unpins.
type VersionPinRequest struct {
	Version string `json:"version"`
}

// SecretState says whether a vendor's secret is configured.
type SecretState struct {
	Configured bool `json:"configured"`
}

// SecretRequest is the body of PUT /api/v1/settings/secrets/{vendor}; "" removes the secret.
type SecretRequest struct {
	Secret string `json:"secret"`
}

func (s *Server) settingsView(ctx context.Context) (SettingsView, error) {
	out := SettingsView{Secrets: map[string]SecretState{}, Versions: map[string]VersionPinState{}}
	for _, v := range s.Registry.Vendors() {
		out.Secrets[v.Name()] = SecretState{Configured: s.Settings.Secret(v.Name()) != ""}
		if cat := v.Catalog(); cat != nil && len(cat.Versions) > 0 {
			out.Versions[v.Name()] = VersionPinState{Pinned: s.Settings.VersionPin(v.Name()), Versions: cat.Versions}
		}
	}
	view, err := s.Settings.View(ctx)
	out.View = view
	return out, err
}

func (s *Server) getSettings(w http.ResponseWriter, r *http.Request) {
	out, err := s.settingsView(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// putSettings applies a partial update of the non-secret settings and answers the whole view.
func (s *Server) putSettings(w http.ResponseWriter, r *http.Request) {
	var p settings.Patch
	if err := decodeBody(r, &p); err != nil {
		writeError(w, err)
		return
	}
	if _, err := s.Settings.Update(r.Context(), p); err != nil {
		writeError(w, err)
		return
	}
	s.getSettings(w, r)
}

func (s *Server) putSecret(w http.ResponseWriter, r *http.Request) {
	var in SecretRequest
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	if err := s.Settings.SetSecret(r.Context(), r.PathValue("vendor"), in.Secret); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// putVersionPin pins a vendor's API version ("" unpins) and answers the whole view.
func (s *Server) putVersionPin(w http.ResponseWriter, r *http.Request) {
	var in VersionPinRequest
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	if err := s.Settings.SetVersionPin(r.Context(), r.PathValue("vendor"), in.Version); err != nil {
		writeError(w, err)
		return
	}
	s.getSettings(w, r)
}
