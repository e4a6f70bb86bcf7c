package iadvize_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current decoder")

// fixtures returns the sample bodies in testdata: *.json and form-encoded *.form.
func fixtures(t testing.TB) []string {
	t.Helper()
	var names []string
	for _, pat := range []string{"testdata/*.json", "testdata/*.form"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	if len(names) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	return names
}

// delivery wraps a fixture body as the receiver would have captured it.
func delivery(name string, body []byte) *backend.Delivery {
	ct := "application/json"
	if strings.HasSuffix(name, ".form") {
		ct = "application/x-www-form-urlencoded"
	}
	return &backend.Delivery{
		ID: "golden-" + filepath.Base(name), Method: "POST", Path: "/iadvize/webhook",
		Headers:     backend.Headers{{Name: "Content-Type", Value: ct}},
		Body:        body,
		Size:        int64(len(body)),
		ContentType: ct,
		Source:      backend.SourceReceiver,
	}
}

func TestGolden(t *testing.T) {
	reg := decode.New(iadvize.New())
	for _, name := range fixtures(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			body, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			ev := reg.Decode(delivery(name, body), nil)
			got, err := json.MarshalIndent(ev, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".form")
			if strings.HasSuffix(name, ".form") {
				golden += ".form"
			}
			golden += ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./backend/decode/iadvize -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Decode(%q) =\n%s\nwant\n%s", name, got, want)
			}
			checkEvent(t, name, ev)
		})
	}
}

// checkEvent asserts what every fixture must decode to, whatever the golden file says.
func checkEvent(t *testing.T, name string, ev backend.Event) {
	t.Helper()
	base := filepath.Base(name)
	if ev.Vendor != iadvize.Name || !ev.Documented || !strings.HasPrefix(base, ev.EventType+".") {
		t.Errorf("Decode(%q) vendor, type, documented = %q, %q, %v; want iadvize, the file's type, true",
			name, ev.Vendor, ev.EventType, ev.Documented)
	}
	if ev.OccurredAt == nil || ev.OccurredAt.Location().String() != "UTC" {
		t.Errorf("Decode(%q).OccurredAt = %v; want a UTC time", name, ev.OccurredAt)
	}
	if ev.Summary == "" || ev.DedupeKey == "" {
		t.Errorf("Decode(%q) summary, dedupe key = %q, %q; want both", name, ev.Summary, ev.DedupeKey)
	}
	for _, f := range ev.Flags {
		if f.Code != decode.FlagDeprecated {
			t.Errorf("Decode(%q) flag %+v; want only deprecation flags on documented samples", name, f)
		}
	}
	if ev.Verification.Status != backend.VerifyNoSecret {
		t.Errorf("Decode(%q).Verification = %+v; want no_secret", name, ev.Verification)
	}
}

// Every fixture verifies through the registry when signed, and fails when the secret differs.
func TestGoldenSigned(t *testing.T) {
	reg := decode.New(iadvize.New())
	for _, name := range fixtures(t) {
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		d := delivery(name, body)
		d.Headers = append(d.Headers, backend.Header{Name: "x-iadvize-signature", Value: iadvize.Sign(secret, body)})
		for _, tt := range []struct {
			secret string
			want   string
		}{{secret, backend.VerifyVerified}, {"not-" + secret, backend.VerifyMismatch}} {
			lookup := func(vendor string) string {
				if vendor == iadvize.Name {
					return tt.secret
				}
				return ""
			}
			if got := reg.Decode(d, lookup).Verification; got.Status != tt.want {
				t.Errorf("Decode(%q) with secret %q verification = %+v; want %s", name, tt.secret, got, tt.want)
			}
		}
	}
}

// Without the /iadvize path the registry still recognizes the body by its shape.
func TestDetectByShape(t *testing.T) {
	reg := decode.New(iadvize.New())
	for _, name := range fixtures(t) {
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		d := delivery(name, body)
		d.Path = "/hooks"
		if ev := reg.Decode(d, nil); ev.Vendor != iadvize.Name {
			t.Errorf("Decode(%q at /hooks).Vendor = %q; want iadvize", name, ev.Vendor)
		}
	}
}

func TestCatalog(t *testing.T) {
	v := iadvize.New()
	cat := v.Catalog()
	if cat != v.Catalog() || cat.Vendor != iadvize.Name {
		t.Fatalf("Catalog() = %p (%q); want the same iadvize catalog every call", cat, cat.Vendor)
	}
	for _, name := range []string{iadvize.ConversationPushed, iadvize.ConversationClosed, iadvize.UserCreated,
		iadvize.UserUpdated, iadvize.UserConnected, iadvize.UserDisconnected, iadvize.UserAvailabilityUpdated,
		iadvize.VisitorUpdated, iadvize.SatisfactionAnswered, iadvize.TransactionAttributed, iadvize.LegacyStarted,
		iadvize.LegacyTransferred, iadvize.LegacyClosed, iadvize.LegacySatisfaction, iadvize.ConnectorInstalled,
		iadvize.ConnectorUninstalled} {
		et := cat.EventType(name)
		if et == nil {
			t.Errorf("Catalog().EventType(%q) = nil; want documented", name)
			continue
		}
		if et.Description == "" || len(et.Fields) == 0 {
			t.Errorf("Catalog().EventType(%q) = %+v; want a description and fields", name, et)
		}
		for _, f := range et.Fields {
			if f.Description == "" || f.Type == "" {
				t.Errorf("Catalog().EventType(%q) field %q has no description or type", name, f.Path)
			}
		}
	}
	for _, f := range cat.Common {
		if f.Description == "" || f.Type == "" {
			t.Errorf("Catalog().Common field %q has no description or type", f.Path)
		}
	}
}
