package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"unicode/utf8"

	"hooklens/backend"
)

// ndjsonSink writes one delivery per line: the Record with body (text) or body_base64. When the
// export says something about itself (scrubbed, secrets kept), a last line {"_hooklens": {...}}
// carries it; importers skip that line.
type ndjsonSink struct {
	w    *bufio.Writer
	meta *Meta
	buf  []byte
}

func newNDJSONSink(w io.Writer) *ndjsonSink {
	return &ndjsonSink{w: bufio.NewWriterSize(w, 256<<10)}
}

func (s *ndjsonSink) begin(m *Meta) error {
	s.meta = m
	return nil
}

func (s *ndjsonSink) add(rec *Record, body []byte) error {
	s.buf = appendRecord(s.buf[:0], rec, body)
	s.buf = append(s.buf, '\n')
	_, err := s.w.Write(s.buf)
	return err
}

// ndjsonTrailer is the optional last line of an NDJSON export.
type ndjsonTrailer struct {
	Hooklens struct {
		*Meta
		Scrub *ScrubInfo `json:"scrub,omitempty"`
	} `json:"_hooklens"`
}

func (s *ndjsonSink) end(info *ScrubInfo) error {
	if info != nil || len(s.meta.Secrets) > 0 {
		var t ndjsonTrailer
		t.Hooklens.Meta, t.Hooklens.Scrub = s.meta, info
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		s.w.Write(append(b, '\n'))
	}
	return s.w.Flush()
}

// appendRecord appends rec with body as one JSON object, fields in Record order (a hand-written
// encoder: NDJSON export is bound by it). The body goes in body when it is valid UTF-8, else in
// body_base64.
func appendRecord(b []byte, r *Record, body []byte) []byte {
	str := func(b []byte, key, v string) []byte {
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		return appendString(b, v)
	}
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = str(b, "received_at", r.ReceivedAt)
	b = append(b, `,"offset_ms":`...)
	ms, _ := json.Marshal(r.OffsetMS)
	b = append(b, ms...)
	b = str(b, "method", r.Method)
	b = str(b, "path", r.Path)
	if r.PathBase64 != "" {
		b = str(b, "path_base64", r.PathBase64)
	}
	b = str(b, "query", r.Query)
	if r.QueryBase64 != "" {
		b = str(b, "query_base64", r.QueryBase64)
	}
	b = append(b, `,"headers":`...)
	hs, _ := r.Headers.MarshalJSON()
	b = append(b, hs...)
	b = str(b, "content_type", r.ContentType)
	b = append(b, `,"size":`...)
	b = appendInt(b, r.Size)
	b = str(b, "remote_addr", r.RemoteAddr)
	b = append(b, `,"status":`...)
	b = appendInt(b, int64(r.Status))
	if r.Refused != "" {
		b = str(b, "refused", r.Refused)
	}
	b = str(b, "source", r.Source)
	b = str(b, "vendor", r.Vendor)
	b = str(b, "event_type", r.EventType)
	if r.OccurredAt != "" {
		b = str(b, "occurred_at", r.OccurredAt)
	}
	if c := r.Conversation; c != nil {
		b = append(b, `,"conversation":{"id":`...)
		b = appendString(b, c.ID)
		if c.ThreadID != "" {
			b = str(b, "thread_id", c.ThreadID)
		}
		b = append(b, '}')
	}
	b = append(b, `,"verification":{"status":`...)
	b = appendString(b, r.Verification.Status)
	if r.Verification.Reason != "" {
		b = str(b, "reason", r.Verification.Reason)
	}
	b = append(b, '}')
	switch {
	case r.Refused != "" && len(body) == 0:
		b = append(b, `,"body_encoding":"none"`...)
	case utf8.Valid(body):
		b = append(b, `,"body_encoding":"text","body":`...)
		b = appendString(b, body)
	default:
		b = append(b, `,"body_encoding":"base64","body_base64":"`...)
		b = base64.StdEncoding.AppendEncode(b, body)
		b = append(b, '"')
	}
	return append(b, '}')
}

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

// readNDJSON imports an NDJSON export line by line.
func readNDJSON(ctx context.Context, r io.Reader, name string, b *batcher) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		text, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			full := append([]byte(nil), text...)
			for err == bufio.ErrBufferFull {
				text, err = br.ReadSlice('\n')
				full = append(full, text...)
			}
			text = full
		}
		if err != nil && err != io.EOF {
			return err
		}
		if t := bytes.TrimSpace(text); len(t) > 0 {
			if e := readLine(t, name, line, b); e != nil {
				return e
			}
			if e := b.maybeFlush(ctx); e != nil {
				return e
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func readLine(text []byte, name string, line int, b *batcher) error {
	if bytes.HasPrefix(text, []byte(`{"_hooklens"`)) {
		var t struct {
			Hooklens struct {
				Meta
				Scrub *ScrubInfo `json:"scrub"`
			} `json:"_hooklens"`
		}
		if err := json.Unmarshal(text, &t); err != nil {
			return backend.Errorf(backend.EINVALID, "%s line %d: %v", name, line, err)
		}
		b.meta(&t.Hooklens.Meta, t.Hooklens.Scrub)
		return nil
	}
	var rec Record
	if err := decodeRecord(text, &rec); err != nil {
		return backend.Errorf(backend.EINVALID, "%s line %d: not a delivery: %v", name, line, err)
	}
	var body []byte
	switch {
	case rec.Body != nil:
		body = []byte(*rec.Body)
	case rec.BodyBase64 != nil:
		var err error
		if body, err = base64.StdEncoding.DecodeString(*rec.BodyBase64); err != nil {
			return backend.Errorf(backend.EINVALID, "%s line %d: body_base64: %v", name, line, err)
		}
	}
	imp, err := rec.importOf(body, name)
	if err != nil {
		return backend.Errorf(backend.EINVALID, "%s line %d: %s", name, line, backend.ErrorMessage(err))
	}
	b.add(imp)
	return nil
}
