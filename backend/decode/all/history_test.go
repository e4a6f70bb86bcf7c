package all_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/lenient"
)

// payload is one published or hand-made sample of a vendor, as a delivery would bring it.
type payload struct {
	file, vendor, path, ctype string
	body                      []byte
}

// historicPayloads are every iAdvize and Closer sample the packages keep: the samples of each
// dated iAdvize version, the current and legacy Closer formats (Closer's are doc samples as
// written, read leniently).
func historicPayloads(t *testing.T) []payload {
	t.Helper()
	var out []payload
	for _, g := range []struct{ glob, vendor, path, ctype string }{
		{"../iadvize/testdata/*.json", iadvize.Name, "/" + iadvize.Name, "application/json"},
		{"../iadvize/testdata/*.form", iadvize.Name, "/" + iadvize.Name, "application/x-www-form-urlencoded"},
		{"../closer/testdata/raw/*.txt", closer.Name, "/" + closer.Name, "application/json"},
	} {
		files, err := filepath.Glob(g.glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("Glob(%s) = %v, %v", g.glob, files, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".txt") {
				if b, err = lenient.Parse(b); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
			out = append(out, payload{file: filepath.Base(f), vendor: g.vendor, path: g.path, ctype: g.ctype, body: b})
		}
	}
	return out
}

// wantConversation is the conversation a payload names, read from its body by the vendor's
// documented id field; "" when it names none.
func wantConversation(p payload, doc map[string]any) string {
	switch {
	case p.vendor == iadvize.Name:
		return decode.Str(doc, "conversationId")
	case decode.Obj(doc, "customer") != nil && decode.Str(doc, "customer", "id") != "":
		return closer.LegacyConversationPrefix + decode.Str(doc, "customer", "id")
	}
	return decode.Str(doc, "message", "event", "roomId")
}

var driftCodes = map[string]bool{decode.FlagUnknownField: true, decode.FlagMissingRequired: true,
	decode.FlagWrongType: true, decode.FlagUnknownEnum: true, decode.FlagUndocumentedEvent: true}

// TestHistoricPayloads measures issue 17's targets over every iAdvize and Closer payload:
// the right vendor, a recognised event type, the right conversation and a specific summary for
// at least 97 %, at most one drift flag per 20 payloads.
func TestHistoricPayloads(t *testing.T) {
	reg := all.Registry()
	ps := historicPayloads(t)
	good, drift := 0, 0
	for _, p := range ps {
		d := &backend.Delivery{ID: p.file, Method: "POST", Path: p.path, Body: p.body, Size: int64(len(p.body)),
			ContentType: p.ctype, Headers: backend.Headers{{Name: "Content-Type", Value: p.ctype}}, Source: backend.SourceReceiver}
		ev := reg.Decode(d, nil)
		var doc map[string]any
		if p.ctype == "application/json" {
			_ = json.Unmarshal(p.body, &doc)
		} else {
			doc = decode.Prepare(d).Object()
		}
		var why []string
		if ev.Vendor != p.vendor {
			why = append(why, "vendor "+ev.Vendor)
		}
		cat := reg.Vendor(p.vendor).Catalog()
		if ev.EventType == "" || cat.EventType(ev.EventType) == nil {
			why = append(why, "event type "+ev.EventType+" not recognised")
		}
		got := ""
		if ev.Conversation != nil {
			got = ev.Conversation.ID
		}
		if want := wantConversation(p, doc); got != want {
			why = append(why, "conversation "+got+", want "+want)
		}
		if s := ev.Summary; s == "" || strings.HasPrefix(s, "iAdvize event") || strings.HasPrefix(s, "Closer event") || strings.HasPrefix(s, "Closer legacy webhook") {
			why = append(why, "generic summary "+s)
		}
		for _, f := range ev.Flags {
			if driftCodes[f.Code] {
				drift++
				t.Logf("%s: drift flag %s %s: %s", p.file, f.Code, f.Path, f.Reason)
			}
		}
		if len(why) == 0 {
			good++
		} else {
			t.Logf("%s: %s", p.file, strings.Join(why, "; "))
		}
	}
	share := float64(good) / float64(len(ps))
	t.Logf("%d payloads: %d right (%.1f %%), %d drift flags (one per %.1f payloads)", len(ps), good, 100*share, drift, float64(len(ps))/max(1, float64(drift)))
	if share < 0.97 {
		t.Errorf("%.1f %% of payloads right; want at least 97 %%", 100*share)
	}
	if drift*20 > len(ps) {
		t.Errorf("%d drift flags over %d payloads; want at most one per 20", drift, len(ps))
	}
}
