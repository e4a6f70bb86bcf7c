package backend

import "time"

// Actor kinds.
const (
	KindAgent    = "agent"
	KindCustomer = "customer"
	KindBot      = "bot"
	KindSystem   = "system"
)

// Verification statuses.
const (
	VerifyVerified = "verified"  // signature or secret matches the configured secret
	VerifyMismatch = "mismatch"  // a secret is configured and the delivery does not match; Reason says why
	VerifyUnsigned = "unsigned"  // a secret is configured but the delivery carries no signature/secret
	VerifyNoSecret = "no_secret" // no secret configured for the vendor
	VerifyNone     = ""          // unknown vendor: nothing to verify
)

// Actor is a person, bot or system involved in an event, and in what role.
type Actor struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // KindAgent, KindCustomer, KindBot, KindSystem
	Role  string `json:"role"` // author, assignee, requester, transferred_to, subject, participant, ...
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// ConversationRef names the conversation (and thread) an event belongs to.
type ConversationRef struct {
	ID       string `json:"id"`
	ThreadID string `json:"thread_id,omitempty"`
}

// Flag is one finding about a delivery: schema drift, a decode problem, a lifecycle check.
type Flag struct {
	Path   string `json:"path"`   // JSON path in the body ("payload.chat.id"), "" for the whole body
	Code   string `json:"code"`   // unknown_field, missing_required, wrong_type, unknown_enum, undocumented_event, invalid_body, ...
	Reason string `json:"reason"` // human sentence
}

// Verification is the result of checking a delivery against the vendor's secret.
type Verification struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// Event is what a delivery means once decoded. Decoding is a pure function of the delivery,
// the catalogs and the configured secrets.
type Event struct {
	DeliveryID   string           `json:"delivery_id"`
	Vendor       string           `json:"vendor"`
	EventType    string           `json:"event_type"`
	OccurredAt   *time.Time       `json:"occurred_at"`
	Organization string           `json:"organization,omitempty"`
	Conversation *ConversationRef `json:"conversation,omitempty"`
	Actors       []Actor          `json:"actors"`
	Summary      string           `json:"summary"`
	Documented   bool             `json:"documented"` // the event type is in the vendor's catalog
	Flags        []Flag           `json:"flags"`
	Verification Verification     `json:"verification"`
	// DedupeKey identifies the event across retries; deliveries with the same key are attempts of one event.
	// The store keeps a 64-bit hash of it: a stored event gives that, as 16 hex digits.
	DedupeKey string `json:"dedupe_key,omitempty"`
	// Status is the conversation or agent status this event implies ("closed", "accepting chats", ...), "" if none.
	Status string `json:"status,omitempty"`
	// StatusOf says whose status Status is: "conversation" or "agent".
	StatusOf string `json:"status_of,omitempty"`
	// APIVersion is the vendor API version(s) the delivery could come from, as people read it
	// ("3.4+", "3.1", "3.1–3.3", "v2", "app"); "" when the body does not narrow it or the
	// vendor's catalog has no versions. VersionEvidence says which facts of the body set it.
	APIVersion      string            `json:"api_version,omitempty"`
	VersionEvidence []VersionEvidence `json:"version_evidence,omitempty"`
	// Notes are informational remarks that are not drift (a deprecated event type): shown with
	// the event, never counted as flags.
	Notes []Flag `json:"notes,omitempty"`
}

// VersionEvidence is one fact of a delivery that narrows which API versions could have sent it.
type VersionEvidence struct {
	Path   string `json:"path,omitempty"` // the field that says so; "" for the event type itself
	Since  string `json:"since,omitempty"`
	Until  string `json:"until,omitempty"`
	Reason string `json:"reason"` // "organization_id present → 3.4 or later"
}
