// Package closer decodes, verifies and documents Closer (closer.app) webhook deliveries.
package closer

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Actions of business events (message.description.action), as the draft documents them.
const (
	ActionLogin                = "login"
	ActionLogout               = "logout"
	ActionStatusChange         = "status_change"
	ActionCreated              = "created"
	ActionBackofficeDataChange = "backoffice_data_change"
	ActionTagChange            = "tag_change"
	ActionAssigneeChange       = "assignee_change"
	ActionMessageSent          = "message_sent"
	ActionCustomMessageSent    = "custom_message_sent"
	ActionClosed               = "closed"
	ActionReopened             = "reopened"
	ActionSnoozed              = "snoozed"
	ActionUnsnoozed            = "unsnoozed"
	ActionThreadCreated        = "thread_created"
)

// Event types of the legacy webhooks (Admin → Webhooks), named as Closer's old page names them.
const (
	LegacyConversationCreated = "conversation.created"
	LegacyConversationClosed  = "conversation.closed"
)

// Statuses an event implies, and whose status they are.
const (
	StatusOpen      = "open"
	StatusClosed    = "closed"
	StatusSnoozed   = "snoozed"
	StatusAssigned  = "assigned"
	StatusLoggedIn  = "logged in"
	StatusLoggedOut = "logged out"

	OfConversation = "conversation"
	OfAgent        = "agent"
)

// Flag codes this package adds itself; the registry adds the catalog's drift flags.
const (
	FlagInvalidValue   = "invalid_value"   // a value has the right type but cannot be read (a time)
	FlagSensitiveField = "sensitive_field" // the body carries a credential
)

// KeyPrefix starts every dedupe key: Closer sends no event id, so the key is a content hash.
const KeyPrefix = "sha256:"

type vendor struct{}

// New returns the Closer vendor. It never fails and keeps no state.
func New() decode.Vendor { return vendor{} }

// Name is Closer's vendor id, stored with every event.
const Name = "closer"

// Name returns "closer".
func (vendor) Name() string { return Name }

// PathPrefix returns "/closer".
func (vendor) PathPrefix() string { return "/" + Name }

// Info returns Closer's display name and purple badge.
func (vendor) Info() decode.Info {
	return decode.Info{DisplayName: "Closer", Verification: "optional shared token",
		Badge: decode.Badge{BG: "#efe3ff", FG: "#5d2ca0", DarkBG: "#2c1d45", DarkFG: "#cfb1ff"}}
}

// Rules returns Closer's retry and lifecycle rules. Closer sends no event id: its dedupe keys
// are content hashes, so the same content much later is a new event, not a retry.
func (vendor) Rules() backend.Rules {
	return backend.Rules{
		DedupeWindow:   15 * time.Minute,
		DeliveryWindow: 5 * time.Minute,
		DeliveryWhy:    "Closer documents no retry schedule",
		StartName:      "created, thread_created or reopened",
		FineAfterClose: []string{"tag_change", "backoffice_data_change"},
		Retry:          backend.Retry{Why: "Closer documents no retries and no timeout"},
	}
}

// Match reports whether the body is a Closer business event ("@timestamp" and
// message.description) or a legacy webhook ("customer" and "eventType").
func (vendor) Match(in *decode.Input) bool {
	if in == nil {
		return false
	}
	obj := in.Object()
	if obj == nil {
		return false
	}
	if _, ok := obj["@timestamp"]; ok && decode.Obj(obj, "message", "description") != nil {
		return true
	}
	_, hasCustomer := obj["customer"]
	_, hasType := obj["eventType"]
	return hasCustomer && hasType
}

// Decode fills ev from a business event or a legacy webhook. A body of neither shape is left
// with no event type, which the registry reports as undocumented.
func (vendor) Decode(in *decode.Input, ev *backend.Event) {
	if in == nil || ev == nil {
		return
	}
	obj := in.Object()
	switch {
	case obj == nil:
		return
	case isBusiness(obj):
		decodeBusiness(in, obj, ev)
	case isLegacy(obj):
		decodeLegacy(in, obj, ev)
	}
}

// Catalog returns the documented business events and legacy webhooks.
func (vendor) Catalog() *decode.Catalog { return catalog }

// isBusiness is looser than Match: a delivery routed by path needs only one sign of the envelope.
func isBusiness(obj map[string]any) bool {
	_, ts := obj["@timestamp"]
	return ts || decode.Obj(obj, "message", "description") != nil || decode.Obj(obj, "message", "event") != nil
}

func isLegacy(obj map[string]any) bool {
	_, t := obj["eventType"]
	return t || decode.Obj(obj, "customer") != nil
}

// dedupeKey hashes the action, the room or agent, the event time as sent and the canonical
// body (keys sorted, numbers as sent), so a retried delivery gets the same key whatever its
// formatting.
func dedupeKey(in *decode.Input, action, id, ts string) string {
	var body any = in.Doc
	if body == nil {
		body = string(in.Body)
	}
	h := decode.Hash([]any{action, id, ts, body})
	if h == "" {
		h = decode.Hash([]any{action, id, ts, string(in.Body)})
	}
	if h == "" {
		return ""
	}
	return KeyPrefix + h
}

// VolatileFields names the time every business event carries.
func (vendor) VolatileFields() []string { return []string{"@timestamp"} }

// VolatileHeaders names the shared token header, which differs between environments.
func (vendor) VolatileHeaders() []string { return []string{HeaderToken} }
