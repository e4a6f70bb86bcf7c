package export

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"hooklens/backend"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): one entry per delivery. The request
// is the delivery; the response is what the receiver answered (its status only: the answer's
// body is not kept). Each entry's _hooklens field holds the Record (without the body), so an
// import gives back every byte; HARs from other tools import from the standard fields alone.

type harLog struct {
	Log harLogBody `json:"log"`
}

type harLogBody struct {
	Version  string     `json:"version"`
	Creator  harCreator `json:"creator"`
	Entries  []harEntry `json:"entries"`
	Comment  string     `json:"comment,omitempty"`
	Hooklens *harMeta   `json:"_hooklens,omitempty"`
}

type harMeta struct {
	*Meta
	Scrub *ScrubInfo `json:"scrub,omitempty"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Hooklens        *Record     `json:"_hooklens,omitempty"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int64        `json:"headersSize"`
	BodySize    int64        `json:"bodySize"`
}

type harPostData struct {
	MimeType string  `json:"mimeType"`
	Params   []harNV `json:"params,omitempty"`
	Text     string  `json:"text"`
	Encoding string  `json:"encoding,omitempty"`
	Comment  string  `json:"comment,omitempty"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int64      `json:"headersSize"`
	BodySize    int64      `json:"bodySize"`
}

type harContent struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

const base64Comment = "the body is not valid UTF-8: text holds its bytes in base64"

// harSink streams a HAR: the log's head, one entry per line, then _hooklens.
type harSink struct {
	w       *bufio.Writer
	version string
	meta    *Meta
	n       int
}

func newHARSink(w io.Writer, generator string) *harSink {
	_, v, _ := strings.Cut(generator, " ")
	if v == "" {
		v = "dev"
	}
	return &harSink{w: bufio.NewWriterSize(w, 256<<10), version: v}
}

func (s *harSink) begin(m *Meta) error {
	s.meta = m
	c, _ := json.Marshal(harCreator{Name: "Hooklens", Version: s.version})
	s.w.WriteString(`{"log":{"version":"1.2","creator":`)
	s.w.Write(c)
	_, err := s.w.WriteString(`,"entries":[`)
	return err
}

func (s *harSink) add(rec *Record, body []byte) error {
	e := harEntryOf(rec, body)
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if s.n > 0 {
		s.w.WriteByte(',')
	}
	s.n++
	s.w.WriteByte('\n')
	_, err = s.w.Write(b)
	return err
}

func (s *harSink) end(info *ScrubInfo) error {
	m, _ := json.Marshal(harMeta{Meta: s.meta, Scrub: info})
	s.w.WriteString("\n],\"_hooklens\":")
	s.w.Write(m)
	s.w.WriteString("}}\n")
	return s.w.Flush()
}

func harEntryOf(rec *Record, body []byte) *harEntry {
	hs := backend.Headers(rec.Headers)
	req := harRequest{Method: rec.Method, URL: harURL(rec, hs), HTTPVersion: "HTTP/1.1",
		Cookies: harCookies(hs), Headers: make([]harNV, 0, len(hs)), QueryString: harQuery(rec.Query),
		HeadersSize: -1, BodySize: rec.Size}
	for _, h := range hs {
		req.Headers = append(req.Headers, harNV{Name: strings.ToValidUTF8(h.Name, "\uFFFD"), Value: strings.ToValidUTF8(h.Value, "\uFFFD")})
	}
	if len(body) > 0 {
		pd := &harPostData{MimeType: rec.ContentType}
		if utf8.Valid(body) {
			pd.Text, rec.BodyEncoding = string(body), BodyText
		} else {
			pd.Text, pd.Encoding, pd.Comment = base64.StdEncoding.EncodeToString(body), "base64", base64Comment
			rec.BodyEncoding = BodyBase64
		}
		req.PostData = pd
	} else if rec.BodyEncoding != BodyNone {
		rec.BodyEncoding = BodyText
	}
	// The standard fields already hold the headers, unless one of them is not valid UTF-8.
	meta := *rec
	meta.Headers = nil
	for _, h := range hs {
		if !utf8.ValidString(h.Name) || !utf8.ValidString(h.Value) {
			meta.Headers = rec.Headers
			break
		}
	}
	status := rec.Status
	return &harEntry{
		StartedDateTime: rec.ReceivedAt, Request: req, Hooklens: &meta,
		Response: harResponse{Status: status, StatusText: http.StatusText(status), HTTPVersion: "HTTP/1.1",
			Cookies: []harNV{}, Headers: []harNV{{Name: "Content-Type", Value: "application/json"}},
			Content: harContent{Size: 0, MimeType: "application/json"}, HeadersSize: -1, BodySize: -1},
	}
}

// harURL is the absolute URL the sender used, as far as the headers tell: scheme from
// X-Forwarded-Proto, host from Host.
func harURL(rec *Record, hs backend.Headers) string {
	scheme := "http"
	if p := strings.ToLower(hs.Get("X-Forwarded-Proto")); p == "https" {
		scheme = p
	}
	host := hs.Get("Host")
	if host == "" {
		host = "localhost"
	}
	u := scheme + "://" + strings.ToValidUTF8(host, "") + rec.Path
	if rec.Query != "" {
		u += "?" + rec.Query
	}
	return u
}

func harCookies(hs backend.Headers) []harNV {
	out := []harNV{}
	for _, h := range hs {
		if !strings.EqualFold(h.Name, "Cookie") {
			continue
		}
		cs, _ := http.ParseCookie(h.Value)
		for _, c := range cs {
			out = append(out, harNV{Name: c.Name, Value: c.Value})
		}
	}
	return out
}

// harQuery splits a raw query into its pairs in order, unescaped where possible.
func harQuery(q string) []harNV {
	out := []harNV{}
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		out = append(out, harNV{Name: strings.ToValidUTF8(k, "\uFFFD"), Value: strings.ToValidUTF8(v, "\uFFFD")})
	}
	return out
}

// readHAR imports the entries of a HAR, streaming: any HAR 1.x; entries written by Hooklens
// come back exactly.
func readHAR(ctx context.Context, r io.Reader, name string, b *batcher) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	bad := func(why string) error { return backend.Errorf(backend.EINVALID, "%s: not a HAR file: %s", name, why) }
	if err := expectDelim(dec, '{'); err != nil {
		return bad(err.Error())
	}
	found := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return bad(err.Error())
		}
		if key != "log" {
			if err := skipValue(dec); err != nil {
				return bad(err.Error())
			}
			continue
		}
		found = true
		if err := expectDelim(dec, '{'); err != nil {
			return bad("log is not an object")
		}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return bad(err.Error())
			}
			switch key {
			case "entries":
				if err := readHAREntries(ctx, dec, name, b); err != nil {
					return err
				}
			case "_hooklens":
				var m harMeta
				m.Meta = &Meta{}
				if err := dec.Decode(&m); err != nil {
					return bad(err.Error())
				}
				b.meta(m.Meta, m.Scrub)
			default:
				if err := skipValue(dec); err != nil {
					return bad(err.Error())
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return bad(err.Error())
		}
	}
	if !found {
		return bad("it has no log")
	}
	return nil
}

func readHAREntries(ctx context.Context, dec *json.Decoder, name string, b *batcher) error {
	if err := expectDelim(dec, '['); err != nil {
		return backend.Errorf(backend.EINVALID, "%s: log.entries is not an array", name)
	}
	for i := 0; dec.More(); i++ {
		var e harEntry
		if err := dec.Decode(&e); err != nil {
			return backend.Errorf(backend.EINVALID, "%s: entry %d: %v", name, i, err)
		}
		imp, err := harImport(&e, name)
		if err != nil {
			return backend.Errorf(backend.EINVALID, "%s: entry %d: %s", name, i, backend.ErrorMessage(err))
		}
		b.add(imp)
		if err := b.maybeFlush(ctx); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// harImport turns an entry into a delivery: from _hooklens when Hooklens wrote it, else from
// the standard fields.
func harImport(e *harEntry, name string) (imp backend.Import, err error) {
	rec := e.Hooklens
	if rec == nil {
		rec = &Record{ReceivedAt: e.StartedDateTime, Method: e.Request.Method, Status: e.Response.Status}
		if u, err := url.Parse(e.Request.URL); err == nil {
			rec.Path, rec.Query = u.EscapedPath(), u.RawQuery
		}
		if t, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err == nil {
			rec.ReceivedAt = t.UTC().Format(timeFormat)
		}
	}
	if len(rec.Headers) == 0 { // Hooklens leaves them to the standard field when it can hold them
		for _, h := range e.Request.Headers {
			if !strings.HasPrefix(h.Name, ":") { // HTTP/2 pseudo-headers of browser HARs
				rec.Headers = append(rec.Headers, backend.Header{Name: h.Name, Value: h.Value})
			}
		}
	}
	var body []byte
	if pd := e.Request.PostData; pd != nil {
		if pd.Encoding == "base64" {
			if body, err = base64.StdEncoding.DecodeString(pd.Text); err != nil {
				return imp, backend.Errorf(backend.EINVALID, "postData: %v", err)
			}
		} else {
			body = []byte(pd.Text)
		}
	}
	return rec.importOf(body, name)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return backend.Errorf(backend.EINVALID, "expected %q", string(want))
	}
	return nil
}

func skipValue(dec *json.Decoder) error {
	var raw json.RawMessage
	return dec.Decode(&raw)
}
