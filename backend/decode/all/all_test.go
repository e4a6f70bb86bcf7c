package all_test

import (
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
)

func TestRegistryDetect(t *testing.T) {
	tests := []struct {
		path, body, vendor string
	}{
		{"/hooks", `{"webhook_id":"w","secret_key":"s","action":"thread_tagged","payload":{"chat_id":"C","thread_id":"T","tag":"x"}}`, livechat.Name},
		{"/hooks", `{"eventId":"6f1c3b9e-0f7a-4a43-9d3b-1f0b6b5e1a2c","eventType":"v2.conversation.closed","platform":"sd","clientId":1}`, iadvize.Name},
		{"/hooks", `{"@timestamp":"2021-10-28T08:52:59.726+0000","message":{"description":{"action":"login","category":["agent"]},"event":{}}}`, closer.Name},
		{"/LiveChat/x", `{}`, livechat.Name},
		{"/iadvize", `{}`, iadvize.Name},
		{"/closer/hook", `{}`, closer.Name},
		{"/hooks", `{"hello":"world"}`, backend.VendorUnknown},
	}
	r := all.Registry()
	if got := len(r.Vendors()); got != 3 {
		t.Fatalf("len(Registry().Vendors()) = %d; want 3", got)
	}
	for _, tt := range tests {
		d := &backend.Delivery{ID: "d", Method: "POST", Path: tt.path, ContentType: "application/json", Body: []byte(tt.body)}
		if ev := r.Decode(d, nil); ev.Vendor != tt.vendor {
			t.Errorf("Decode(%s %q).Vendor = %q; want %q", tt.path, tt.body, ev.Vendor, tt.vendor)
		}
	}
}
