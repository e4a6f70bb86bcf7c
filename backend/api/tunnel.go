package api

import (
	"context"
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

// tunnelRoutes registers the tunnel routes (when Tunnel is set), the registration guides (always:
// without a tunnel they use a placeholder URL) and the settings routes of settings.go.
func (s *Server) tunnelRoutes(mux *http.ServeMux) {
	s.settingsRoutes(mux)
	mux.HandleFunc("GET /api/v1/registration/{vendor}", s.getRegistration)
	if s.Tunnel == nil {
		return
	}
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
	mux.HandleFunc("POST /api/v1/registration/livechat/register", s.registerLiveChat)
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

// LiveChatRegisterRequest is the body of POST /api/v1/registration/livechat/register. The token
// is used for that call only: it is never stored, logged or answered. No actions: the default ones.
type LiveChatRegisterRequest struct {
	AccountID string   `json:"account_id"`
	Token     string   `json:"token"`
	ClientID  string   `json:"client_id"`
	Actions   []string `json:"actions"`
}

// LiveChatRegisterResult is the answer of POST /api/v1/registration/livechat/register.
type LiveChatRegisterResult struct {
	registration.RegisterResult
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
	in := registration.Input{}
	if s.Tunnel != nil {
		in.PublicURL = s.Tunnel.Status().PublicURL
	}
	if s.Secrets != nil {
		in.Secret = s.Secrets.Secret(vendor)
	}
	if a := r.URL.Query().Get("actions"); a != "" {
		in.Actions = strings.Split(a, ",")
	}
	h, err := registration.For(vendor, in)
	if err != nil {
		writeError(w, err)
		return
	}
	out := RegistrationHelp{Help: h}
	if s.Tunnel != nil {
		if rec, ok := s.Tunnel.Status().Registered[vendor]; ok {
			out.Registered = &rec
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// liveChatRegistering lets one in-app LiveChat registration run at a time: two at once would both
// find an action missing and register it twice.
var liveChatRegistering sync.Mutex

// registerLiveChat registers the LiveChat webhooks through the Configuration API with the
// credentials of the request, the tunnel's public URL and the configured secret, then marks the
// registration done when every step succeeded. The token is used for these calls only: it is
// never stored, logged or answered.
func (s *Server) registerLiveChat(w http.ResponseWriter, r *http.Request) {
	var in LiveChatRegisterRequest
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	if !liveChatRegistering.TryLock() {
		writeError(w, backend.Errorf(backend.ECONFLICT, "a LiveChat registration is already running; wait for its result"))
		return
	}
	defer liveChatRegistering.Unlock()
	req := registration.RegisterRequest{
		Credentials: registration.LiveChatCredentials{AccountID: strings.TrimSpace(in.AccountID),
			Token: strings.TrimSpace(in.Token), ClientID: strings.TrimSpace(in.ClientID)},
		URL:     registration.VendorURL(s.Tunnel.Status().PublicURL, backend.VendorLiveChat),
		Actions: in.Actions,
	}
	if s.Secrets != nil {
		req.Secret = s.Secrets.Secret(backend.VendorLiveChat)
	}
	client := &registration.LiveChatClient{BaseURL: s.LiveChatAPI}
	res, err := client.Register(r.Context(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	out := LiveChatRegisterResult{RegisterResult: res}
	if res.OK {
		st, err := s.Tunnel.MarkRegistered(r.Context(), backend.VendorLiveChat, res.URL)
		if err != nil {
			out.MarkError = backend.ErrorMessage(err)
		}
		out.Tunnel = st
	} else {
		out.Tunnel = s.Tunnel.Status()
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
