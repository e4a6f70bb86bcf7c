package receiver

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"hooklens/backend"
)

// Limits of custom responses.
const (
	MaxResponseDelay = 60 * time.Second
	MaxResponseBody  = 64 << 10
	MaxResponses     = 100
)

// Response is a custom answer for deliveries whose path starts with Prefix: the receiver still
// commits the delivery first, then waits Delay and answers Status with Body. It lets an
// integrator watch how a vendor retries after an error or a slow answer.
type Response struct {
	Prefix      string `json:"prefix"`
	Status      int    `json:"status"`
	Body        string `json:"body"`
	ContentType string `json:"content_type"`
	DelayMS     int    `json:"delay_ms"`
}

// Validate returns an EINVALID error saying what is wrong with r, nil when it can be used.
func (r Response) Validate() error {
	switch {
	case !strings.HasPrefix(r.Prefix, "/"):
		return backend.Errorf(backend.EINVALID, "prefix %q must start with /", r.Prefix)
	case strings.ContainsAny(r.Prefix, "?# \t\r\n"):
		return backend.Errorf(backend.EINVALID, "prefix %q must be a path without query, fragment or spaces", r.Prefix)
	case r.Status < 200 || r.Status > 599:
		return backend.Errorf(backend.EINVALID, "status %d is not allowed: use 200–599 (1xx are not final answers)", r.Status)
	case r.DelayMS < 0 || time.Duration(r.DelayMS)*time.Millisecond > MaxResponseDelay:
		return backend.Errorf(backend.EINVALID, "delay_ms %d is out of range: 0 to %d", r.DelayMS, MaxResponseDelay.Milliseconds())
	case len(r.Body) > MaxResponseBody:
		return backend.Errorf(backend.EINVALID, "body is %d bytes; at most %d", len(r.Body), MaxResponseBody)
	case r.Body != "" && (r.Status == http.StatusNoContent || r.Status == http.StatusNotModified):
		return backend.Errorf(backend.EINVALID, "a %d answer cannot have a body", r.Status)
	case strings.ContainsAny(r.ContentType, "\r\n\x00"):
		return backend.Errorf(backend.EINVALID, "content_type must be one line")
	}
	return nil
}

// ValidateResponses checks every response and that no two share a prefix; the EINVALID error
// names the first bad entry ("responses[2]: …").
func ValidateResponses(rs []Response) error {
	if len(rs) > MaxResponses {
		return backend.Errorf(backend.EINVALID, "responses: at most %d, got %d", MaxResponses, len(rs))
	}
	seen := make(map[string]int, len(rs))
	for i, r := range rs {
		if err := r.Validate(); err != nil {
			return backend.Errorf(backend.EINVALID, "responses[%d]: %s", i, backend.ErrorMessage(err))
		}
		if j, dup := seen[r.Prefix]; dup {
			return backend.Errorf(backend.EINVALID, "responses[%d]: prefix %q is already used by responses[%d]", i, r.Prefix, j)
		}
		seen[r.Prefix] = i
	}
	return nil
}

// SetResponses replaces the custom responses after validating them (EINVALID, nothing changed,
// when one is wrong). An empty list restores the default answer everywhere.
func (h *Handler) SetResponses(rs []Response) error {
	if err := ValidateResponses(rs); err != nil {
		return err
	}
	sorted := append([]Response(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i].Prefix) > len(sorted[j].Prefix) })
	h.responses.Store(&sorted)
	return nil
}

// Responses returns the custom responses in effect, longest prefix first.
func (h *Handler) Responses() []Response {
	if p := h.responses.Load(); p != nil {
		return append([]Response(nil), (*p)...)
	}
	return nil
}

// responseFor returns the custom response whose prefix is the longest match of path, nil if none.
func (h *Handler) responseFor(path string) *Response {
	p := h.responses.Load()
	if p == nil {
		return nil
	}
	for i := range *p {
		if strings.HasPrefix(path, (*p)[i].Prefix) {
			r := (*p)[i]
			return &r
		}
	}
	return nil
}

// answer writes a custom response once its delay has passed, or at once when the client has gone
// or the server is shutting down (the delivery is already committed either way).
func answer(ctx context.Context, w http.ResponseWriter, c *Response) {
	if c.DelayMS > 0 {
		t := time.NewTimer(time.Duration(c.DelayMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	h := w.Header()
	ct := c.ContentType
	if ct == "" && c.Body != "" {
		ct = "text/plain; charset=utf-8"
	}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", fmt.Sprint(len(c.Body)))
	w.WriteHeader(c.Status)
	_, _ = w.Write([]byte(c.Body))
}

// Probes recognizes the health probes this process sends to itself through its public URL, so
// they are stored hidden from the inbox. Only a probe the process is waiting for counts: a
// request that merely carries the same header is an ordinary delivery.
type Probes interface {
	// Probe returns a non-empty token when r is a probe this process sent and awaits, else "".
	Probe(r *http.Request) string
	// Arrived is called with that token once the probe's delivery is committed.
	Arrived(token string)
}
