// Package registration writes the steps that register Hooklens's public URL with each vendor
// (pure functions of the public URL, the vendor's configured secret and the chosen events), and
// registers it with LiveChat's Configuration API for those who would rather not leave the app.
package registration

import (
	"encoding/json"
	"strconv"
	"strings"

	"hooklens/backend"
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
	// Actions are the LiveChat actions to register; nil means DefaultActions. Other vendors ignore it.
	Actions []string
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
	// Actions are the LiveChat actions the guide registers (LiveChat only).
	Actions []string `json:"actions,omitempty"`
	// KnownActions are all the actions LiveChat accepts, to choose from (LiveChat only).
	KnownActions []string `json:"known_actions,omitempty"`
}

// Vendors lists the vendors a guide exists for, in display order.
func Vendors() []string {
	return []string{backend.VendorLiveChat, backend.VendorIAdvize, backend.VendorCloser}
}

var titles = map[string]string{
	backend.VendorLiveChat: "LiveChat",
	backend.VendorIAdvize:  "iAdvize",
	backend.VendorCloser:   "Closer",
}

// VendorURL returns the URL to register for vendor: the public URL with the vendor's path, so
// deliveries are recognized by path before their shape is looked at. "" when public is "".
func VendorURL(public, vendor string) string {
	if public == "" {
		return ""
	}
	return strings.TrimRight(public, "/") + "/" + vendor
}

// For returns the guide of vendor. It returns an ENOTFOUND error for a vendor without a guide and
// an EINVALID error for an unknown LiveChat action.
func For(vendor string, in Input) (Help, error) {
	h := Help{Vendor: vendor, URL: VendorURL(in.PublicURL, vendor)}
	url := h.URL
	if url == "" {
		url = VendorURL(PublicURLPlaceholder, vendor)
	}
	var err error
	switch vendor {
	case backend.VendorLiveChat:
		h.Actions, err = liveChatActions(in.Actions)
		if err != nil {
			return Help{}, err
		}
		h.KnownActions = LiveChatActions
		h.Steps = liveChat(url, in.Secret, h.Actions)
	case backend.VendorIAdvize:
		h.Steps = iAdvize(url, in.Secret)
	case backend.VendorCloser:
		h.Steps = closer(url, in.Secret)
	default:
		return Help{}, backend.Errorf(backend.ENOTFOUND, "no registration guide for vendor %q (known: %s)",
			vendor, strings.Join(Vendors(), ", "))
	}
	if h.URL == "" {
		h.Steps = append([]Step{noTunnel(vendor)}, h.Steps...)
	}
	h.Text = render(titles[vendor], h.URL, h.Steps)
	return h, nil
}

func noTunnel(vendor string) Step {
	return Step{
		Title: "Start a tunnel first",
		Text: "No public URL is known yet, so the commands below use " + PublicURLPlaceholder + ". " +
			"Start a tunnel in the Tunnel panel (cloudflared, ngrok, or a URL of your own) and this guide " +
			"fills in the real address. " + titles[vendor] + " must be able to reach it from the internet.",
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

// jsonString returns s as a JSON string literal, without HTML escaping.
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// httpsWarning is the note for vendors that only call HTTPS URLs.
func httpsWarning(url, vendor string) string {
	if strings.HasPrefix(url, "http://") {
		return " Careful: this URL is plain http; " + titles[vendor] + " calls HTTPS URLs only, so use a tunnel that gives an https address."
	}
	return ""
}
