package journal

import (
	"encoding/binary"
	"errors"
	"time"

	"hooklens/backend"
)

const recordVersion = 1

const (
	flagHidden  = 1 << iota
	flagNilBody // a refusal: no body kept (distinct from an empty body)
)

// AppendDelivery appends the record of d to buf and returns it.
func AppendDelivery(buf []byte, d *backend.Delivery) []byte {
	buf = append(buf, recordVersion)
	for _, s := range [...]string{d.ID, d.Method, d.Path, d.Query, d.ContentType, d.RemoteAddr,
		d.ForwardedFor, d.ForwardedProto, d.ForwardedHost, d.ConnectingIP, d.Refused, d.Source} {
		buf = appendString(buf, s)
	}
	buf = binary.AppendVarint(buf, d.ReceivedAt.UnixMicro())
	buf = binary.AppendVarint(buf, d.Size)
	buf = binary.AppendVarint(buf, int64(d.Status))
	var flags byte
	if d.Hidden {
		flags |= flagHidden
	}
	if d.Body == nil {
		flags |= flagNilBody
	}
	buf = append(buf, flags)
	buf = binary.AppendUvarint(buf, uint64(len(d.Headers)))
	for _, h := range d.Headers {
		buf = appendString(buf, h.Name)
		buf = appendString(buf, h.Value)
	}
	buf = binary.AppendUvarint(buf, uint64(len(d.Body)))
	return append(buf, d.Body...)
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

var errRecord = errors.New("journal: damaged delivery record")

// ParseDelivery decodes a record written by AppendDelivery. The delivery's body shares rec.
func ParseDelivery(rec []byte) (*backend.Delivery, error) {
	p := parser{b: rec}
	if p.byte() != recordVersion {
		return nil, errRecord
	}
	d := &backend.Delivery{}
	for _, s := range [...]*string{&d.ID, &d.Method, &d.Path, &d.Query, &d.ContentType, &d.RemoteAddr,
		&d.ForwardedFor, &d.ForwardedProto, &d.ForwardedHost, &d.ConnectingIP, &d.Refused, &d.Source} {
		*s = p.string()
	}
	d.ReceivedAt = time.UnixMicro(p.varint()).UTC()
	d.Size = p.varint()
	d.Status = int(p.varint())
	flags := p.byte()
	d.Hidden = flags&flagHidden != 0
	n := p.uvarint()
	if n > uint64(len(p.b)) { // each header takes at least two bytes
		return nil, errRecord
	}
	if n > 0 {
		d.Headers = make(backend.Headers, n)
		for i := range d.Headers {
			d.Headers[i] = backend.Header{Name: p.string(), Value: p.string()}
		}
	}
	body := p.bytes()
	if flags&flagNilBody == 0 {
		d.Body = body
		if d.Body == nil {
			d.Body = []byte{}
		}
	}
	if p.bad || len(p.b) != 0 {
		return nil, errRecord
	}
	return d, nil
}

// parser reads a record; a read past the end sets bad and returns zero values.
type parser struct {
	b   []byte
	bad bool
}

func (p *parser) byte() byte {
	if len(p.b) == 0 {
		p.bad = true
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

func (p *parser) uvarint() uint64 { return next(p, binary.Uvarint) }

func (p *parser) varint() int64 { return next(p, binary.Varint) }

// next reads one varint with read.
func next[T uint64 | int64](p *parser, read func([]byte) (T, int)) T {
	v, n := read(p.b)
	if n <= 0 {
		p.bad = true
		return 0
	}
	p.b = p.b[n:]
	return v
}

func (p *parser) bytes() []byte {
	n := p.uvarint()
	if p.bad || n > uint64(len(p.b)) {
		p.bad = true
		return nil
	}
	b := p.b[:n:n]
	p.b = p.b[n:]
	if n == 0 {
		return nil
	}
	return b
}

func (p *parser) string() string { return string(p.bytes()) }
