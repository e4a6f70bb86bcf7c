// Package replay sends captured deliveries to a target URL, on request (replay) or live as they are captured (forward), keeping their headers in order, and records the answers.
package replay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hooklens/backend"
)

// Defaults of a Sender.
const (
	DefaultTimeout    = 10 * time.Second
	DefaultMaxExcerpt = 2 << 10
)

// Response is what a target answered to one request, or why it did not.
type Response struct {
	URL        string        `json:"url"`
	StartedAt  time.Time     `json:"started_at"`
	Duration   time.Duration `json:"-"`
	Status     int           `json:"status"` // 0 when there was no answer
	StatusText string        `json:"status_text"`
	Excerpt    []byte        `json:"-"`
	Header     http.Header   `json:"-"` // the answer's headers
	Truncated  bool          `json:"truncated"`
	Error      string        `json:"error,omitempty"`
}

// Sender writes requests itself, on a connection of its own, so headers go out in the order
// and the case they were captured in (net/http would sort and canonicalize them).
type Sender struct {
	Timeout    time.Duration // per request, dial to end of the excerpt; DefaultTimeout when 0
	MaxExcerpt int           // bytes of the answer's body kept; DefaultMaxExcerpt when 0
	TLS        *tls.Config   // for https targets; nil uses the system roots
	Now        func() time.Time
}

// hopByHop are headers that describe one connection, not the request; Host and Content-Length
// are written by the sender for the target, Expect would make it wait.
var hopByHop = map[string]bool{"connection": true, "keep-alive": true, "proxy-authenticate": true,
	"proxy-authorization": true, "proxy-connection": true, "te": true, "trailer": true,
	"transfer-encoding": true, "upgrade": true, "host": true, "content-length": true, "expect": true}

// ParseTarget checks that raw is an absolute http or https URL; EINVALID when it is not.
func ParseTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, backend.Errorf(backend.EINVALID, "target %q is not an http:// or https:// URL", raw)
	}
	if u.User != nil || u.Fragment != "" {
		return nil, backend.Errorf(backend.EINVALID, "target %q: user info and fragments are not supported", raw)
	}
	return u, nil
}

// TargetURL returns where d goes: the target's path with the delivery's path appended, and the
// target's query followed by the delivery's.
func TargetURL(target *url.URL, d *backend.Delivery) string {
	return target.Scheme + "://" + target.Host + requestTarget(target, d)
}

func requestTarget(target *url.URL, d *backend.Delivery) string {
	base := strings.TrimSuffix(target.EscapedPath(), "/")
	p := d.Path
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	t := safeTarget(base + p)
	q := target.RawQuery
	if d.Query != "" {
		if q != "" {
			q += "&"
		}
		q += d.Query
	}
	if q != "" {
		t += "?" + safeTarget(q)
	}
	return t
}

// safeTarget percent-encodes the bytes a request line cannot carry (spaces, controls, non-ASCII).
func safeTarget(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Send sends d to target and returns the answer. It never fails: a request that gets no
// answer has Error set.
func (s *Sender) Send(ctx context.Context, d *backend.Delivery, target *url.URL) Response {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	res := Response{URL: TargetURL(target, d), StartedAt: now().UTC()}
	start := time.Now()
	err := s.send(ctx, d, target, &res)
	res.Duration = time.Since(start)
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

func (s *Sender) send(ctx context.Context, d *backend.Delivery, target *url.URL, res *Response) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	head, err := requestHead(d, target)
	if err != nil {
		return err
	}
	conn, err := s.dial(ctx, target)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	w := bufio.NewWriterSize(conn, 32<<10)
	w.Write(head)
	w.Write(d.Body)
	if err := w.Flush(); err != nil {
		return explain(ctx, "send", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: d.Method})
	if err != nil {
		return explain(ctx, "read answer", err)
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	res.Header = resp.Header
	res.StatusText = strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	max := s.MaxExcerpt
	if max <= 0 {
		max = DefaultMaxExcerpt
	}
	excerpt, err := io.ReadAll(io.LimitReader(resp.Body, int64(max)+1))
	if len(excerpt) > max {
		excerpt, res.Truncated = excerpt[:max], true
	}
	res.Excerpt = excerpt
	if err != nil && !res.Truncated {
		return explain(ctx, "read answer body", err)
	}
	return nil
}

// RequestHead is the request line and headers Send writes for d to target, for reports.
func RequestHead(d *backend.Delivery, target *url.URL) ([]byte, error) { return requestHead(d, target) }

// requestHead is the request line and headers: Host first, then the captured headers in their
// order and case (hop-by-hop ones left out), Content-Length, Connection: close.
func requestHead(d *backend.Delivery, target *url.URL) ([]byte, error) {
	if !validToken(d.Method) {
		return nil, fmt.Errorf("method %q cannot be sent", d.Method)
	}
	var b bytes.Buffer
	b.WriteString(d.Method + " " + requestTarget(target, d) + " HTTP/1.1\r\n")
	b.WriteString("Host: " + target.Host + "\r\n")
	var drop map[string]bool
	for _, h := range d.Headers {
		if strings.EqualFold(h.Name, "Connection") {
			for _, n := range strings.Split(h.Value, ",") {
				if drop == nil {
					drop = map[string]bool{}
				}
				drop[strings.ToLower(strings.TrimSpace(n))] = true
			}
		}
	}
	for _, h := range d.Headers {
		n := strings.ToLower(h.Name)
		if hopByHop[n] || drop[n] || !validToken(h.Name) || strings.ContainsAny(h.Value, "\r\n\x00") {
			continue
		}
		b.WriteString(h.Name + ": " + h.Value + "\r\n")
	}
	if len(d.Body) > 0 || d.Method == http.MethodPost || d.Method == http.MethodPut || d.Method == http.MethodPatch {
		b.WriteString("Content-Length: " + strconv.Itoa(len(d.Body)) + "\r\n")
	}
	b.WriteString("Connection: close\r\n\r\n")
	return b.Bytes(), nil
}

func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

func (s *Sender) dial(ctx context.Context, target *url.URL) (net.Conn, error) {
	addr := target.Host
	if target.Port() == "" {
		port := "80"
		if target.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(target.Hostname(), port)
	}
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, explain(ctx, "connect", err)
	}
	if target.Scheme != "https" {
		return conn, nil
	}
	cfg := &tls.Config{}
	if s.TLS != nil {
		cfg = s.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = target.Hostname()
	}
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, explain(ctx, "TLS handshake", err)
	}
	return tc, nil
}

// explain says what failed, as a timeout when the deadline passed.
func explain(ctx context.Context, what string, err error) error {
	var ne net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%s: timed out", what)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: canceled", what)
	}
	return fmt.Errorf("%s: %v", what, err)
}
