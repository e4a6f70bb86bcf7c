package receiver_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
)

// gzipBomb returns a small gzip body that inflates to n zero bytes.
func gzipBomb(n int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for i := 0; i < n>>20; i++ {
		zw.Write(zero)
	}
	zw.Close()
	return buf.Bytes()
}

// TestReceiver_HostileInput: odd and hostile requests are stored (or refused and recorded) with a
// clear status, and decoding them neither panics nor hangs.
func TestReceiver_HostileInput(t *testing.T) {
	h := newHarness(t, 24<<20)
	reg := all.Registry()
	manyHeaders := http.Header{}
	for i := 0; i < 10000; i++ {
		manyHeaders.Add(fmt.Sprintf("X-H-%d", i), "v")
	}
	bomb := gzipBomb(1 << 30)
	for _, tt := range []struct {
		name    string
		method  string
		path    string
		body    io.Reader
		header  http.Header
		status  int
		stored  bool
		bodyLen int
	}{
		{"InvalidJSON", "POST", "/livechat", strings.NewReader(`{"action": "incoming_chat",`), nil, 200, true, 27},
		{"InvalidUTF8", "POST", "/iadvize", strings.NewReader("{\"eventId\":\"\xff\xfe\"}"), nil, 200, true, 16},
		{"NULBytes", "POST", "/closer", strings.NewReader("{\"a\":\"\x00\x00\"}\x00"), nil, 200, true, 11},
		{"EmptyBody", "POST", "/livechat", strings.NewReader(""), nil, 200, true, 0},
		{"Body20MB", "POST", "/x", bytes.NewReader(bytes.Repeat([]byte("a"), 20<<20)), nil, 200, true, 20 << 20},
		{"OverLimit", "POST", "/x", bytes.NewReader(make([]byte, 25<<20)), nil, 413, false, 0},
		{"Chunked", "POST", "/x", io.MultiReader(strings.NewReader(`{"chunked":`), strings.NewReader(`true}`)), nil, 200, true, 16},
		{"GzipBomb", "POST", "/iadvize", bytes.NewReader(bomb), http.Header{"Content-Encoding": {"gzip"}}, 200, true, len(bomb)},
		{"Nested100k", "POST", "/livechat", strings.NewReader(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), nil, 200, true, 200000},
		{"NestedObjects", "POST", "/iadvize", strings.NewReader(strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000)), nil, 200, true, 300001},
		{"HugeHeader", "POST", "/x", strings.NewReader("{}"), http.Header{"X-Big": {strings.Repeat("b", 1<<20)}}, 200, true, 2},
		{"TenThousandHeaders", "POST", "/x", strings.NewReader("{}"), manyHeaders, 200, true, 2},
		{"LongPath", "GET", "/" + strings.Repeat("p", 64<<10), nil, nil, 200, true, 0},
		{"Propfind", "PROPFIND", "/dav", strings.NewReader("<propfind/>"), nil, 200, true, 11},
		{"ScriptPayload", "POST", "/x", strings.NewReader(`{"text":"<script>alert(1)</script><img src=x onerror=alert(1)>"}`), nil, 200, true, 64},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, h.url+tt.path, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			if tt.name == "Chunked" {
				req.ContentLength = -1
			}
			status, a := post(t, req)
			if status != tt.status || a.Stored != tt.stored || a.ID == "" {
				t.Fatalf("%s %s = %d %+v; want %d stored=%v with an id", tt.method, tt.name, status, a, tt.status, tt.stored)
			}
			v := h.find(t, a.ID)
			if len(v.Body) != tt.bodyLen {
				t.Errorf("stored body = %d bytes; want %d", len(v.Body), tt.bodyLen)
			}
			ev := reg.Decode(&v.Delivery, nil) // a hang here fails the run through go test's timeout
			notes := reg.Explain(&v.Delivery, v.Event)
			if ev.Summary == "" || !utf8.ValidString(ev.Summary) {
				t.Errorf("summary = %q; want a valid one-line summary", ev.Summary)
			}
			for _, n := range notes {
				if !utf8.ValidString(n.Path) {
					t.Errorf("field note path %q is not valid UTF-8", n.Path)
				}
			}
		})
	}
	t.Run("GzipBombDecodedViewCapped", func(t *testing.T) {
		out, truncated, err := decode.Decompress(backend.Headers{{Name: "Content-Encoding", Value: "gzip"}}, bomb, 4<<20)
		if err != nil || !truncated || len(out) != 4<<20 {
			t.Errorf("Decompress(1 GiB bomb) = %d bytes, truncated %v, %v; want 4 MiB, truncated", len(out), truncated, err)
		}
	})
}
