package export

import (
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Ways a delivery is signed for a handler under test.
const (
	Signed   = "signed"   // with the vendor's secret, so a handler that verifies accepts it
	Unsigned = "unsigned" // with no credential at all: a handler that verifies rejects it
	Tampered = "tampered" // with a wrong credential (or a body changed after signing): rejected too
)

// Resigner sets the credentials of deliveries the way each vendor carries them: a signature
// header over the body (decode.Signer), a token header (decode.TokenHeaders), a secret inside
// the body (decode.BodySecret). Export re-signs scrubbed bodies through the same signers.
type Resigner struct {
	vendors *decode.Registry
}

// NewResigner returns a resigner of the vendors of reg.
func NewResigner(reg *decode.Registry) *Resigner { return &Resigner{vendors: reg} }

// Sign returns a copy of d (d is not changed) carrying vendor's credentials made from secret
// as mode says (Signed, Unsigned, Tampered), with a Content-Length header, when there is one,
// that fits the body. With Signed and no secret, credentials are left as they are. It returns
// what it did, in a few words ("" when nothing).
func (r *Resigner) Sign(d *backend.Delivery, vendor, secret, mode string) (*backend.Delivery, string) {
	c := cloneDelivery(d)
	var did []string
	v := r.vendors.Vendor(vendor)
	if v == nil || d.Refused != "" || (mode == Signed && secret == "") {
		setContentLength(c)
		return c, ""
	}
	bad := wrongSecret(secret)
	if bs, ok := v.(decode.BodySecret); ok {
		set, _ := ParseSet(bs.BodySecretPath() + "=")
		switch mode {
		case Signed:
			set.Value = secret
		case Tampered:
			set.Value = bad
		}
		if body, found := ApplySets(c.Body, []Set{set}); found[0] {
			c.Body = body
			did = append(did, mode+" "+bs.BodySecretPath())
		}
	}
	if th, ok := v.(decode.TokenHeaders); ok {
		name := th.TokenHeader()
		switch mode {
		case Unsigned:
			if c.Headers.Get(name) != "" {
				c.Headers = removeHeader(c.Headers, name)
				did = append(did, "removed "+name)
			}
		default:
			val := secret
			if mode == Tampered {
				val = bad
			}
			c.Headers = setHeader(c.Headers, name, val)
			did = append(did, mode+" "+name)
		}
	}
	if sg, ok := v.(decode.Signer); ok {
		name := sg.SignatureHeader()
		switch mode {
		case Unsigned:
			if c.Headers.Get(name) != "" {
				c.Headers = removeHeader(c.Headers, name)
				did = append(did, "removed "+name)
			}
		case Signed:
			c.Headers = setHeader(c.Headers, name, sg.Signature(c, secret))
			did = append(did, "signed "+name)
		case Tampered:
			// Signed right, then the body changes by one byte a JSON parser does not see:
			// only a check over the exact bytes received rejects it.
			c.Headers = setHeader(c.Headers, name, sg.Signature(c, cmpOr(secret, bad)))
			c.Body = append(c.Body, '\n')
			did = append(did, name+" over a body changed after signing")
		}
	}
	setContentLength(c)
	c.Size = int64(len(c.Body))
	return c, strings.Join(did, ", ")
}

// CanSign reports whether the vendor carries a credential Sign knows how to set.
func (r *Resigner) CanSign(vendor string) bool {
	switch r.vendors.Vendor(vendor).(type) {
	case decode.Signer, decode.TokenHeaders, decode.BodySecret:
		return true
	}
	return false
}

// wrongSecret is secret with its last character changed (same length, so a check that only
// compares lengths first does not pass it by chance).
func wrongSecret(secret string) string {
	if secret == "" {
		return "hooklens-wrong-secret"
	}
	last := secret[len(secret)-1]
	c := byte('x')
	if last == 'x' {
		c = 'y'
	}
	return secret[:len(secret)-1] + string(c)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// setHeader sets the first header named name (any case, keeping its case and place) to value,
// or appends it.
func setHeader(hs backend.Headers, name, value string) backend.Headers {
	for i, h := range hs {
		if strings.EqualFold(h.Name, name) {
			hs[i].Value = value
			return hs
		}
	}
	return append(hs, backend.Header{Name: name, Value: value})
}
