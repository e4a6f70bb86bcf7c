package app

import (
	"fmt"
	"hooklens/backend/decode"
	"slices"
	"strings"
)

// displayNames returns the display name of a vendor id among vendors; the id itself for others.
func displayNames(vendors []decode.Info) func(string) string {
	return func(id string) string {
		for _, v := range vendors {
			if v.Name == id && v.DisplayName != "" {
				return v.DisplayName
			}
		}
		return id
	}
}

// vendorList is "A, B and C", the vendors' display names.
func vendorList(vendors []decode.Info) string {
	names := make([]string, len(vendors))
	for i, v := range vendors {
		names[i] = v.DisplayName
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// aboutText is the About dialog: version, receiver and data folder.
func aboutText(o Options) string {
	var b strings.Builder
	b.WriteString("Hooklens")
	if o.Version != "" {
		b.WriteString(" " + o.Version)
	}
	b.WriteString("\nA local inbox for the webhooks of " + vendorList(o.Vendors) + ".\n")
	if o.ReceiverURL != "" {
		fmt.Fprintf(&b, "\nReceiver: %s", o.ReceiverURL)
	}
	if o.DataDir != "" {
		fmt.Fprintf(&b, "\nData folder: %s", o.DataDir)
	}
	b.WriteString("\n\nNothing you capture leaves this computer unless you export, replay or forward it.")
	return b.String()
}

// docsText is Help → Documentation: the essentials, offline. The full reference is README.md
// and docs/api.md beside the source.
func docsText(o Options) string {
	receiver := o.ReceiverURL
	if receiver == "" {
		receiver = "http://127.0.0.1:8787"
	}
	receiver = strings.TrimSuffix(receiver, "/")
	vendorLines := make([]string, len(o.Vendors))
	example := decode.Info{Name: "vendor", Path: "/vendor"} // the search example's vendor
	for i, v := range o.Vendors {
		vendorLines[i] = "  " + v.DisplayName + "  …" + v.Path + " — " + v.Verification
	}
	if len(o.Vendors) > 0 {
		example = o.Vendors[0]
	}
	// One line per paragraph or list item: the dialog wraps long lines itself.
	return strings.Join(slices.Concat([]string{
		"RECEIVE",
		"The receiver listens on " + receiver + ". Put a tunnel in front of it (Tunnel screen, or " +
			"cloudflared tunnel --url " + receiver + ") and register the public URL plus the vendor path:",
	}, vendorLines, []string{
		"Secrets go in Settings. Every delivery is kept byte for byte before it is acknowledged.",
		"",
		"SEARCH",
		"vendor:" + example.Name + "  type:TYPE  conv:ID  agent:EMAIL  status:closed  " +
			"verified:yes|no|mismatch|unsigned|no_secret  has:flags  method:POST  path:" + example.Path + " — " +
			"any other word, or a \"quoted phrase\", searches bodies, paths and summaries.",
		"",
		"KEYS",
		"Ctrl+1 … Ctrl+5: Inbox, Conversations, Agents, Tunnel, Settings. j / k: next / previous. " +
			"/: search. Enter: open. Esc: close. Ctrl+E: export everything. Ctrl+Shift+E: export scrubbed. " +
			"Ctrl+O: import. Ctrl+R: reload. Ctrl+Q: quit.",
		"",
		"EXPORT AND IMPORT",
		"The file name decides the format: .zip (fixture folder), .ndjson or .har. A scrubbed export " +
			"replaces personal data by pseudonyms and signs the deliveries with a fixture secret it contains. " +
			"Import takes the same files, or a fixture folder's manifest.json; files dropped on the window " +
			"are imported too.",
		"",
		"NOTIFICATIONS",
		"A desktop notification tells the first delivery from each vendor and verification mismatches " +
			"(at most one every 10 seconds, with a count); turn them off in Settings.",
		"",
		"More in README.md and docs/api.md; `hooklens help` for the command line.",
	}), "\n")
}
