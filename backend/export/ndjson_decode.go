package export

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"hooklens/backend"
)

// decodeRecord reads one NDJSON line into rec. A hand-written reader handles what Hooklens
// writes (any key order and spacing) about three times faster than encoding/json; anything it
// does not expect is handed to encoding/json, which decides.
func decodeRecord(line []byte, rec *Record) error {
	if fastRecord(line, rec) {
		return nil
	}
	*rec = Record{}
	return json.Unmarshal(line, rec)
}

var errSlow = errors.New("not for the fast reader")

type lineReader struct {
	b []byte
	i int
}

func (r *lineReader) ws() {
	for r.i < len(r.b) && (r.b[r.i] == ' ' || r.b[r.i] == '\t' || r.b[r.i] == '\r' || r.b[r.i] == '\n') {
		r.i++
	}
}

func (r *lineReader) byte(c byte) error {
	r.ws()
	if r.i >= len(r.b) || r.b[r.i] != c {
		return errSlow
	}
	r.i++
	return nil
}

func (r *lineReader) peek() byte {
	r.ws()
	if r.i >= len(r.b) {
		return 0
	}
	return r.b[r.i]
}

// str reads a JSON string.
func (r *lineReader) str() (string, error) {
	if err := r.byte('"'); err != nil {
		return "", err
	}
	start := r.i
	for r.i < len(r.b) {
		switch c := r.b[r.i]; {
		case c == '"':
			s := r.b[start:r.i]
			r.i++
			if !utf8.Valid(s) {
				return "", errSlow
			}
			return string(s), nil
		case c == '\\':
			return r.escaped(start)
		case c < 0x20:
			return "", errSlow
		}
		r.i++
	}
	return "", errSlow
}

// escaped finishes a string that holds escapes, from its start.
func (r *lineReader) escaped(start int) (string, error) {
	out := make([]byte, 0, len(r.b)-start)
	out = append(out, r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			if !utf8.Valid(out) {
				return "", errSlow
			}
			return string(out), nil
		case c < 0x20:
			return "", errSlow
		case c != '\\':
			j := r.i + 1
			for j < len(r.b) && r.b[j] != '"' && r.b[j] != '\\' && r.b[j] >= 0x20 {
				j++
			}
			out = append(out, r.b[r.i:j]...)
			r.i = j
			continue
		}
		if r.i+1 >= len(r.b) {
			return "", errSlow
		}
		e := r.b[r.i+1]
		r.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'u':
			c1, ok := r.hex4()
			if !ok {
				return "", errSlow
			}
			if utf16.IsSurrogate(c1) {
				if r.i+1 < len(r.b) && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
					r.i += 2
					c2, ok := r.hex4()
					if !ok {
						return "", errSlow
					}
					c1 = utf16.DecodeRune(c1, c2)
				} else {
					c1 = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, c1)
		default:
			return "", errSlow
		}
	}
	return "", errSlow
}

func (r *lineReader) hex4() (rune, bool) {
	if r.i+4 > len(r.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(r.b[r.i:r.i+4]), 16, 32)
	r.i += 4
	return rune(n), err == nil
}

// number reads a JSON number as float64.
func (r *lineReader) number() (float64, error) {
	r.ws()
	start := r.i
	for r.i < len(r.b) && (r.b[r.i] >= '0' && r.b[r.i] <= '9' || r.b[r.i] == '-' || r.b[r.i] == '+' || r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
	}
	return strconv.ParseFloat(string(r.b[start:r.i]), 64)
}

// object reads an object, calling field for each key with the reader at its value.
func (r *lineReader) object(field func(key string) error) error {
	if err := r.byte('{'); err != nil {
		return err
	}
	if r.peek() == '}' {
		r.i++
		return nil
	}
	for {
		key, err := r.str()
		if err != nil {
			return err
		}
		if err := r.byte(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return errSlow
		}
	}
}

// strPtr reads a string into a new pointer.
func (r *lineReader) strPtr() (*string, error) {
	s, err := r.str()
	return &s, err
}

// headers reads [[name, value], ...]; a base64 triple goes to the slow reader.
func (r *lineReader) headers() (Headers, error) {
	if err := r.byte('['); err != nil {
		return nil, err
	}
	hs := Headers{}
	if r.peek() == ']' {
		r.i++
		return hs, nil
	}
	for {
		if err := r.byte('['); err != nil {
			return nil, err
		}
		n, err := r.str()
		if err != nil {
			return nil, err
		}
		if err := r.byte(','); err != nil {
			return nil, err
		}
		v, err := r.str()
		if err != nil {
			return nil, err
		}
		if err := r.byte(']'); err != nil {
			return nil, err
		}
		hs = append(hs, backend.Header{Name: n, Value: v})
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			return hs, nil
		default:
			return nil, errSlow
		}
	}
}

// fastRecord fills rec from line; false when the line needs encoding/json.
func fastRecord(line []byte, rec *Record) bool {
	r := &lineReader{b: line}
	err := r.object(func(key string) (err error) {
		switch key {
		case "id":
			rec.ID, err = r.str()
		case "received_at":
			rec.ReceivedAt, err = r.str()
		case "offset_ms":
			rec.OffsetMS, err = r.number()
		case "method":
			rec.Method, err = r.str()
		case "path":
			rec.Path, err = r.str()
		case "path_base64":
			rec.PathBase64, err = r.str()
		case "query":
			rec.Query, err = r.str()
		case "query_base64":
			rec.QueryBase64, err = r.str()
		case "headers":
			rec.Headers, err = r.headers()
		case "content_type":
			rec.ContentType, err = r.str()
		case "size":
			var f float64
			f, err = r.number()
			rec.Size = int64(f)
		case "remote_addr":
			rec.RemoteAddr, err = r.str()
		case "status":
			var f float64
			f, err = r.number()
			rec.Status = int(f)
		case "refused":
			rec.Refused, err = r.str()
		case "source":
			rec.Source, err = r.str()
		case "vendor":
			rec.Vendor, err = r.str()
		case "event_type":
			rec.EventType, err = r.str()
		case "occurred_at":
			rec.OccurredAt, err = r.str()
		case "body_encoding":
			rec.BodyEncoding, err = r.str()
		case "body_sha256":
			rec.BodySHA256, err = r.str()
		case "body":
			rec.Body, err = r.strPtr()
		case "body_base64":
			rec.BodyBase64, err = r.strPtr()
		case "conversation":
			c := &backend.ConversationRef{}
			rec.Conversation = c
			err = r.object(func(k string) (err error) {
				switch k {
				case "id":
					c.ID, err = r.str()
				case "thread_id":
					c.ThreadID, err = r.str()
				default:
					err = errSlow
				}
				return err
			})
		case "verification":
			v := &rec.Verification
			err = r.object(func(k string) (err error) {
				switch k {
				case "status":
					v.Status, err = r.str()
				case "reason":
					v.Reason, err = r.str()
				default:
					err = errSlow
				}
				return err
			})
		default:
			err = errSlow
		}
		return err
	})
	r.ws()
	return err == nil && r.i == len(r.b)
}
