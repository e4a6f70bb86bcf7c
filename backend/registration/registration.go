// Package registration writes the steps that register Hooklens's public URL with each vendor
// (pure functions of the public URL, the vendor's configured secret and the chosen events), and
// registers it with LiveChat's Configuration API for those who would rather not leave the app.
package registration

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Placeholders used when a value is not known yet.
const (
	PublicURLPlaceholder = "https://<your-public-url>"
	SecretPlaceholder    = "<set-a-secret-in-hooklens>"
)

// Input is what the instructions are generated from.
type Input struct {
	// PublicURL is the tunnel's public base URL ("https://x.trycloudflare.com"), "" when no tunnel runs.
	PublicURL string
	// Secret is the vendor secret configured in Hooklens, "" when none.
	Secret string
	// Actions are the events to register, for vendors where one chooses them; nil means the
	// vendor's defaults. Other vendors ignore it.
	Actions []string
	// Version is the vendor API version pinned in Settings ("" = the current one): the guide
	// gives that version's register URL and event names where the vendor has versions.
	Version string
}

// Step is one thing the user does, with text to copy when there is some.
type Step struct {
	Title string `json:"title"`
	Text  string `json:"text"`
	Code  string `json:"code,omitempty"` // ready to copy (a command, a URL, an e-mail)
}

// Help is the registration guide of one vendor.
type Help struct {
	Vendor string `json:"vendor"`
	// URL is the exact URL to register, "" when no public URL is known.
	URL string `json:"url"`
	// Text is the whole guide as Markdown-flavoured plain text, for copying in one go.
	Text  string `json:"text"`
	Steps []Step `json:"steps"`
	// Actions are the events the guide registers, where the vendor lets one choose them.
	Actions []string `json:"actions,omitempty"`
	// KnownActions are all the events the vendor accepts, to choose from.
	KnownActions []string `json:"known_actions,omitempty"`
}

// Guide is a vendor that writes how to register Hooklens with it; its package implements it.
type Guide interface {
	decode.Vendor
	// Guide fills h (Steps; Actions and KnownActions where events are chosen) with the steps
	// that register url, for in. It returns EINVALID for a choice the vendor does not have.
	Guide(h *Help, url string, in Input) error
}

// Vendors lists the vendors of reg a guide exists for, in the registry's order.
func Vendors(reg *decode.Registry) []string { return decode.NamesOf[Guide](reg) }

// VendorURL returns the URL to register for vendor: the public URL with the vendor's path, so
// deliveries are recognized by path before their shape is looked at. "" when public is "".
func VendorURL(public, vendor string) string {
	if public == "" {
		return ""
	}
	return strings.TrimRight(public, "/") + "/" + vendor
}

// For returns the guide of vendor, one of reg. It returns an ENOTFOUND error for a vendor
// without a guide, and the vendor's EINVALID error for a choice it does not have.
func For(reg *decode.Registry, vendor string, in Input) (Help, error) {
	g, ok := reg.Vendor(vendor).(Guide)
	if !ok {
		return Help{}, backend.Errorf(backend.ENOTFOUND, "no registration guide for vendor %q (known: %s)",
			vendor, strings.Join(Vendors(reg), ", "))
	}
	h := Help{Vendor: vendor, URL: VendorURL(in.PublicURL, vendor)}
	url := h.URL
	if url == "" {
		url = VendorURL(PublicURLPlaceholder, vendor)
	}
	if err := g.Guide(&h, url, in); err != nil {
		return Help{}, err
	}
	title := reg.DisplayName(vendor)
	if h.URL == "" {
		h.Steps = append([]Step{noTunnel(title)}, h.Steps...)
	}
	h.Text = render(title, h.URL, h.Steps)
	return h, nil
}

func noTunnel(title string) Step {
	return Step{
		Title: "Start a tunnel first",
		Text: "No public URL is known yet, so the commands below use " + PublicURLPlaceholder + ". " +
			"Start a tunnel in the Tunnel panel (cloudflared, ngrok, or a URL of your own) and this guide " +
			"fills in the real address. " + title + " must be able to reach it from the internet.",
	}
}

// render writes the guide as text: a heading, the URL, then numbered steps with code blocks.
func render(title, url string, steps []Step) string {
	var b strings.Builder
	b.WriteString("# Register Hooklens with " + title + "\n\n")
	if url != "" {
		b.WriteString("URL to register: " + url + "\n")
	} else {
		b.WriteString("URL to register: not known yet (no tunnel is running)\n")
	}
	for i, s := range steps {
		b.WriteString("\n## " + strconv.Itoa(i+1) + ". " + s.Title + "\n\n" + s.Text + "\n")
		if s.Code != "" {
			b.WriteString("\n```\n" + s.Code + "\n```\n")
		}
	}
	return b.String()
}

// JSONString returns s as a JSON string literal, without HTML escaping.
func JSONString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// ShellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// HTTPSWarning is the note, for the vendor named title, when it only calls HTTPS URLs and url is
// plain http; "" otherwise.
func HTTPSWarning(url, title string) string {
	if strings.HasPrefix(url, "http://") {
		return " Careful: this URL is plain http; " + title + " calls HTTPS URLs only, so use a tunnel that gives an https address."
	}
	return ""
}

// Registrar is a vendor Hooklens can register with through the vendor's own API, for those who
// would rather not leave the app; its package implements it.
type Registrar interface {
	decode.Vendor
	// Register makes the vendor send its events to url, signed or keyed with secret, calling
	// the vendor's API at base ("" is the real one) with what the user sent as JSON in body
	// (credentials and choices; used for this call only, never kept). It returns the outcome to
	// show, step by step, and whether every step succeeded; an error when nothing could be done
	// (EINVALID for a bad request).
	Register(ctx context.Context, base string, body []byte, url, secret string) (outcome any, ok bool, err error)
}
