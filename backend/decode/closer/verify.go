package closer

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/url"
	"slices"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Where Verify looks for the shared token. Closer documents no signature, so Hooklens lets the
// integrator put a token of their choice in the webhook URL or, through a proxy, in a header.
const (
	HeaderToken = "X-Closer-Token"
	QueryToken  = "token"
)

// Places a token was found, as Verify names them in its reasons.
const (
	WhereHeader = "X-Closer-Token header"
	WhereBearer = "Authorization: Bearer header"
	WhereQuery  = "token query parameter"
)

// ReasonNoToken is the reason of an unsigned result.
const ReasonNoToken = "the delivery carries no token: no " + HeaderToken + " header, no Authorization: Bearer header and no " + QueryToken + " query parameter"

type token struct {
	where string
	value string
}

// Verify compares the shared token of the delivery with secret, in constant time. The token
// may come as the X-Closer-Token header, as "Authorization: Bearer <token>" or as the token
// query parameter; it is verified when any of them matches. No secret gives no_secret, no token
// unsigned, and a token that does not match mismatch, saying where the token was found.
func (vendor) Verify(in *decode.Input, secret string) backend.Verification {
	if secret == "" {
		return backend.Verification{Status: backend.VerifyNoSecret}
	}
	var d *backend.Delivery
	if in != nil {
		d = in.Delivery
	}
	found := tokens(d)
	if len(found) == 0 {
		return backend.Verification{Status: backend.VerifyUnsigned, Reason: ReasonNoToken}
	}
	for _, t := range found {
		if same(t.value, secret) {
			return backend.Verification{Status: backend.VerifyVerified, Reason: "the token in the " + t.where + " matches"}
		}
	}
	var wheres []string
	trimmed := false
	for _, t := range found {
		if !slices.Contains(wheres, t.where) {
			wheres = append(wheres, t.where)
		}
		trimmed = trimmed || (strings.TrimSpace(secret) != secret && same(t.value, strings.TrimSpace(secret)))
	}
	reason := "the token in the " + strings.Join(wheres, " and the ") + " does not match the configured secret"
	if trimmed {
		reason = "the token in the " + strings.Join(wheres, " and the ") +
			" matches the configured secret without its surrounding spaces or line breaks: remove them from the secret"
	}
	return backend.Verification{Status: backend.VerifyMismatch, Reason: reason}
}

// tokens lists every token the delivery carries, headers first, in arrival order.
func tokens(d *backend.Delivery) []token {
	if d == nil {
		return nil
	}
	var out []token
	for _, h := range d.Headers {
		switch {
		case strings.EqualFold(h.Name, HeaderToken):
			out = append(out, token{WhereHeader, strings.TrimSpace(h.Value)})
		case strings.EqualFold(h.Name, "Authorization"):
			v := strings.TrimSpace(h.Value)
			if scheme, cred, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
				out = append(out, token{WhereBearer, strings.TrimSpace(cred)})
			}
		}
	}
	q, _ := url.ParseQuery(d.Query) // keeps what parses when part of the query is malformed
	for _, v := range q[QueryToken] {
		out = append(out, token{WhereQuery, v})
	}
	return out
}

// same compares a and b in time independent of where they differ and of their lengths.
func same(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// TokenHeader returns HeaderToken: a delivery may carry the shared token there (decode.TokenHeaders).
func (vendor) TokenHeader() string { return HeaderToken }
