// Package decode turns stored deliveries into events: vendor detection, decoding, catalogs, drift and verification.
package decode

import (
	"hooklens/backend"
)

// Input is one delivery prepared for decoding. The registry builds it once and hands it to the
// vendor; vendors never re-parse the body.
type Input struct {
	Delivery *backend.Delivery
	// Body is the body to decode: the raw body, or its decompressed form for gzip/deflate.
	Body []byte
	// Doc is the parsed body: map[string]any / []any / string / json.Number / bool / nil from JSON
	// (numbers as json.Number), or for application/x-www-form-urlencoded a map[string]any whose
	// values are strings (or []any of strings for repeated keys; a value that is itself JSON
	// is parsed). Nil when the body is empty or not parseable.
	Doc any
	// Form is true when Doc came from a form-urlencoded body.
	Form bool
	// Flags are problems found while preparing the body (decompression, parse, depth); the
	// registry adds them to the event.
	Flags []backend.Flag
}

// Object returns Doc as a JSON object, or nil.
func (in *Input) Object() map[string]any {
	m, _ := in.Doc.(map[string]any)
	return m
}

// Vendor is one webhook sender. Implementations live in subpackages (livechat, iadvize, closer)
// and are pure: no I/O, no clock, no globals that change.
//
// A vendor package is the only place that knows its vendor: it may also implement the small
// sibling interfaces of other packages (simulate.Source, registration.Guide, export.Scrubber…),
// which find it through the registry.
type Vendor interface {
	// Name is the vendor's id ("livechat"): lower case, stored with every event, used in paths.
	Name() string
	// Info returns what people see of the vendor: display name and badge colours.
	Info() Info
	// Rules returns what the timelines must know of the vendor: retry and lifecycle rules.
	Rules() backend.Rules
	// PathPrefix is the receiver path that routes to this vendor ("/livechat").
	PathPrefix() string
	// Match reports whether the body has this vendor's shape (used when the path says nothing).
	Match(in *Input) bool
	// Decode fills ev with the vendor-specific meaning of in: EventType, OccurredAt, Organization,
	// Conversation, Actors, Summary, DedupeKey, Status/StatusOf, and decode flags (Flags).
	// ev.Vendor and ev.DeliveryID are already set. It must not panic on any input.
	Decode(in *Input, ev *backend.Event)
	// Verify checks the delivery against the configured secret; secret == "" means none configured
	// (return backend.VerifyNoSecret).
	Verify(in *Input, secret string) backend.Verification
	// Catalog returns the vendor's documented event types and fields; the same pointer every call.
	Catalog() *Catalog
}

// Signer is a vendor that signs each delivery in a header; export signs scrubbed bodies again
// with it, so a fixture still verifies.
type Signer interface {
	// SignatureHeader names the header that carries the signature ("X-iAdvize-Signature").
	SignatureHeader() string
	// Signature returns the header value that signs d with secret.
	Signature(d *backend.Delivery, secret string) string
}

// TokenHeaders is a vendor whose deliveries may carry its shared secret as a header's whole
// value; export's scrubber replaces it by the fixture secret.
type TokenHeaders interface {
	// TokenHeader names that header ("X-Closer-Token").
	TokenHeader() string
}

// Discriminator is a vendor that says where its bodies name their event type, so that schemas
// and generated types can tell the event types apart ("action", "eventType",
// "message.description.action").
type Discriminator interface {
	// EventTypePath is the path (keys joined by ".") of the field that holds the event type in
	// the vendor's main format; event types of another format that lack that field are told
	// apart by their own fields.
	EventTypePath() string
}

// BodySecret is a vendor whose deliveries carry its shared secret as a string field of the
// JSON body; `hooklens test` sets it there to sign a delivery for the handler under test.
type BodySecret interface {
	// BodySecretPath is the field's path, keys joined with "." ("secret_key").
	BodySecretPath() string
}

// PersonNames is a vendor whose bodies hold a person's name under keys that do not say so;
// export's scrubber asks it about every "name" it meets.
type PersonNames interface {
	// PersonName reports whether the "name" at path (object keys, "[]" for array elements) in
	// the body doc is a person's name.
	PersonName(path []string, doc any) bool
}

// Info is what people see of a vendor, served to the frontend by GET /api/v1/vendors.
type Info struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"` // "LiveChat"
	Path        string `json:"path"`         // the receiver path that routes to it ("/livechat")
	Badge       Badge  `json:"badge"`
	// Verification says in a few words how its deliveries are verified.
	Verification string `json:"verification"`
}

// Badge is the colours of a vendor's badge, as CSS colours, in the light and the dark theme.
type Badge struct {
	BG     string `json:"bg"`
	FG     string `json:"fg"`
	DarkBG string `json:"dark_bg"`
	DarkFG string `json:"dark_fg"`
}

// Catalog is every documented field of every event type of one vendor.
type Catalog struct {
	Vendor string `json:"vendor"`
	// Versions are the versions of the vendor's webhooks the catalog describes, oldest first
	// (see APIVersion); empty when the catalog describes one version only. Event types and fields
	// say which versions they exist in (Range).
	Versions []APIVersion `json:"versions,omitempty"`
	// Common fields may appear in every event type (the envelope).
	Common []Field     `json:"common"`
	Events []EventType `json:"events"`

	catalogCache
}

// EventType is one documented event type (LiveChat action, iAdvize eventType, Closer action).
type EventType struct {
	Name        string `json:"name"`
	Description string `json:"description"` // our own words
	Category    string `json:"category,omitempty"`
	Range              // the versions it exists in
	Deprecated  string `json:"deprecated,omitempty"` // non-empty: why / since when (a note, not drift)
	// RenamedTo is the event type's name in the version after Until; RenamedFrom (filled by
	// Catalog.Link) the names it had before Since.
	RenamedTo   string   `json:"renamed_to,omitempty"`
	RenamedFrom []string `json:"renamed_from,omitempty"`
	// Family groups event types of a separate format of the same vendor ("app" webhooks, the
	// retired "v2" format); "" for the main line.
	Family string  `json:"family,omitempty"`
	Fields []Field `json:"fields"`
}

// Field is one documented field, addressed by a path pattern:
//   - keys are joined with "." ("payload.chat.id");
//   - "[]" stands for every element of an array ("payload.chat.users[].id");
//   - "*" matches any single key ("payload.properties.*.*"), for free-form maps.
//
// A field of Type "object" or "any" with Open true accepts any sub-fields without flagging them.
type Field struct {
	Path        string   `json:"path"`
	Type        string   `json:"type"` // string, number, integer, boolean, object, array, any; "a|b" for either
	Required    bool     `json:"required,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Description string   `json:"description"` // our own words
	Range                // the versions it exists in
	Deprecated  string   `json:"deprecated,omitempty"`
	Open        bool     `json:"open,omitempty"`
	// Format refines Type for schemas and checks: "date-time", "uuid", "email", "uri", "hex".
	Format string `json:"format,omitempty"`
	// RenamedTo is the field's path in the version after Until; RenamedFrom (filled by
	// Catalog.Link) the paths it had before Since.
	RenamedTo   string   `json:"renamed_to,omitempty"`
	RenamedFrom []string `json:"renamed_from,omitempty"`
}

// EventType returns the named event type, or nil.
func (c *Catalog) EventType(name string) *EventType {
	for i := range c.Events {
		if c.Events[i].Name == name {
			return &c.Events[i]
		}
	}
	return nil
}
