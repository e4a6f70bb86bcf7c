package backend_test

import (
	"encoding/json"
	"errors"
	"testing"

	"hooklens/backend"
)

func TestImportSummary_Add(t *testing.T) {
	var sum backend.ImportSummary
	f := sum.Add("a.zip", backend.ImportResult{Format: "zip", Imported: 4, Duplicates: 2, DuplicateIDs: []string{"a", "b"},
		Secrets: map[string]string{"iadvize": "s3cr3t"}}, nil)
	if f.Error != nil || f.Name != "a.zip" || f.Warnings == nil {
		t.Errorf("Add(a.zip) = %+v; want no error and an empty warning list", f)
	}
	sum.Add("b.har", backend.ImportResult{Format: "har", Imported: 1}, backend.Errorf(backend.EINVALID, "truncated"))
	sum.Add("c.ndjson", backend.ImportResult{}, errors.New("disk on fire"))
	b, _ := json.Marshal(sum)
	want := `{"files":[{"name":"a.zip","format":"zip","imported":4,"duplicates":2,"duplicate_ids":["a","b"],"warnings":[]},` +
		`{"name":"b.har","format":"har","imported":1,"duplicates":0,"duplicate_ids":[],"warnings":[],"error":{"code":"invalid","message":"truncated"}},` +
		`{"name":"c.ndjson","format":"","imported":0,"duplicates":0,"duplicate_ids":[],"warnings":[],"error":{"code":"internal","message":"internal error"}}],` +
		`"imported":5,"duplicates":2,"failed":2}`
	if string(b) != want {
		t.Errorf("summary\n got %s\nwant %s", b, want)
	}
}

func TestParseRef(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want backend.Ref
		err  string
	}{
		{"livechat/PJ0MRSHTDG", backend.Ref{Vendor: "livechat", ID: "PJ0MRSHTDG"}, ""},
		{" LiveChat/a/b ", backend.Ref{Vendor: "livechat", ID: "a/b"}, ""},
		{"livechat", backend.Ref{}, backend.EINVALID},
		{"/x", backend.Ref{}, backend.EINVALID},
		{"livechat/", backend.Ref{}, backend.EINVALID},
	} {
		got, err := backend.ParseRef(tt.in)
		if got != tt.want || backend.ErrorCode(err) != tt.err {
			t.Errorf("ParseRef(%q) = %v, %v; want %v, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
	if s := (backend.Ref{Vendor: "closer", ID: "r1"}).String(); s != "closer/r1" {
		t.Errorf("Ref.String() = %q; want closer/r1", s)
	}
}
