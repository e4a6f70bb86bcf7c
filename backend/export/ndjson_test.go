package export_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"hooklens/backend"
	"hooklens/backend/export"
)

// TestDecodeRecord checks the fast reader against encoding/json, including lines it must hand over.
func TestDecodeRecord(t *testing.T) {
	text := "caf\u00e9 \"quoted\" \\ \n\t\u2028 😀 </>&"
	rec := &export.Record{ID: "id1", ReceivedAt: "2026-01-01T00:00:00.000001Z", OffsetMS: 12.345, Method: "POST", Path: "/a b",
		Query: "x=1&y=%20", Headers: export.Headers{{Name: "X-A", Value: "1"}, {Name: "x-a", Value: "\"2\""}}, ContentType: "text/plain",
		Size: 42, RemoteAddr: "127.0.0.1:1", Status: 200, Source: "receiver", Vendor: "livechat", EventType: "incoming_event",
		OccurredAt: "2026-01-01T00:00:00Z", Conversation: &backend.ConversationRef{ID: "C", ThreadID: "T"},
		Verification: backend.Verification{Status: "mismatch", Reason: "why"}}
	lines := []string{
		string(export.AppendRecord(nil, rec, []byte(text))),
		string(export.AppendRecord(nil, &export.Record{ID: "bin", Headers: export.Headers{{Name: "X", Value: "\xff"}}}, []byte{0xff, 0})),
		string(export.AppendRecord(nil, &export.Record{ID: "refused", Refused: "body_too_large", Size: 1 << 30}, nil)),
		`{ "id" : "spaced", "headers" : [ [ "A" , "1" ] ] , "body":"\ud83d\ude00\u00e9\/" , "status": 201 }`,
		`{"id":"null","conversation":null,"body":null}`,
		`{"id":"extra","unknown":{"a":[1,2]}}`,
		`{"id":"lone","body":"\ud800x"}`,
	}
	for _, line := range lines {
		var fast, slow export.Record
		if err := export.DecodeRecord([]byte(line), &fast); err != nil {
			t.Errorf("export.DecodeRecord(%s) = %v", line, err)
			continue
		}
		if err := json.Unmarshal([]byte(line), &slow); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("export.DecodeRecord(%s)\n = %+v\nwant %+v", line, fast, slow)
		}
	}
	var r export.Record
	if export.FastRecord([]byte(lines[0]), &r); r.Body == nil || *r.Body != text {
		t.Errorf("fast reader did not take the common line: %+v", r)
	}
	if err := export.DecodeRecord([]byte(`{"id":`), &r); err == nil {
		t.Errorf("export.DecodeRecord(truncated) = nil; want an error")
	}
}

// FuzzDecodeRecord: the fast reader agrees with encoding/json on every line encoding/json takes.
func FuzzDecodeRecord(f *testing.F) {
	f.Add(string(export.AppendRecord(nil, &export.Record{ID: "a", Headers: export.Headers{{Name: "A", Value: "b"}}}, []byte(`{"x":"\u00e9"}`))))
	f.Add(`{"id":"x","body":"\ud83d\ude00\n","size":1e3,"conversation":{"id":"c"}}`)
	f.Add(`{"id":"x","headers":[["a","b","base64"]]}`)
	f.Fuzz(func(t *testing.T, line string) {
		var slow export.Record
		slowErr := json.Unmarshal([]byte(line), &slow)
		var fast export.Record
		fastErr := export.DecodeRecord([]byte(line), &fast)
		if slowErr == nil && (fastErr != nil || !reflect.DeepEqual(fast, slow)) {
			t.Errorf("DecodeRecord(%q) = %+v, %v; want %+v", line, fast, fastErr, slow)
		}
	})
}
