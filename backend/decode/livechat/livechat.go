// Package livechat decodes LiveChat (Text platform) webhooks: detection, events, catalog and secret_key check.
package livechat

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// New returns the LiveChat vendor.
func New() decode.Vendor { return vendor{} }

type vendor struct{}

// Name is LiveChat's vendor id, stored with every event.
const Name = "livechat"

// Name returns "livechat".
func (vendor) Name() string { return Name }

// PathPrefix returns "/livechat".
func (vendor) PathPrefix() string { return "/" + Name }

// Info returns LiveChat's display name and orange badge.
func (vendor) Info() decode.Info {
	return decode.Info{DisplayName: "LiveChat", Verification: "secret_key checked against the LiveChat secret",
		Badge: decode.Badge{BG: "#ffe9d6", FG: "#a34700", DarkBG: "#3e2614", DarkFG: "#ffb877"}}
}

// Rules returns LiveChat's retry and lifecycle rules. Its dedupe keys are content hashes, so the
// same content much later is a new event, not a retry.
func (vendor) Rules() backend.Rules {
	return backend.Rules{
		DedupeWindow:   15 * time.Minute,
		DeliveryWindow: 2 * time.Minute,
		DeliveryWhy:    "LiveChat retries a failed delivery up to 3 times within about 1 min",
		StartName:      "incoming_chat",
		FineAfterClose: []string{"thread_tagged", "thread_untagged",
			"chat_properties_updated", "chat_properties_deleted",
			"thread_properties_updated", "thread_properties_deleted",
			"event_properties_updated", "event_properties_deleted",
			"thread_summary_set", "events_marked_as_seen",
			"chat_access_updated", "chat_access_granted", "chat_access_revoked"},
		// A transfer of a chat with no active thread is allowed.
		FineAfterCloseUnthreaded: []string{"chat_transferred"},
		// An edit carries the edited event's created_at, a read receipt the last event seen.
		BorrowedTime: []string{"event_updated", "events_marked_as_seen"},
		Renamed:      renamed(),
		Retry: backend.Retry{
			Timeout: 10 * time.Second,
			// "Up to 3 retries within about 1 minute": the spacing is ours.
			Delays: []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second},
			Why:    "LiveChat waits about 10 s for an answer and retries up to 3 times within about 1 min",
		},
		// Threads close on inactivity, after 30 min unless the license changed it.
		InactivityClose: 30 * time.Minute,
		InactivityWhy:   "LiveChat closes an inactive thread after 30 min by default (a license can change it)",
	}
}

// renamed maps every older action name to its newest (from the catalog's renames).
func renamed() map[string]string {
	out := map[string]string{}
	for _, e := range catalog.Events {
		if e.RenamedTo != "" {
			out[e.Name] = catalog.Canonical(e.Name)
		}
	}
	return out
}

// Match reports whether the body is a JSON object with a top-level "action" and either
// "secret_key" or "webhook_id", the envelope every LiveChat webhook has, or the body of an app
// webhook or of the retired v2 format (see family).
func (vendor) Match(in *decode.Input) bool {
	root := in.Object()
	if root == nil || in.Form {
		return false
	}
	if family(root) != "" {
		return true
	}
	if _, ok := root["action"].(string); !ok {
		return false
	}
	_, hasSecret := root["secret_key"]
	_, hasWebhook := root["webhook_id"]
	return hasSecret || hasWebhook
}

// Verify compares the body's secret_key with the configured secret in constant time.
// LiveChat signs nothing: the secret chosen at registration comes back in every body.
func (vendor) Verify(in *decode.Input, secret string) backend.Verification {
	if secret == "" {
		return backend.Verification{Status: backend.VerifyNoSecret, Reason: "no LiveChat secret is configured"}
	}
	got, ok := in.Object()["secret_key"].(string)
	if f := family(in.Object()); f != "" && !ok {
		return backend.Verification{Status: backend.VerifyUnsigned, Reason: familyUnsigned[f]}
	}
	if !ok || got == "" {
		return backend.Verification{Status: backend.VerifyUnsigned, Reason: "the body carries no secret_key"}
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) == 1 {
		return backend.Verification{Status: backend.VerifyVerified}
	}
	reason := "secret_key in the body does not match the configured LiveChat secret"
	if len(got) != len(secret) {
		reason += fmt.Sprintf(" (it is %d characters long, the configured secret %d)", len(got), len(secret))
	}
	return backend.Verification{Status: backend.VerifyMismatch, Reason: reason}
}

// BodySecretPath returns "secret_key": the secret comes back in the body (decode.BodySecret).
func (vendor) BodySecretPath() string { return "secret_key" }

// Catalog returns the LiveChat catalog (built once).
func (vendor) Catalog() *decode.Catalog { return catalog }

// PersonName reports a payload "name" of an agent_* action: the agent's own name
// (decode.PersonNames, for scrubbing).
func (vendor) PersonName(path []string, doc any) bool {
	return len(path) == 2 && path[0] == "payload" && strings.HasPrefix(decode.Str(doc, "action"), "agent_")
}

// VolatileFields names what differs between deliveries beyond ids and times: the secret chosen
// at registration and the webhook's id (another registration, as in staging and production).
func (vendor) VolatileFields() []string { return []string{"secret_key", "webhook_id"} }

// VolatileHeaders returns none: LiveChat signs nothing in its headers.
func (vendor) VolatileHeaders() []string { return nil }
