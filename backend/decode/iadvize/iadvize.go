// Package iadvize decodes, verifies and documents iAdvize webhook deliveries.
package iadvize

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Event types iAdvize documents, current, deprecated and historic.
const (
	ConversationPushed      = "v2.conversation.pushed"
	ConversationClosed      = "v2.conversation.closed"
	UserCreated             = "user.created"
	UserUpdated             = "user.updated"
	UserConnected           = "user.connected"
	UserDisconnected        = "user.disconnected"
	UserAvailabilityUpdated = "user.availability.updated"
	VisitorUpdated          = "visitor.updated"
	SatisfactionAnswered    = "satisfaction.answered"
	TransactionAttributed   = "transaction.attributed"
	LegacyStarted           = "conversation.started"
	LegacyTransferred       = "conversation.transferred"
	LegacyClosed            = "conversation.closed"
	LegacySatisfaction      = "satisfaction.filled"
	ConnectorInstalled      = "connector.installed"
	ConnectorUninstalled    = "connector.uninstalled"
)

// Header names iAdvize sends; compare them case-insensitively.
const (
	HeaderSignature     = "X-iAdvize-Signature"
	HeaderCorrelationID = "X-iAdvize-CorrelationId"
	HeaderDelivery      = "X-iAdvize-Delivery"
)

// Prefixes of dedupe keys that do not come from the payload's eventId, so they cannot collide with one.
const (
	KeyPrefixCorrelation = "correlation:"
	KeyPrefixBody        = "sha256:"
)

type vendor struct{}

// New returns the iAdvize vendor. It never fails and keeps no state.
func New() decode.Vendor { return vendor{} }

// Name is iAdvize's vendor id, stored with every event.
const Name = "iadvize"

// Name returns "iadvize".
func (vendor) Name() string { return Name }

// PathPrefix returns "/iadvize".
func (vendor) PathPrefix() string { return "/" + Name }

// Info returns iAdvize's display name and blue badge.
func (vendor) Info() decode.Info {
	return decode.Info{DisplayName: "iAdvize", Verification: HeaderSignature + ", HMAC-SHA256 of the body",
		Badge: decode.Badge{BG: "#dff3ff", FG: "#075b8a", DarkBG: "#10303f", DarkFG: "#8fd3ff"}}
}

// Rules returns iAdvize's retry and lifecycle rules. Its dedupe keys are event ids, unique
// forever, so a retry counts however late it comes.
func (vendor) Rules() backend.Rules {
	return backend.Rules{
		DedupeWindow:   0,
		DeliveryWindow: time.Minute,
		DeliveryWhy:    "iAdvize's last retry comes 30 s after the first call",
		StartName:      ConversationPushed,
		// A push routes the conversation to an operator, starting or taking it over.
		Starts:         append([]string{ConversationPushed, LegacyStarted, LegacyTransferred}, perChannelStarts...),
		FineAfterClose: []string{SatisfactionAnswered, LegacySatisfaction, TransactionAttributed, VisitorUpdated},
		Retry: backend.Retry{
			Delays:            []time.Duration{10 * time.Second, 20 * time.Second},
			Exact:             true,
			Why:               "iAdvize retries a 4xx/5xx twice, after 10 s and 20 s more; its timeout is not documented",
			CorrelationHeader: "X-iAdvize-CorrelationId",
		},
		InactivityClose: 7 * 24 * time.Hour,
		InactivityWhy:   "iAdvize closes conversations on offsite channels (social, SMS, app) after 7 days without activity",
	}
}

// Match reports whether the body is an object (JSON or form) with both eventId and eventType at
// the top level; platform is optional because some historic payloads lack other envelope fields.
func (vendor) Match(in *decode.Input) bool {
	if in == nil {
		return false
	}
	m := in.Object()
	if m == nil {
		return false
	}
	id, okID := m["eventId"]
	typ, okType := m["eventType"]
	return okID && okType && id != nil && typ != nil
}

// Catalog returns the iAdvize catalog; the same pointer on every call.
func (vendor) Catalog() *decode.Catalog { return catalog }

// VolatileFields names the event's id and its two times: new on every event (the id stays the
// same across the retries of one).
func (vendor) VolatileFields() []string { return []string{"eventId", "createdAt", "sentAt"} }

// VolatileHeaders names the signature (another body, another signature) and the id that ties
// the retries of one event together.
func (vendor) VolatileHeaders() []string {
	return []string{HeaderSignature, "X-iAdvize-CorrelationId"}
}
