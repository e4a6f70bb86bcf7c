// Package iadvize decodes, verifies and documents iAdvize webhook deliveries.
package iadvize

import (
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

// Name returns backend.VendorIAdvize.
func (vendor) Name() string { return backend.VendorIAdvize }

// PathPrefix returns "/iadvize".
func (vendor) PathPrefix() string { return "/iadvize" }

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
