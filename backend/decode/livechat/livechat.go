// Package livechat decodes LiveChat (Text platform) webhooks: detection, events, catalog and secret_key check.
package livechat

import (
	"crypto/subtle"
	"fmt"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// New returns the LiveChat vendor.
func New() decode.Vendor { return vendor{} }

type vendor struct{}

// Name returns backend.VendorLiveChat.
func (vendor) Name() string { return backend.VendorLiveChat }

// PathPrefix returns "/livechat".
func (vendor) PathPrefix() string { return "/livechat" }

// Match reports whether the body is a JSON object with a top-level "action" and either
// "secret_key" or "webhook_id", the envelope every LiveChat webhook has.
func (vendor) Match(in *decode.Input) bool {
	root := in.Object()
	if root == nil || in.Form {
		return false
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

// Catalog returns the LiveChat catalog (built once).
func (vendor) Catalog() *decode.Catalog { return catalog }
