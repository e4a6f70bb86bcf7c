package decode_test

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// fake is a tiny vendor for the core tests: path /fake, shape {"kind": …}.
type fake struct{}

func (fake) Name() string       { return "fake" }
func (fake) PathPrefix() string { return "/fake" }
func (fake) Info() decode.Info  { return decode.Info{DisplayName: "Fake"} }
func (fake) Rules() backend.Rules {
	return backend.Rules{DedupeWindow: time.Minute}
}
func (fake) Match(in *decode.Input) bool {
	_, ok := in.Object()["kind"]
	return ok
}

func (fake) Decode(in *decode.Input, ev *backend.Event) {
	ev.EventType = decode.Str(in.Doc, "kind")
	if ev.EventType == "boom" {
		panic("boom")
	}
	ev.Summary = "fake " + ev.EventType
}

func (fake) Verify(in *decode.Input, secret string) backend.Verification {
	switch {
	case secret == "":
		return backend.Verification{Status: backend.VerifyNoSecret}
	case decode.Str(in.Doc, "token") == secret:
		return backend.Verification{Status: backend.VerifyVerified}
	}
	return backend.Verification{Status: backend.VerifyMismatch, Reason: "token differs"}
}

var fakeCatalog = &decode.Catalog{
	Vendor: "fake",
	Common: []decode.Field{
		{Path: "kind", Type: "string", Required: true, Description: "What happened."},
		{Path: "token", Type: "string", Description: "Shared secret."},
		{Path: "id", Type: "integer", Description: "Event number."},
	},
	Events: []decode.EventType{
		{Name: "created", Description: "Something was created.", Fields: []decode.Field{
			{Path: "data", Type: "object", Required: true, Description: "The thing."},
			{Path: "data.name", Type: "string", Required: true, Description: "Its name."},
			{Path: "data.color", Type: "string", Enum: []string{"red", "blue"}, Description: "Its color."},
			{Path: "data.tags", Type: "array", Enum: []string{"a", "b"}, Description: "Its tags."},
			{Path: "data.items", Type: "array", Description: "Its parts."},
			{Path: "data.items[].n", Type: "integer", Required: true, Description: "Part number."},
			{Path: "data.extra", Type: "object", Open: true, Description: "Anything."},
			{Path: "data.props.*", Type: "string", Description: "A property."},
			{Path: "data.when", Type: "string|null", Range: decode.Range{Since: "2.0"}, Description: "When."},
			{Path: "data.size", Type: "number", Deprecated: "since 3.0", Description: "Size."},
		}},
		{Name: "old", Description: "An old event.", Deprecated: "removed in 2.0"},
		{Name: "boom", Description: "A decoder that fails."},
	},
}

func (fake) Catalog() *decode.Catalog { return fakeCatalog }

func registry() *decode.Registry { return decode.New(fake{}) }

func delivery(path, ct, body string) *backend.Delivery {
	return &backend.Delivery{ID: "d1", Method: "POST", Path: path, ContentType: ct, Body: []byte(body),
		Headers: backend.Headers{{Name: "Content-Type", Value: ct}}, Size: int64(len(body))}
}
