package decode_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
)

func compress(t *testing.T, enc string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "zlib":
		w = zlib.NewWriter(&b)
	case "raw":
		w, _ = flate.NewWriter(&b, flate.BestCompression)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecompress(t *testing.T) {
	plain := []byte(`{"kind":"created","data":{"name":"x"}}`)
	tests := []struct {
		name, header, enc string
		want              []byte
		truncated, err    bool
	}{
		{"Gzip", "gzip", "gzip", plain, false, false},
		{"XGzip", "x-gzip", "gzip", plain, false, false},
		{"DeflateZlib", "deflate", "zlib", plain, false, false},
		{"DeflateRaw", "Deflate", "raw", plain, false, false},
		{"Identity", "identity", "", plain, false, false},
		{"None", "", "", plain, false, false},
		{"Brotli", "br", "", nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := plain
			if tt.enc != "" {
				body = compress(t, tt.enc, plain)
			}
			h := backend.Headers{{Name: "Content-Encoding", Value: tt.header}}
			out, truncated, err := decode.Decompress(h, body, 1<<20)
			if !bytes.Equal(out, tt.want) || truncated != tt.truncated || (err != nil) != tt.err {
				t.Errorf("Decompress(%q) = %q, %v, %v; want %q, %v, err %v", tt.header, out, truncated, err, tt.want, tt.truncated, tt.err)
			}
		})
	}
}

func TestDecompressBomb(t *testing.T) {
	bomb := compress(t, "gzip", make([]byte, 20<<20)) // 20 MiB of zeros in about 20 KiB
	h := backend.Headers{{Name: "Content-Encoding", Value: "gzip"}}
	out, truncated, err := decode.Decompress(h, bomb, 1<<20)
	if len(out) != 1<<20 || !truncated || err != nil {
		t.Errorf("Decompress(bomb) = %d bytes, %v, %v; want %d bytes, true, nil", len(out), truncated, err, 1<<20)
	}
}

func TestDecompressCorrupt(t *testing.T) {
	h := backend.Headers{{Name: "Content-Encoding", Value: "gzip"}}
	if _, _, err := decode.Decompress(h, []byte("not gzip"), 1<<20); err == nil {
		t.Errorf("Decompress(%q) err = nil; want an error", "not gzip")
	}
	d := delivery("/fake", "application/json", "not gzip")
	d.Headers = append(d.Headers, backend.Header{Name: "Content-Encoding", Value: "gzip"})
	if ev := registry().Decode(d, nil); !hasFlag(ev.Flags, "", decode.FlagInvalidBody) {
		t.Errorf("Decode(corrupt gzip).Flags = %v; want invalid_body", ev.Flags)
	}
}

func TestPrepareGzip(t *testing.T) {
	d := delivery("/hooks", "application/json", "")
	d.Body = compress(t, "gzip", []byte(`{"kind":"created","data":{"name":"x"}}`))
	d.Headers = append(d.Headers, backend.Header{Name: "Content-Encoding", Value: "gzip"})
	if ev := registry().Decode(d, nil); ev.Vendor != "fake" || ev.EventType != "created" || len(ev.Flags) != 0 {
		t.Errorf("Decode(gzip) = %s/%s %v; want fake/created without flags", ev.Vendor, ev.EventType, ev.Flags)
	}
}

func TestPrepareDeepNesting(t *testing.T) {
	for _, body := range []string{
		strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000),
		strings.Repeat("[", 100000),
	} {
		d := delivery("/fake", "application/json", body)
		in := decode.Prepare(d)
		if in.Doc != nil || len(in.Flags) != 1 || !strings.Contains(in.Flags[0].Reason, "nested too deep") {
			t.Errorf("Prepare(%.12q…) = %v, %v; want nil doc and one nested-too-deep flag", body, in.Doc, in.Flags)
		}
		if ev := registry().Decode(d, nil); !hasFlag(ev.Flags, "", decode.FlagInvalidBody) {
			t.Errorf("Decode(%.12q…).Flags = %v; want invalid_body", body, ev.Flags)
		}
		if notes := registry().Explain(d, nil); len(notes) != 0 {
			t.Errorf("Explain(%.12q…) = %d notes; want 0", body, len(notes))
		}
	}
	ok := strings.Repeat("[", 500) + strings.Repeat("]", 500)
	if in := decode.Prepare(delivery("/x", "application/json", ok)); in.Doc == nil {
		t.Errorf("Prepare(500 levels) = nil doc, %v; want parsed", in.Flags)
	}
}

func TestPrepareForm(t *testing.T) {
	body := "kind=created&id=5&tag=a&tag=b&data=%7B%22name%22%3A%22x%22%7D&a%5Bb%5D=1&a%5Bc%5D=2&l%5B%5D=z&txt=%5Bnot+json"
	in := decode.Prepare(delivery("/x", "application/x-www-form-urlencoded; charset=utf-8", body))
	want := map[string]any{
		"kind": "created", "id": "5", "tag": []any{"a", "b"},
		"data": map[string]any{"name": "x"},
		"a":    map[string]any{"b": "1", "c": "2"},
		"l":    []any{"z"},
		"txt":  "[not json",
	}
	if !in.Form || !reflect.DeepEqual(in.Doc, want) {
		t.Errorf("Prepare(%q) = %v (form %v); want %v", body, in.Doc, in.Form, want)
	}
	ev := registry().Decode(delivery("/x", "application/x-www-form-urlencoded", "kind=created&id=5&data=%7B%22name%22%3A%22x%22%7D"), nil)
	if ev.Vendor != "fake" || len(ev.Flags) != 0 {
		t.Errorf("Decode(form) = %s %v; want fake without flags (form strings fit integer fields)", ev.Vendor, ev.Flags)
	}
}

func TestPrepareJSONUseNumber(t *testing.T) {
	in := decode.Prepare(delivery("/x", "application/json", `{"n":12345678901234567890}`))
	if got := in.Object()["n"]; got != json.Number("12345678901234567890") {
		t.Errorf("Prepare(big number) n = %#v; want json.Number", got)
	}
}

func TestPrepareSample(t *testing.T) {
	d := delivery("/fake", "application/json", "{\n // a comment\n \"kind\": \"created\",\n \"data\": {\"name\": \"x\",},\n}")
	d.Source = backend.SourceSample
	if ev := registry().Decode(d, nil); ev.EventType != "created" || len(ev.Flags) != 0 {
		t.Errorf("Decode(sample) = %s %v; want created without flags", ev.EventType, ev.Flags)
	}
}
