package sqlite

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Bodies and headers are stored deflated (compress/flate with a preset dictionary) where that
// pays; deliveries.enc says how. The receiver stores them as they came (enc = 0): packing is
// done off the capture path, when the decoder writes the events (PutEvents), by imports and by
// the bulk loader. Reading gives back the exact bytes.
const (
	// encHeaders: headers (encodeHeaders) are deflated with packDict; the body is NULL (refused).
	encHeaders = 2
	// encJoined: body holds deflate(uvarint(len(headers)) headers body) with packDict; headers is empty.
	encJoined = 4
)

// packDict primes the compressor with what webhooks are made of: common request headers and
// the vendors' documented sample payloads (Closer, iAdvize, LiveChat). Stored rows depend on it:
// it must never change (a new dictionary needs new enc values).
//
//go:embed pack.dict
var packDict []byte

// minPack is the smallest value worth deflating; packLevel trades speed for size (with a
// dictionary, level 4 packs within a few percent of level 6 at a fraction of the time).
const (
	minPack   = 64
	packLevel = 4
)

var (
	deflaters = sync.Pool{New: func() any {
		w, err := flate.NewWriterDict(io.Discard, packLevel, packDict)
		if err != nil {
			panic(err)
		}
		return w
	}}
	inflaters sync.Pool
)

// deflate returns raw deflated with packDict, or nil when that would not save an eighth of it.
func deflate(raw []byte) []byte {
	if len(raw) < minPack {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(raw) / 2)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, err := w.Write(raw)
	if err == nil {
		err = w.Close()
	}
	deflaters.Put(w)
	if err != nil || buf.Len() > len(raw)-len(raw)/8 {
		return nil
	}
	return buf.Bytes()
}

// inflate returns the bytes deflate packed.
func inflate(packed []byte) ([]byte, error) {
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReaderDict(bytes.NewReader(packed), packDict)
	} else if err := r.(flate.Resetter).Reset(bytes.NewReader(packed), packDict); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, 4*len(packed)))
	_, err := out.ReadFrom(r)
	inflaters.Put(r)
	if err != nil {
		return nil, errPacked
	}
	return out.Bytes(), nil
}

var errPacked = errors.New("stored body or headers are damaged")

// packed is a delivery's body and headers as stored.
type packed struct {
	body    []byte // nil for a refused delivery without body
	headers []byte
	enc     int
}

// pack deflates body and headers (encodeHeaders) together where it pays; the headers alone when
// there is no body.
func pack(body, headers []byte) packed {
	p := packed{body: body, headers: headers}
	if body == nil {
		if z := deflate(headers); z != nil {
			p.headers, p.enc = z, encHeaders
		}
		return p
	}
	joined := make([]byte, 0, binary.MaxVarintLen64+len(headers)+len(body))
	joined = binary.AppendUvarint(joined, uint64(len(headers)))
	joined = append(append(joined, headers...), body...)
	if z := deflate(joined); z != nil {
		p.body, p.headers, p.enc = z, []byte{}, encJoined
	}
	return p
}

// unpack gives back the body and headers (encodeHeaders) of a stored row.
func unpack(enc int, body, headers []byte) ([]byte, []byte, error) {
	var err error
	switch enc {
	case 0:
	case encHeaders:
		headers, err = inflate(headers)
	case encJoined:
		var joined []byte
		if joined, err = inflate(body); err != nil {
			break
		}
		n, k := binary.Uvarint(joined)
		if k <= 0 || uint64(len(joined)-k) < n {
			return nil, nil, errPacked
		}
		headers, body = joined[k:k+int(n):k+int(n)], joined[k+int(n):]
	default:
		err = fmt.Errorf("stored delivery packed as %d: %w", enc, errPacked)
	}
	if err != nil {
		return nil, nil, err
	}
	return body, headers, nil
}

// packAll packs the values raw(i) gives for i < n, on every CPU when parallel; raw returns ok
// false for one that is not to be packed (its packed stays zero).
func packAll(n int, parallel bool, raw func(i int) (body, headers []byte, ok bool)) []packed {
	out := make([]packed, n)
	workers := 1
	if parallel {
		workers = min(runtime.GOMAXPROCS(0), (n+15)/16)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if body, headers, ok := raw(i); ok {
					out[i] = pack(body, headers)
				}
			}
		}()
	}
	wg.Wait()
	return out
}
