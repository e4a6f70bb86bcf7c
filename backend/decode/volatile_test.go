package decode_test

import (
	"testing"

	"hooklens/backend/decode"
)

func TestVolatileField_Generic(t *testing.T) {
	r := decode.New()
	vol := r.VolatileField("nobody")
	tests := []struct {
		pattern string
		a, b    any
		want    bool
	}{
		{"id", "a", "b", true},
		{"payload.chat.users[].id", "a", "b", true},
		{"payload.chat_id", "a", "b", true},
		{"conversationId", "a", "b", true},
		{"created_at", "x", "y", true},
		{"createdAt", "x", "y", true},
		{"payload.text", "hi", "hello", false},
		{"payload.idle", "a", "b", false},
		{"payload.paid", "a", "b", false},
		{"when", "2026-12-08T10:00:00Z", "2026-12-08T11:00:00Z", true},
		{"count", "12", "13", false},
		{"status", "open", nil, false},
	}
	for _, tt := range tests {
		if got := vol(tt.pattern, tt.a, tt.b); got != tt.want {
			t.Errorf("VolatileField(%q, %v, %v) = %v; want %v", tt.pattern, tt.a, tt.b, got, tt.want)
		}
	}
	if !r.VolatileHeader("nobody")("X-Forwarded-For") || r.VolatileHeader("nobody")("Content-Type") {
		t.Errorf("VolatileHeader: X-Forwarded-For should be volatile, Content-Type not")
	}
}
