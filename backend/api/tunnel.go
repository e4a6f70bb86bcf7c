package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"

	"hooklens/backend"
	"hooklens/backend/registration"
	"hooklens/backend/tunnel"
)

// Tunnel manages the public URL of the receiver (tunnel.Manager).
type Tunnel interface {
	Status() tunnel.Status
	Start(ctx context.Context, req tunnel.StartRequest) (tunnel.Status, error)
	Stop(ctx context.Context) (tunnel.Status, error)
	Check(ctx context.Context) (tunnel.Status, error)
	MarkRegistered(ctx context.Context, vendor, url string) (tunnel.Status, error)
	ForgetRegistered(ctx context.Context, vendor string) (tunnel.Status, error)
}

// tunnelRoutes registers the tunnel routes, the registration guides (without a public URL they
// use a placeholder) and the settings routes of settings.go.
func (s *Server) tunnelRoutes(mux *http.ServeMux) {
	s.settingsRoutes(mux)
	mux.HandleFunc("GET /api/v1/registration/{vendor}", s.getRegistration)
	mux.HandleFunc("GET /api/v1/tunnel", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Tunnel.Status())
	})
	mux.HandleFunc("POST /api/v1/tunnel/start", s.startTunnel)
	mux.HandleFunc("POST /api/v1/tunnel/stop", func(w http.ResponseWriter, r *http.Request) {
		tunnelReply(w)(s.Tunnel.Stop(r.Context()))
	})
	mux.HandleFunc("POST /api/v1/tunnel/check", func(w http.ResponseWriter, r *http.Request) {
		tunnelReply(w)(s.Tunnel.Check(r.Context()))
	})
	mux.HandleFunc("POST /api/v1/registration/{vendor}/register", s.register)
	mux.HandleFunc("POST /api/v1/registration/{vendor}/done", s.markRegistered)
	mux.HandleFunc("DELETE /api/v1/registration/{vendor}/done", func(w http.ResponseWriter, r *http.Request) {
		tunnelReply(w)(s.Tunnel.ForgetRegistered(r.Context(), r.PathValue("vendor")))
	})
}

// MarkRegisteredRequest is the optional body of POST /api/v1/registration/{vendor}/done: the
// URL registered, "" for the vendor URL of the current public URL.
type MarkRegisteredRequest struct {
	URL string `json:"url"`
}

// RegistrationHelp is GET /api/v1/registration/{vendor}: the guide, and the URL the vendor was
// last registered with (null when never).
type RegistrationHelp struct {
	registration.Help
	Registered *tunnel.Registration `json:"registered"`
}

// RegisterAnswer is what POST /api/v1/registration/{vendor}/register answers beside the fields
// of the vendor's outcome (for LiveChat, configapi.RegisterResult).
type RegisterAnswer struct {
	// Tunnel is the status after the registration (registered marked when OK).
	Tunnel tunnel.Status `json:"tunnel"`
	// MarkError says why a successful registration could not be recorded.
	MarkError string `json:"mark_error,omitempty"`
}

// tunnelReply answers the status, or the error.
func tunnelReply(w http.ResponseWriter) func(tunnel.Status, error) {
	return func(st tunnel.Status, err error) {
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, st)
	}
}

func (s *Server) startTunnel(w http.ResponseWriter, r *http.Request) {
	var req tunnel.StartRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	if req.Provider != tunnel.ProviderManual && req.PublicURL != "" {
		writeError(w, backend.Errorf(backend.EINVALID, "public_url goes with the manual provider only"))
		return
	}
	tunnelReply(w)(s.Tunnel.Start(r.Context(), req))
}

func (s *Server) markRegistered(w http.ResponseWriter, r *http.Request) {
	var in MarkRegisteredRequest
	if err := decodeOptionalBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	tunnelReply(w)(s.Tunnel.MarkRegistered(r.Context(), r.PathValue("vendor"), in.URL))
}

// getRegistration answers the registration guide of a vendor for the current public URL and
// secret; ?actions=a,b chooses the LiveChat actions.
func (s *Server) getRegistration(w http.ResponseWriter, r *http.Request) {
	vendor := r.PathValue("vendor")
	st := s.Tunnel.Status()
	in := registration.Input{PublicURL: st.PublicURL, Secret: s.Settings.Secret(vendor), Version: s.Settings.VersionPin(vendor)}
	if a := r.URL.Query().Get("actions"); a != "" {
		in.Actions = strings.Split(a, ",")
	}
	h, err := registration.For(s.Registry, vendor, in)
	if err != nil {
		writeError(w, err)
		return
	}
	out := RegistrationHelp{Help: h}
	if rec, ok := st.Registered[vendor]; ok {
		out.Registered = &rec
	}
	writeJSON(w, http.StatusOK, out)
}

// registering lets one in-app registration run at a time: two at once would both find an event
// missing and register it twice.
var registering sync.Mutex

// register registers the receiver with a vendor through the vendor's own API
// (registration.Registrar), with what the request carries (credentials, choices), the tunnel's
// public URL and the configured secret, then marks the registration done when every step
// succeeded. Credentials are used for these calls only: never stored, logged or answered.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	vendor := r.PathValue("vendor")
	reg, ok := s.Registry.Vendor(vendor).(registration.Registrar)
	if !ok {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "Hooklens cannot register with %q through its API", vendor))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, backend.Errorf(backend.EINVALID, "request body: %v", err))
		return
	}
	if !registering.TryLock() {
		writeError(w, backend.Errorf(backend.ECONFLICT, "a %s registration is already running; wait for its result",
			s.Registry.DisplayName(vendor)))
		return
	}
	defer registering.Unlock()
	url := registration.VendorURL(s.Tunnel.Status().PublicURL, vendor)
	res, ok, err := reg.Register(r.Context(), s.RegistrationAPIs[vendor], body, url, s.Settings.Secret(vendor))
	if err != nil {
		writeError(w, err)
		return
	}
	// The answer is the vendor's outcome with the tunnel's status after it (registered marked
	// when every step succeeded) and, if that failed, why the registration was not recorded.
	out := map[string]any{}
	if b, err := json.Marshal(res); err == nil {
		_ = json.Unmarshal(b, &out)
	}
	if ok {
		st, err := s.Tunnel.MarkRegistered(r.Context(), vendor, url)
		if err != nil {
			out["mark_error"] = backend.ErrorMessage(err)
		}
		out["tunnel"] = st
	} else {
		out["tunnel"] = s.Tunnel.Status()
	}
	writeJSON(w, http.StatusOK, out)
}

// decodeOptionalBody is decodeBody for a body that may be empty.
func decodeOptionalBody(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return backend.Errorf(backend.EINVALID, "request body: %v", err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil
	}
	r.Body = io.NopCloser(strings.NewReader(string(b)))
	return decodeBody(r, v)
}
