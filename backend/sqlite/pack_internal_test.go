package sqlite

import (
	"bytes"
	"testing"
)

func TestPackRoundTrip(t *testing.T) {
	body := []byte(`{"webhook_id":"a1b2","secret_key":"s3cr3t","action":"incoming_chat","organization_id":"390e44e6",` +
		`"payload":{"chat":{"id":"E8PHD0GIWR","users":[{"id":"a00596b1","type":"customer","name":"Sami Novak"}]}}}`)
	for _, tc := range []struct {
		name          string
		body, headers []byte
	}{
		{"Both", body, encodeHeaders(nil)},
		{"Nil", nil, nil},
		{"Empty", []byte{}, []byte{}},
		{"Short", []byte(`{"a":1}`), []byte("\x04Host\x01x")},
		{"Random", bytes.Repeat([]byte{0x9f, 0x13, 0xe2, 0x41, 0x07}, 1), nil},
		{"Large", bytes.Repeat(body, 500), bytes.Repeat([]byte("\x06Cf-Ray\x14d3d5e9c0c01eaedf-FRA"), 20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := pack(tc.body, tc.headers)
			b, h, err := unpack(p.enc, p.body, p.headers)
			if err != nil || !bytes.Equal(b, tc.body) || !bytes.Equal(h, tc.headers) || (b == nil) != (tc.body == nil) {
				t.Fatalf("unpack(pack(%q, %q)) = %q, %q, %v", tc.body, tc.headers, b, h, err)
			}
			if len(tc.body) > 200 && p.enc != encJoined {
				t.Errorf("pack(%d bytes of JSON) did not deflate the body", len(tc.body))
			}
		})
	}
	if p := pack(body, nil); p.enc != encJoined || len(p.body)*2 > len(body) {
		t.Errorf("pack(%d bytes of vendor JSON) = %d bytes (enc %d); want less than half", len(body), len(p.body), p.enc)
	}
}
