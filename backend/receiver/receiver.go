// Package receiver is the capture listener: it accepts every method and path, stores each request
// byte for byte, and answers 2xx only once the delivery is durably committed.
package receiver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"hooklens/backend"
)

// Defaults for the limits; each has a flag.
const (
	DefaultMaxBody       = 25 << 20
	DefaultMaxHeaderSize = 2 << 20
	DefaultHeaderTimeout = 10 * time.Second
	DefaultBodyTimeout   = 60 * time.Second
	DefaultIdleTimeout   = 120 * time.Second
)

// Refusal reasons stored on deliveries whose body was not kept.
const (
	RefusedTooLarge  = "body_too_large"
	RefusedReadError = "body_read_error"
)

// Handler captures requests into Store.
type Handler struct {
	Store   backend.DeliveryWriter
	MaxBody int64
	// Now is the clock (UTC, truncated to microseconds by the store).
	Now func() time.Time
	// Probes, when set, recognizes this process's own tunnel health probes: they are stored
	// hidden and always get the default answer.
	Probes Probes

	responses atomic.Pointer[[]Response] // custom responses, longest prefix first (response.go)
}

// NewHandler returns a handler with default limits.
func NewHandler(store backend.DeliveryWriter) *Handler {
	return &Handler{Store: store, MaxBody: DefaultMaxBody, Now: time.Now}
}

// ServeHTTP captures r. Every path and method is a capture; nothing else is served.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d := h.delivery(r)
	body, err := readBody(r.Body, r.ContentLength, h.MaxBody)
	status := http.StatusOK
	switch {
	case errors.Is(err, errTooLarge):
		status, d.Refused = http.StatusRequestEntityTooLarge, RefusedTooLarge
		d.Size = max(r.ContentLength, int64(len(body)))
		body = nil
		w.Header().Set("Connection", "close") // do not read the rest of a huge body
	case err != nil:
		status, d.Refused = http.StatusBadRequest, RefusedReadError
		d.Size, body = int64(len(body)), nil
	default:
		d.Size = int64(len(body))
	}
	d.Body, d.Status = body, status
	probe := ""
	if h.Probes != nil {
		probe = h.Probes.Probe(r)
	}
	var custom *Response
	if probe != "" {
		d.Hidden = true
	} else if status == http.StatusOK {
		if custom = h.responseFor(d.Path); custom != nil {
			d.Status = custom.Status // the stored status is the one the sender gets
		}
	}
	// The request context ends if the client goes away; the commit must not depend on it. The
	// store bounds its own waits.
	if err := h.Store.Capture(context.WithoutCancel(r.Context()), d); err != nil {
		w.Header().Set("Retry-After", "1")
		reply(w, http.StatusServiceUnavailable, map[string]any{
			"error": "not stored: " + backend.ErrorMessage(err), "retry": true})
		return
	}
	if probe != "" {
		h.Probes.Arrived(probe)
	}
	if custom != nil { // only now: nothing is acknowledged before it is committed
		answer(r.Context(), w, custom)
		return
	}
	switch status {
	case http.StatusOK: // the answer to nearly every capture, written without encoding/json
		replyHead(w, status)
		_, _ = w.Write(append(append(append(make([]byte, 0, 64), `{"id":"`...), d.ID...), `","stored":true}`+"\n"...))
	case http.StatusRequestEntityTooLarge:
		reply(w, status, map[string]any{"id": d.ID, "stored": false,
			"error": "body larger than the receiver's limit", "limit": h.MaxBody})
	default:
		reply(w, status, map[string]any{"id": d.ID, "stored": false, "error": "body could not be read: " + err.Error()})
	}
}

// delivery builds the metadata of r (everything but the body).
func (h *Handler) delivery(r *http.Request) *backend.Delivery {
	path, query, _ := strings.Cut(r.RequestURI, "?")
	if r.URL.IsAbs() || path == "" { // absolute-form or odd targets: keep what the URL parser saw
		path, query = r.URL.EscapedPath(), r.URL.RawQuery
	}
	d := &backend.Delivery{
		ReceivedAt:  h.Now(),
		Method:      r.Method,
		Path:        path,
		Query:       query,
		Headers:     headers(r),
		ContentType: r.Header.Get("Content-Type"),
		RemoteAddr:  r.RemoteAddr,
		Source:      backend.SourceReceiver,
	}
	d.ForwardedFor = strings.Join(r.Header.Values("X-Forwarded-For"), ", ")
	d.ForwardedProto = r.Header.Get("X-Forwarded-Proto")
	d.ForwardedHost = r.Header.Get("X-Forwarded-Host")
	d.ConnectingIP = r.Header.Get("CF-Connecting-IP")
	return d
}

// headers returns r's headers in arrival order from the raw head, or, when that is unknown,
// from the header map in a stable order (with Host first, as it was taken out of the map).
func headers(r *http.Request) backend.Headers {
	if head := takeHead(r.Context(), r.Method+" "+r.RequestURI+" "); head != nil {
		if raw, ok := parseHead(head); ok {
			hs := make(backend.Headers, len(raw))
			for i, h := range raw {
				hs[i] = backend.Header{Name: h.name, Value: h.value}
			}
			return hs
		}
	}
	hs := backend.Headers{{Name: "Host", Value: r.Host}}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			hs = append(hs, backend.Header{Name: name, Value: v})
		}
	}
	return hs
}

var errTooLarge = errors.New("body too large")

// readBody reads at most limit bytes; errTooLarge (with what was read) when there is more.
func readBody(body io.Reader, length, limit int64) ([]byte, error) {
	if length > limit {
		return nil, errTooLarge
	}
	size := int64(512)
	if length > 0 {
		size = length + 1 // +1 so a correct length ends with EOF without regrowing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf[:limit], errTooLarge
		}
		if err == io.EOF {
			return buf, nil
		} else if err != nil {
			return buf, err
		}
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	replyHead(w, status)
	_ = json.NewEncoder(w).Encode(v)
}

// replyHead writes the head of a JSON answer (an id is UUIDv7: no character needs escaping).
func replyHead(w http.ResponseWriter, status int) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["X-Content-Type-Options"] = nosniff
	h["Cache-Control"] = noStore
	w.WriteHeader(status)
}

// Header values shared by every answer (net/http does not modify them).
var (
	jsonType = []string{"application/json"}
	nosniff  = []string{"nosniff"}
	noStore  = []string{"no-store"}
)

// Server is the receiver's HTTP server with timeouts against slow clients.
type Server struct {
	Handler       http.Handler
	MaxHeaderSize int
	HeaderTimeout time.Duration
	BodyTimeout   time.Duration

	srv    *http.Server
	ln     net.Listener
	cancel context.CancelFunc // ends the requests' base context: custom-response delays stop waiting
}

// Listen binds addr and starts serving in the background; it returns an error when addr cannot
// be bound.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.Serve(ln)
	return nil
}

// Serve starts serving on ln in the background.
func (s *Server) Serve(ln net.Listener) {
	if s.MaxHeaderSize == 0 {
		s.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if s.HeaderTimeout == 0 {
		s.HeaderTimeout = DefaultHeaderTimeout
	}
	if s.BodyTimeout == 0 {
		s.BodyTimeout = DefaultBodyTimeout
	}
	s.ln = headListener{Listener: ln, max: s.MaxHeaderSize + 4096}
	base, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.srv = &http.Server{
		BaseContext:       func(net.Listener) context.Context { return base },
		Handler:           s.Handler,
		ReadHeaderTimeout: s.HeaderTimeout,
		ReadTimeout:       s.HeaderTimeout + s.BodyTimeout,
		WriteTimeout:      s.HeaderTimeout + s.BodyTimeout + 30*time.Second + MaxResponseDelay,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    s.MaxHeaderSize,
		ConnContext:       withConn,
		ErrorLog:          quietLog(),
	}
	go s.srv.Serve(s.ln)
}

// Addr returns the bound address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Shutdown stops accepting and waits for in-flight captures to be answered.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	s.cancel() // answer delayed custom responses now instead of holding the shutdown
	return s.srv.Shutdown(ctx)
}
