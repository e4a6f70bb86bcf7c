package export

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Kinds of scrubbed values.
const (
	KindEmail    = "email"
	KindName     = "name"
	KindPhone    = "phone"
	KindIP       = "ip"
	KindText     = "text"   // free-text message, comment or answer
	KindSecret   = "secret" // secret_key, token, API key, credentials
	KindSigned   = "signature"
	KindLength   = "content_length"
	KindBinary   = "not_scrubbed" // a body Hooklens cannot read (binary, compressed in an unknown way)
	KindInflated = "decompressed" // a compressed body, written decompressed so it could be scrubbed
)

// ScrubCount says how many values of one kind were replaced at one place: "body:payload.chat.users[].email",
// "header:X-Forwarded-For", "query:token", "remote_addr".
type ScrubCount struct {
	Where string `json:"where"`
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// Scrubber replaces personal data and secrets in deliveries by pseudonyms. A pseudonym is an
// HMAC of the value under the scrubber's key, so within one export the same value always gets
// the same pseudonym (references between events line up) and nothing of the value can be read
// back from it. Secrets become the fixture secret, and iAdvize signatures are recomputed with
// it, so scrubbed deliveries still verify when the fixture secret is configured.
type Scrubber struct {
	key    []byte
	secret string
	// KeepSecrets leaves secrets (secret_key, tokens, credentials) as they were.
	KeepSecrets bool
	// SignSecret, with KeepSecrets, returns the secret to re-sign a vendor's deliveries with
	// (the configured one); the fixture secret is used when it returns "".
	SignSecret func(vendor string) string
	// What the vendors know, by lower-case header name: who signs there (decode.Signer), and
	// which headers carry a shared token (decode.TokenHeaders); by vendor, who knows where
	// names hide (decode.PersonNames).
	signers map[string]signer
	tokens  map[string]bool
	names   map[string]decode.PersonNames

	counts map[[2]string]int
}

// NewScrubber returns a scrubber keyed with key that uses fixtureSecret as the secret of every
// vendor of vendors (nil: no vendor's signatures or name hints are known).
func NewScrubber(key []byte, fixtureSecret string, vendors *decode.Registry) *Scrubber {
	s := &Scrubber{key: key, secret: fixtureSecret, counts: map[[2]string]int{},
		signers: map[string]signer{}, tokens: map[string]bool{}, names: map[string]decode.PersonNames{}}
	for _, v := range vendors.Vendors() {
		if sg, ok := v.(decode.Signer); ok {
			s.signers[strings.ToLower(sg.SignatureHeader())] = signer{v.Name(), sg}
		}
		if th, ok := v.(decode.TokenHeaders); ok {
			s.tokens[strings.ToLower(th.TokenHeader())] = true
		}
		if pn, ok := v.(decode.PersonNames); ok {
			s.names[v.Name()] = pn
		}
	}
	return s
}

// Report returns what was scrubbed, sorted by place.
func (s *Scrubber) Report() []ScrubCount {
	out := make([]ScrubCount, 0, len(s.counts))
	for k, n := range s.counts {
		out = append(out, ScrubCount{Where: k[0], Kind: k[1], Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Where != out[j].Where {
			return out[i].Where < out[j].Where
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func (s *Scrubber) count(where, kind string) { s.counts[[2]string{where, kind}]++ }

// pseudo returns the first n hex digits of the HMAC of kind and value.
func (s *Scrubber) pseudo(kind, value string, n int) string {
	return hex.EncodeToString(s.mac(kind, value))[:n]
}

// Delivery returns a scrubbed copy of d (d is not changed). vendor is the decoded vendor, "" if unknown.
func (s *Scrubber) Delivery(d *backend.Delivery, vendor string) *backend.Delivery {
	c := *d
	c.Headers = append(backend.Headers(nil), d.Headers...)
	if d.Refused == "" {
		c.Body = s.body(&c, vendor)
		c.Size = int64(len(c.Body))
	}
	for i := range c.Headers {
		c.Headers[i].Value = s.header(c.Headers[i].Name, c.Headers[i].Value, vendor)
	}
	c.Query = s.query(c.Query)
	if c.RemoteAddr != "" {
		c.RemoteAddr = s.remoteAddr(c.RemoteAddr)
	}
	fillFromHeaders(&c)
	if d.Refused == "" {
		s.resign(&c)
	}
	return &c
}

// body returns the scrubbed body; a compressed body comes back decompressed, without its
// Content-Encoding header.
func (s *Scrubber) body(d *backend.Delivery, vendor string) []byte {
	body := d.Body
	if enc := d.Headers.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") && len(body) > 0 {
		out, truncated, err := decode.Decompress(d.Headers, body, 0)
		if err != nil || truncated {
			s.count("body", KindBinary)
			return []byte{}
		}
		body = out
		d.Headers = removeHeader(d.Headers, "Content-Encoding")
		s.count("body", KindInflated)
	}
	if len(body) == 0 {
		return body
	}
	mt, _, _ := mime.ParseMediaType(d.ContentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		return []byte(s.form(string(body), "body:", vendor))
	case json.Valid(body):
		return s.json(body, "body:", vendor)
	case utf8.Valid(body) || textual(mt, body):
		return []byte(s.text(string(body), "body"))
	}
	s.count("body", KindBinary)
	return body
}

// textual reports whether a body that is not UTF-8 is still text in some other charset.
func textual(mt string, body []byte) bool {
	if strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "xml") {
		return true
	}
	return mt == "" && !bytes.ContainsRune(body, 0)
}

func removeHeader(hs backend.Headers, name string) backend.Headers {
	out := hs[:0]
	for _, h := range hs {
		if !strings.EqualFold(h.Name, name) {
			out = append(out, h)
		}
	}
	return out
}

// Headers whose whole value is a credential. Vendor token headers (decode.TokenHeaders) get the
// fixture secret instead.
var secretHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "cookie": true,
	"x-api-key": true, "x-auth-token": true, "x-access-token": true, "api-key": true}

func (s *Scrubber) header(name, value, vendor string) string {
	lname := strings.ToLower(name)
	where := "header:" + name
	switch {
	case s.tokens[lname]:
		if s.KeepSecrets {
			return value
		}
		s.count(where, KindSecret)
		return s.secret
	case secretHeaders[lname]:
		if s.KeepSecrets {
			return value
		}
		s.count(where, KindSecret)
		if scheme, _, ok := strings.Cut(value, " "); ok && lname != "cookie" {
			return scheme + " " + s.secret
		}
		return "redacted-" + s.pseudo(KindSecret, value, 8)
	case s.signers[lname].Signer != nil, lname == "content-length", lname == "host", lname == "x-forwarded-host":
		return value
	}
	return s.text(value, where)
}

// query scrubs a raw query pair by pair; unchanged pairs keep their bytes.
func (s *Scrubber) query(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		uk, err1 := url.QueryUnescape(k)
		uv, err2 := url.QueryUnescape(v)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		nv := s.value([]string{uk}, uv, "query:"+uk, "", nil)
		if nv != uv {
			parts[i] = k + "=" + url.QueryEscape(nv)
		}
	}
	return strings.Join(parts, "&")
}

func (s *Scrubber) remoteAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return s.text(addr, "remote_addr")
	}
	if ip := net.ParseIP(host); ip != nil {
		s.count("remote_addr", KindIP)
		return net.JoinHostPort(s.ip(host), port)
	}
	return addr
}

// signer is a vendor that signs its deliveries, with its name.
type signer struct {
	vendor string
	decode.Signer
}

// resign updates Content-Length to the scrubbed body and recomputes vendor signatures.
func (s *Scrubber) resign(d *backend.Delivery) {
	if name, changed := setContentLength(d); changed {
		s.count("header:"+name, KindLength)
	}
	for i, h := range d.Headers {
		if sg := s.signers[strings.ToLower(h.Name)]; sg.Signer != nil {
			secret := s.secret
			if s.KeepSecrets && s.SignSecret != nil {
				if c := s.SignSecret(sg.vendor); c != "" {
					secret = c
				}
			}
			d.Headers[i].Value = sg.Signature(d, secret)
			s.count("header:"+h.Name, KindSigned)
		}
	}
}

// form scrubs an application/x-www-form-urlencoded body pair by pair.
func (s *Scrubber) form(body, where, vendor string) string {
	parts := strings.Split(body, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		uk, err1 := url.QueryUnescape(k)
		uv, err2 := url.QueryUnescape(v)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		path := formPath(uk)
		var nv string
		if t := strings.TrimSpace(uv); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") && json.Valid([]byte(t)) {
			nv = string(s.json([]byte(uv), where+strings.Join(path, ".")+".", vendor))
		} else {
			nv = s.value(path, uv, where+strings.Join(path, "."), vendor, nil)
		}
		if nv != uv {
			parts[i] = k + "=" + url.QueryEscape(nv)
		}
	}
	return strings.Join(parts, "&")
}

// formPath splits "visitor[email]" or "operatorIds[]" into path components.
func formPath(k string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(k, func(r rune) bool { return r == '[' || r == ']' }) {
		if _, err := strconv.Atoi(p); err == nil {
			p = "[]"
		}
		out = append(out, p)
	}
	if strings.HasSuffix(k, "[]") {
		out = append(out, "[]")
	}
	return out
}
