package diff_test

import (
	"os"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/diff"
)

func fixture(t *testing.T, id string, edit func(string) string) *backend.Delivery {
	t.Helper()
	b, err := os.ReadFile("testdata/incoming_event.json")
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	if edit != nil {
		body = edit(body)
	}
	return &backend.Delivery{ID: id, Method: "POST", Path: "/" + livechat.Name, ContentType: "application/json",
		Headers: hdrs("Content-Type", "application/json", "X-Forwarded-For", id), Body: []byte(body), Size: int64(len(body))}
}

func TestDeliveries_Retry(t *testing.T) {
	reg := all.Registry()
	a, b := fixture(t, "A", nil), fixture(t, "B", nil)
	got := diff.Deliveries(reg, diff.Side{Delivery: a}, diff.Side{Delivery: b, DuplicateOf: "A"}, diff.DeliveryOptions{IgnoreVolatile: true})
	if !got.SameBody || !got.Retry || len(got.Fields) != 0 || len(got.Headers) != 0 || got.HiddenHeaders != 1 {
		t.Fatalf("Deliveries(retry) = %+v; want same body, a retry, one hidden header", got)
	}
	if want := "B is a retry of the same event as A: same body; same headers apart from 1 volatile"; got.Verdict != want {
		t.Errorf("Verdict = %q; want %q", got.Verdict, want)
	}
	shown := diff.Deliveries(reg, diff.Side{Delivery: a}, diff.Side{Delivery: b}, diff.DeliveryOptions{})
	if len(shown.Headers) != 1 || !shown.Headers[0].Volatile || shown.Retry {
		t.Errorf("Deliveries(all).Headers = %+v; want the volatile X-Forwarded-For, not a retry", shown.Headers)
	}
}

func TestDeliveries_Explained(t *testing.T) {
	reg := all.Registry()
	a := fixture(t, "A", nil)
	b := fixture(t, "B", func(s string) string {
		s = strings.Replace(s, `"secret_key": "s3cr3t-hooklens"`, `"secret_key": "other"`, 1)
		s = strings.Replace(s, `"visibility": "all"`, `"visibility": "agents", "brand_new": 1`, 1)
		return strings.Replace(s, `"created_at": "2019-12-09T12:01:18.909000Z"`, `"created_at": "2019-12-10T08:00:00.000000Z"`, 1)
	})
	got := diff.Deliveries(reg, diff.Side{Delivery: a}, diff.Side{Delivery: b}, diff.DeliveryOptions{IgnoreVolatile: true})
	if got.HiddenFields != 2 || len(got.Fields) != 2 {
		t.Fatalf("Fields = %+v (%d hidden); want 2 shown (visibility, brand_new), 2 hidden (secret_key, created_at)", got.Fields, got.HiddenFields)
	}
	vis, added := got.Fields[0], got.Fields[1]
	if vis.Path != "payload.event.visibility" || vis.Kind != diff.Changed || !vis.Known || vis.Description == "" {
		t.Errorf("Fields[0] = %+v; want payload.event.visibility changed, with its catalog explanation", vis)
	}
	if added.Path != "payload.event.brand_new" || added.Kind != diff.Added || added.Known {
		t.Errorf("Fields[1] = %+v; want payload.event.brand_new added, undocumented", added)
	}
	if want := "2 fields differ (2 volatile hidden); same headers apart from 1 volatile"; got.Verdict != want {
		t.Errorf("Verdict = %q; want %q", got.Verdict, want)
	}
}

func TestDeliveries_NotJSON(t *testing.T) {
	reg := all.Registry()
	a := &backend.Delivery{ID: "A", Method: "POST", Path: "/x", Body: []byte("one\ntwo\nthree\nfour")}
	b := &backend.Delivery{ID: "B", Method: "POST", Path: "/x", Body: []byte("one\n2\nthree\nfour")}
	got := diff.Deliveries(reg, diff.Side{Delivery: a}, diff.Side{Delivery: b}, diff.DeliveryOptions{})
	var lines []string
	for _, l := range got.Lines {
		lines = append(lines, l.Kind+" "+l.Text)
	}
	if want := "same one|removed two|added 2|same three"; strings.Join(lines, "|") != want {
		t.Errorf("Lines = %q; want %q", strings.Join(lines, "|"), want)
	}
	if got.BodyNote == "" || got.Verdict != "bodies differ; same headers" {
		t.Errorf("BodyNote = %q, Verdict = %q", got.BodyNote, got.Verdict)
	}
}

func TestCompareCatalog(t *testing.T) {
	reg := all.Registry()
	d := fixture(t, "A", func(s string) string {
		s = strings.Replace(s, `"custom_id": "4f1c2a7b",`, `"surprise": true,`, 1)
		return strings.Replace(s, `"thread_id": "K600PKZON8",`, ``, 1)
	})
	got := reg.CompareCatalog(d, nil)
	kinds := map[string][]string{}
	for _, r := range got.Rows {
		kinds[r.Kind] = append(kinds[r.Kind], r.Path)
	}
	if !got.Documented || got.Present == 0 {
		t.Fatalf("CompareCatalog = %+v; want a documented event with documented fields present", got)
	}
	if u := kinds[decode.FlagUnknownField]; len(u) != 1 || u[0] != "payload.event.surprise" {
		t.Errorf("undocumented = %v; want payload.event.surprise", u)
	}
	if m := kinds[decode.FlagMissingRequired]; len(m) != 1 || m[0] != "payload.thread_id" {
		t.Errorf("missing_required = %v; want payload.thread_id", m)
	}
	absent := strings.Join(kinds[decode.RowAbsent], ",")
	if !strings.Contains(absent, "payload.event.custom_id") {
		t.Errorf("absent = %s; want payload.event.custom_id among them", absent)
	}
	for _, r := range got.Rows {
		if r.Kind == decode.RowAbsent && r.Description == "" {
			t.Errorf("absent row %s has no explanation", r.Path)
		}
	}
}
