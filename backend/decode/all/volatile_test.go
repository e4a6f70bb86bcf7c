package all_test

import (
	"testing"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
)

// Every vendor names what differs on every delivery beyond ids and times.
func TestVolatile_Vendors(t *testing.T) {
	r := all.Registry()
	if got := len(decode.NamesOf[decode.Volatile](r)); got != len(r.Vendors()) {
		t.Errorf("%d of %d vendors implement decode.Volatile", got, len(r.Vendors()))
	}
	fields := []struct {
		vendor, pattern string
		want            bool
	}{
		{livechat.Name, "secret_key", true},
		{livechat.Name, "webhook_id", true},
		{livechat.Name, "payload.chat.thread.events[].text", false},
		{iadvize.Name, "sentAt", true},
		{iadvize.Name, "eventType", false},
		{closer.Name, "@timestamp", true},
		{iadvize.Name, "secret_key", false},
	}
	for _, tt := range fields {
		if got := r.VolatileField(tt.vendor)(tt.pattern, "x", "y"); got != tt.want {
			t.Errorf("VolatileField(%s)(%q) = %v; want %v", tt.vendor, tt.pattern, got, tt.want)
		}
	}
	headers := []struct {
		vendor, name string
		want         bool
	}{
		{iadvize.Name, "x-iadvize-signature", true},
		{iadvize.Name, "X-iAdvize-CorrelationId", true},
		{closer.Name, closer.HeaderToken, true},
		{livechat.Name, "Content-Type", false},
		{livechat.Name, "Cf-Ray", true},
	}
	for _, tt := range headers {
		if got := r.VolatileHeader(tt.vendor)(tt.name); got != tt.want {
			t.Errorf("VolatileHeader(%s)(%q) = %v; want %v", tt.vendor, tt.name, got, tt.want)
		}
	}
}
