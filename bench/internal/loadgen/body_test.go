package loadgen_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/livechat"
	"hooklens/bench/internal/loadgen"
)

func TestTemplate_IsAnIncomingEvent(t *testing.T) {
	tmpl := loadgen.NewTemplate("127.0.0.1:8787", "/livechat/webhook")
	for _, n := range []int64{1, 987654321012} {
		tmpl.Number(n)
		head, body, ok := bytes.Cut(tmpl.Bytes(), []byte("\r\n\r\n"))
		if !ok || len(body) != loadgen.BodySize() || !json.Valid(body) {
			t.Fatalf("request %d: head %q, %d body bytes, valid JSON %v; want a JSON body of %d bytes",
				n, head, len(body), json.Valid(body), loadgen.BodySize())
		}
		if loadgen.BodySize() < 1900 || loadgen.BodySize() > 2300 {
			t.Errorf("BodySize() = %d; want about 2 KB", loadgen.BodySize())
		}
		d := &backend.Delivery{ID: "x", Method: "POST", Path: "/livechat/webhook", Body: body, Size: int64(len(body)),
			ContentType: "application/json", Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
		ev := all.Registry().Decode(d, nil)
		if ev.Vendor != livechat.Name || ev.EventType != "incoming_event" || len(ev.Flags) != 0 || ev.Conversation == nil {
			t.Errorf("Decode(request %d) = %s %s, conversation %v, flags %v; want a clean LiveChat incoming_event",
				n, ev.Vendor, ev.EventType, ev.Conversation, ev.Flags)
		}
	}
}
