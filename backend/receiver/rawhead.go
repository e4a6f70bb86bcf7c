package receiver

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
)

// headConn wraps a connection and follows HTTP/1.x framing in the bytes the server reads, so the
// handler can get each request's header block exactly as it arrived (order, case, duplicates),
// which net/http's header map loses. Bodies are skipped, not buffered.
type headConn struct {
	net.Conn
	max int // longest head kept; longer heads stop the tracking for this connection

	mu     sync.Mutex
	heads  [][]byte // complete heads not yet taken, oldest first
	broken bool     // framing lost: callers fall back to the header map

	state  int    // stHead, stLength, stChunkSize, stChunkData, stChunkCRLF, stTrailer
	cur    []byte // head (or chunk-size/trailer line) being gathered
	remain int64  // body or chunk bytes still to skip
}

const (
	stHead = iota
	stLength
	stChunkSize
	stChunkData
	stChunkCRLF
	stTrailer
)

type connKey struct{}

// withConn is the server's ConnContext hook: it makes the tracked connection findable per request.
func withConn(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*headConn); ok {
		return context.WithValue(ctx, connKey{}, hc)
	}
	return ctx
}

// takeHead returns the raw head of the request with this request line, or nil when unknown.
func takeHead(ctx context.Context, requestLine string) []byte {
	hc, _ := ctx.Value(connKey{}).(*headConn)
	if hc == nil {
		return nil
	}
	hc.mu.Lock()
	defer hc.mu.Unlock()
	for len(hc.heads) > 0 {
		h := hc.heads[0]
		hc.heads = hc.heads[1:]
		if bytes.HasPrefix(h, []byte(requestLine)) {
			return h
		}
	}
	return nil
}

func (c *headConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if !c.broken {
			c.feed(p[:n])
		}
		c.mu.Unlock()
	}
	return n, err
}

// feed advances the framing state machine over b.
func (c *headConn) feed(b []byte) {
	for len(b) > 0 && !c.broken {
		switch c.state {
		case stHead:
			// Skip blank lines between requests, as servers do.
			if len(c.cur) == 0 && (b[0] == '\r' || b[0] == '\n') {
				b = b[1:]
				continue
			}
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				c.gather(b)
				return
			}
			c.gather(b[:i+1])
			b = b[i+1:]
			if bytes.HasSuffix(c.cur, []byte("\n\r\n")) || bytes.HasSuffix(c.cur, []byte("\n\n")) {
				c.endHead()
			}
		case stLength:
			k := int64(len(b))
			if k > c.remain {
				k = c.remain
			}
			c.remain -= k
			b = b[k:]
			if c.remain == 0 {
				c.state = stHead
			}
		case stChunkSize, stTrailer:
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				c.gather(b)
				return
			}
			c.gather(b[:i+1])
			b = b[i+1:]
			line := strings.TrimSpace(string(c.cur))
			c.cur = c.cur[:0]
			if c.state == stTrailer {
				if line == "" {
					c.state = stHead
				}
				continue
			}
			if j := strings.IndexByte(line, ';'); j >= 0 {
				line = line[:j]
			}
			size, err := strconv.ParseInt(strings.TrimSpace(line), 16, 64)
			if err != nil || size < 0 {
				c.broken = true
				return
			}
			if size == 0 {
				c.state = stTrailer
			} else {
				c.state, c.remain = stChunkData, size
			}
		case stChunkData:
			k := int64(len(b))
			if k > c.remain {
				k = c.remain
			}
			c.remain -= k
			b = b[k:]
			if c.remain == 0 {
				c.state = stChunkCRLF
			}
		case stChunkCRLF: // the CRLF after chunk data
			if b[0] == '\n' {
				c.state = stChunkSize
			}
			b = b[1:]
		}
	}
}

func (c *headConn) gather(b []byte) {
	if len(c.cur)+len(b) > c.max {
		c.broken, c.cur, c.heads = true, nil, nil
		return
	}
	c.cur = append(c.cur, b...)
}

// endHead files the gathered head and decides how the body is framed.
func (c *headConn) endHead() {
	head := c.cur
	c.cur = nil
	c.heads = append(c.heads, head)
	if len(c.heads) > 64 { // a client pipelining wildly: keep only recent heads
		c.heads = c.heads[len(c.heads)-64:]
	}
	c.state = stHead
	chunked, length := false, int64(0)
	for _, line := range bytes.Split(head, []byte("\n"))[1:] {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v := strings.TrimSpace(string(value))
		switch strings.ToLower(strings.TrimSpace(string(name))) {
		case "transfer-encoding":
			chunked = chunked || strings.Contains(strings.ToLower(v), "chunked")
		case "content-length":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
				length = n
			}
		}
	}
	switch {
	case chunked:
		c.state = stChunkSize
	case length > 0:
		c.state, c.remain = stLength, length
	}
}

// parseHead splits a raw head into headers in arrival order; ok is false when it is not a head.
func parseHead(head []byte) (hs []rawHeader, ok bool) {
	lines := strings.Split(strings.TrimRight(string(head), "\r\n"), "\n")
	if len(lines) == 0 {
		return nil, false
	}
	for _, l := range lines[1:] {
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && len(hs) > 0 { // obsolete line folding
			hs[len(hs)-1].value += " " + strings.TrimSpace(l)
			continue
		}
		name, value, found := strings.Cut(l, ":")
		if !found {
			return nil, false
		}
		hs = append(hs, rawHeader{name: name, value: strings.Trim(value, " \t")})
	}
	return hs, true
}

type rawHeader struct{ name, value string }

// headListener wraps accepted connections in headConn.
type headListener struct {
	net.Listener
	max int
}

func (l headListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &headConn{Conn: c, max: l.max}, nil
}
