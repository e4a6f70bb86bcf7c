package export_test

import (
	"strconv"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/export"
	"hooklens/backend/simulate"
)

func TestApplySets_KeepsOtherBytes(t *testing.T) {
	body := []byte(`{"a": 1,  "payload":{"chat":{"id":"X1","users":[{"id":"u1"},{"id":"u2"}],"n":3}}, "z":"é"}`)
	cases := []struct {
		set, want string
	}{
		{"payload.chat.id=TEST-1", `{"a": 1,  "payload":{"chat":{"id":"TEST-1","users":[{"id":"u1"},{"id":"u2"}],"n":3}}, "z":"é"}`},
		{"payload.chat.users[1].id=U", `{"a": 1,  "payload":{"chat":{"id":"X1","users":[{"id":"u1"},{"id":"U"}],"n":3}}, "z":"é"}`},
		{"payload.chat.users[].id=U", `{"a": 1,  "payload":{"chat":{"id":"X1","users":[{"id":"U"},{"id":"U"}],"n":3}}, "z":"é"}`},
		{"payload.chat.n=42", `{"a": 1,  "payload":{"chat":{"id":"X1","users":[{"id":"u1"},{"id":"u2"}],"n":42}}, "z":"é"}`},
		{"payload.chat.n=four", `{"a": 1,  "payload":{"chat":{"id":"X1","users":[{"id":"u1"},{"id":"u2"}],"n":"four"}}, "z":"é"}`},
		{`payload.chat.id=12`, `{"a": 1,  "payload":{"chat":{"id":"12","users":[{"id":"u1"},{"id":"u2"}],"n":3}}, "z":"é"}`},
		{`payload.chat={"id":"Y"}`, `{"a": 1,  "payload":{"chat":{"id":"Y"}}, "z":"é"}`},
	}
	for _, c := range cases {
		s, err := export.ParseSet(c.set)
		if err != nil {
			t.Fatal(err)
		}
		out, found := export.ApplySets(body, []export.Set{s})
		if !found[0] || string(out) != c.want {
			t.Errorf("%s:\n got %s (found %v)\nwant %s", c.set, out, found[0], c.want)
		}
	}
	s, _ := export.ParseSet("payload.nope=1")
	if out, found := export.ApplySets(body, []export.Set{s}); found[0] || string(out) != string(body) {
		t.Errorf("a path that is not there changed the body: %s", out)
	}
	for _, bad := range []string{"novalue", "=x", "a..b=1", "a[x]=1"} {
		if _, err := export.ParseSet(bad); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("ParseSet(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestIDMap_RewritesEverywhereLongestFirst(t *testing.T) {
	m := export.NewIDMap(map[string]string{"AB": "new", "ABC": "NEWER", "": "x"})
	d := &backend.Delivery{Path: "/hook/ABC", Query: "chat=AB&x=1", Body: []byte(`{"id":"ABC","thread":"AB_1","n":12,"AB":"key stays"}`)}
	if n := m.Apply(d); n != 4 {
		t.Errorf("rewrote %d, want 4", n)
	}
	if string(d.Body) != `{"id":"NEWER","thread":"new_1","n":12,"AB":"key stays"}` || d.Path != "/hook/NEWER" || d.Query != "chat=new&x=1" {
		t.Errorf("got body %s path %s query %s", d.Body, d.Path, d.Query)
	}
}

func TestResigner_SignedUnsignedTampered(t *testing.T) {
	reg := all.Registry()
	r := export.NewResigner(reg)
	for _, v := range reg.Vendors() {
		sc := simulated(t, v.Name())
		for _, mode := range []string{export.Signed, export.Unsigned, export.Tampered} {
			out, did := r.Sign(sc, v.Name(), "s3cret", mode)
			ev := reg.Decode(out, func(string) string { return "s3cret" })
			want := backend.VerifyVerified
			if mode != export.Signed {
				want = "not verified"
			}
			if got := ev.Verification.Status; (got == backend.VerifyVerified) != (want == backend.VerifyVerified) {
				t.Errorf("%s %s (%s): verification %s (%s)", v.Name(), mode, did, got, ev.Verification.Reason)
			}
			if cl := out.Headers.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(out.Body)) {
				t.Errorf("%s %s: Content-Length %s for %d bytes", v.Name(), mode, cl, len(out.Body))
			}
		}
	}
}

// simulated returns the second delivery of vendor's simulated conversation, signed with
// another secret.
func simulated(t *testing.T, vendor string) *backend.Delivery {
	t.Helper()
	sc, err := simulate.Find(all.Registry(), vendor, "")
	if err != nil {
		t.Fatal(err)
	}
	d := sc.Build(time.Now(), "other-secret")[1].Delivery
	d.Headers = append(d.Headers, backend.Header{Name: "Content-Length", Value: strconv.Itoa(len(d.Body))})
	return &d
}
