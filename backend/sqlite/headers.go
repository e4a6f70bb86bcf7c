package sqlite

import (
	"encoding/binary"
	"errors"

	"hooklens/backend"
)

// encodeHeaders packs headers byte-exact (names and values may hold any bytes): for each header,
// uvarint length + name, uvarint length + value.
func encodeHeaders(hs backend.Headers) []byte {
	n := 0
	for _, h := range hs {
		n += len(h.Name) + len(h.Value) + 2*binary.MaxVarintLen32
	}
	buf := make([]byte, 0, n)
	for _, h := range hs {
		buf = binary.AppendUvarint(buf, uint64(len(h.Name)))
		buf = append(buf, h.Name...)
		buf = binary.AppendUvarint(buf, uint64(len(h.Value)))
		buf = append(buf, h.Value...)
	}
	return buf
}

var errBadHeaders = errors.New("stored headers are damaged")

func decodeHeaders(buf []byte) (backend.Headers, error) {
	var hs backend.Headers
	next := func() (string, error) {
		n, k := binary.Uvarint(buf)
		if k <= 0 || uint64(len(buf)-k) < n {
			return "", errBadHeaders
		}
		s := string(buf[k : k+int(n)])
		buf = buf[k+int(n):]
		return s, nil
	}
	for len(buf) > 0 {
		name, err := next()
		if err != nil {
			return hs, err
		}
		value, err := next()
		if err != nil {
			return hs, err
		}
		hs = append(hs, backend.Header{Name: name, Value: value})
	}
	return hs, nil
}
