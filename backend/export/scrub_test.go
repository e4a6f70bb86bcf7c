package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/export"
)

func TestScrubber_Consistent(t *testing.T) {
	s := export.NewScrubber([]byte("key"), "fixture", all.Registry())
	body := `{"payload":{"chat":{"users":[{"id":"jane@example.com","name":"Jane Doe","email":"Jane@Example.com","type":"customer",` +
		`"visit":{"ip":"203.0.113.7"}},{"id":"smith@example.com","name":"Agent Smith"}],"thread":{"events":[{"author_id":"jane@example.com",` +
		`"text":"my phone is +33 6 12 34 56 78"}]}}},"customer":{"firstName":"Jane","phone":"06 12 34 56 78","apiKey":"k-123"},` +
		`"note":"from 203.0.113.7 and jane@example.com","tag":"Jane"}`
	d := &backend.Delivery{Method: "POST", Path: "/x", Body: []byte(body), ContentType: "application/json",
		Headers: backend.Headers{{Name: "X-Forwarded-For", Value: "203.0.113.7, 10.0.0.1"}}, RemoteAddr: "203.0.113.7:443"}
	out := s.Delivery(d, "")
	got := string(out.Body)
	for _, secret := range []string{"jane@", "Jane@", "smith@", "Jane Doe", "Agent Smith", "203.0.113.7", "+33", "06 12", "k-123", `"Jane"`} {
		if strings.Contains(got, secret) && !(secret == `"Jane"` && strings.Contains(got, `"tag":"Jane"`)) {
			t.Errorf("scrubbed body still holds %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `"tag":"Jane"`) {
		t.Errorf("a tag is not personal data; got %s", got)
	}
	var doc struct {
		Payload struct {
			Chat struct {
				Users []struct {
					ID, Email string
					Visit     struct{ IP string }
				}
				Thread struct {
					Events []struct {
						AuthorID string `json:"author_id"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out.Body, &doc); err != nil {
		t.Fatalf("scrubbed body is not JSON: %v\n%s", err, got)
	}
	u := doc.Payload.Chat.Users[0]
	if u.ID != u.Email || u.ID != doc.Payload.Chat.Thread.Events[0].AuthorID || !strings.HasSuffix(u.ID, "@example.com") {
		t.Errorf("the same e-mail must get the same pseudonym everywhere: id %q email %q author %q", u.ID, u.Email, doc.Payload.Chat.Thread.Events[0].AuthorID)
	}
	if u.ID == doc.Payload.Chat.Users[1].ID {
		t.Errorf("two e-mails got the same pseudonym %q", u.ID)
	}
	ip, _, _ := strings.Cut(out.Headers.Get("X-Forwarded-For"), ",")
	if ip != u.Visit.IP || out.RemoteAddr != u.Visit.IP+":443" || out.ForwardedFor != out.Headers.Get("X-Forwarded-For") {
		t.Errorf("the same IP must get the same pseudonym: header %q, body %q, remote %q", ip, u.Visit.IP, out.RemoteAddr)
	}
	if again := s.Delivery(d, ""); !bytes.Equal(again.Body, out.Body) {
		t.Errorf("scrubbing twice gave different bodies")
	}
	other := export.NewScrubber([]byte("another key"), "fixture", all.Registry()).Delivery(d, "")
	if bytes.Equal(other.Body, out.Body) {
		t.Errorf("another key gave the same pseudonyms")
	}
	if !bytes.Equal(d.Body, []byte(body)) {
		t.Errorf("Delivery changed its input")
	}
	report := map[string]int{}
	for _, c := range s.Report() {
		report[c.Where+" "+c.Kind] = c.Count
	}
	for _, want := range []string{"body:payload.chat.users[].email email", "body:payload.chat.users[].name name",
		"body:customer.apiKey secret", "body:customer.phone phone", "body:payload.chat.thread.events[].text text",
		"header:X-Forwarded-For ip", "remote_addr ip"} {
		if report[want] == 0 {
			t.Errorf("report has no %q: %v", want, report)
		}
	}
}

// TestScrub_StillVerifies exports scrubbed fixtures and checks, through the vendors' own
// Verify, that they verify with the fixture secret and not with the original one.
func TestScrub_StillVerifies(t *testing.T) {
	db := MustOpenDB(t)
	seed(t, db)
	dir := filepath.Join(t.TempDir(), "scrubbed")
	res, err := export.WriteDir(context.Background(), db, dir, export.Options{Scrub: true, Generator: "hooklens test", Vendors: all.Registry()})
	if err != nil {
		t.Fatal(err)
	}
	if res.FixtureSecret == "" || len(res.Scrubbed) == 0 {
		t.Fatalf("WriteDir = %+v; want a fixture secret and a report", res)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, export.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Scrubbed   bool
		Deliveries []export.Record
		Scrub      export.ScrubInfo
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	if !m.Scrubbed || m.Scrub.FixtureSecret != res.FixtureSecret || len(m.Scrub.Fields) == 0 {
		t.Fatalf("manifest scrub = %+v", m.Scrub)
	}
	for _, leak := range []string{"jane.doe@example.com", "smith@example.com", "203.0.113.7", "s3cr3t", "t0k3n", "Bearer abc", "orig-secret"} {
		if bytes.Contains(manifest, []byte(leak)) {
			t.Errorf("manifest holds %q", leak)
		}
	}
	reg := all.Registry()
	checked := map[string]bool{}
	for _, rec := range m.Deliveries {
		if rec.BodyEncoding == export.BodyNone {
			continue
		}
		var body []byte
		if rec.File != "" {
			if body, err = os.ReadFile(filepath.Join(dir, rec.File)); err != nil {
				t.Fatal(err)
			}
		}
		if bytes.Contains(body, []byte("jane.doe@example.com")) || bytes.Contains(body, []byte("+44 20")) {
			t.Errorf("%s still holds personal data: %s", rec.File, body)
		}
		d := &backend.Delivery{ID: rec.ID, Method: rec.Method, Path: rec.Path, Query: rec.Query,
			Headers: backend.Headers(rec.Headers), Body: body, ContentType: rec.ContentType, Size: int64(len(body))}
		if n := d.Headers.Get("Content-Length"); n != "" && n != strconv.Itoa(len(body)) {
			t.Errorf("%s: Content-Length %s after scrubbing, body %d bytes", rec.File, n, len(body))
		}
		for _, secret := range []string{res.FixtureSecret, "orig-secret", "s3cr3t"} {
			ev := reg.Decode(d, func(string) string { return secret })
			if ev.Vendor == backend.VendorUnknown || ev.Verification.Status == backend.VerifyUnsigned {
				continue
			}
			want := backend.VerifyMismatch
			if secret == res.FixtureSecret {
				want = backend.VerifyVerified
				checked[ev.Vendor] = true
			}
			if ev.Verification.Status != want {
				t.Errorf("%s verified with %q = %+v; want %s", rec.File, secret, ev.Verification, want)
			}
		}
	}
	for _, v := range []string{livechat.Name, iadvize.Name, closer.Name} {
		if !checked[v] {
			t.Errorf("no scrubbed %s delivery verified with the fixture secret", v)
		}
	}
	if sig := iadvize.Sign(res.FixtureSecret, nil); !strings.HasPrefix(sig, "sha256=") {
		t.Errorf("Sign = %q", sig)
	}
}

// FuzzScrubber: scrubbing never panics, and valid JSON stays valid JSON.
func FuzzScrubber(f *testing.F) {
	f.Add([]byte(livechatBody), "application/json")
	f.Add([]byte(iadvizeBody), "application/json")
	f.Add([]byte(`{"a":"\u00e9\ud83d\ude00 jane@example.com","b":[1,{"email":"x"}],"name":null}`), "")
	f.Add([]byte("eventId=1&visitor%5Bemail%5D=a%40b.co&x=%7B%22phone%22%3A%22%2B33%22%7D"), "application/x-www-form-urlencoded")
	f.Add([]byte("call +33 6 12 34 56 78 from 10.1.2.3 or fe80::1:2:3"), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		s := export.NewScrubber([]byte("k"), "fixture", all.Registry())
		d := &backend.Delivery{Method: "POST", Path: "/x", Body: body, ContentType: ct,
			Headers: backend.Headers{{Name: "Content-Type", Value: ct}, {Name: "X-iAdvize-Signature", Value: "sha256=00"}}}
		out := s.Delivery(d, "")
		if json.Valid(body) && !strings.Contains(ct, "form") && !json.Valid(out.Body) {
			t.Errorf("scrubbing valid JSON gave invalid JSON:\n%q\n%q", body, out.Body)
		}
		if sig := out.Headers.Get("X-iAdvize-Signature"); sig != iadvize.Sign("fixture", out.Body) {
			t.Errorf("signature %s does not sign the scrubbed body", sig)
		}
	})
}
