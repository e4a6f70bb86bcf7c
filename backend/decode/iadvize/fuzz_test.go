package iadvize_test

import (
	"encoding/json"
	"os"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
)

// FuzzDecode feeds arbitrary bodies, content types and signatures to the vendor directly (so a
// panic is not hidden by the registry's recover) and through the registry; none may panic.
func FuzzDecode(f *testing.F) {
	for _, name := range fixtures(f) {
		body, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		ct := delivery(name, body).ContentType
		f.Add(body, ct, iadvize.Sign(secret, body))
	}
	f.Add([]byte(`{"eventId":1,"eventType":"user.availability.updated","availabilities":{"0":{"channel":[]},"x":null}}`), "application/json", "sha256=")
	f.Add([]byte("eventId=1&eventType=v2.conversation.closed&operatorIds[]=1&operatorIds[0][x]=2"), "application/x-www-form-urlencoded", "sha256=zz")
	f.Add([]byte(`{"eventId":"e","eventType":"v2.conversation.pushed","createdAt":"\u0000"}`), "application/json", "md5=1")
	reg := decode.New(iadvize.New())
	v := iadvize.New()
	f.Fuzz(func(t *testing.T, body []byte, ct, sig string) {
		d := &backend.Delivery{Method: "POST", Path: "/iadvize", ContentType: ct, Body: body,
			Headers: backend.Headers{{Name: "Content-Type", Value: ct}, {Name: "X-iAdvize-Signature", Value: sig}}}
		in := decode.Prepare(d)
		v.Match(in)
		var ev backend.Event
		v.Decode(in, &ev)
		v.Verify(in, secret)
		v.Verify(in, "")
		for _, f := range ev.Flags {
			if f.Code == decode.FlagDecodeError {
				t.Fatalf("Decode(%q) = decode error %q", body, f.Reason)
			}
		}
		got := reg.Decode(d, func(string) string { return secret })
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("Decode(%q) does not marshal: %v", body, err)
		}
	})
}
