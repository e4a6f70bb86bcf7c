package app

import (
	"strings"
	"testing"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
)

// TestHelp_Vendors: About and Help list the registered vendors, with their paths and how their
// deliveries are verified, and a fourth vendor appears without touching this package.
func TestHelp_Vendors(t *testing.T) {
	vendors := append(all.Registry().Info(), decode.Info{Name: "echo", DisplayName: "Echo", Path: "/echo", Verification: "a header"})
	o := Options{Vendors: vendors, ReceiverURL: "http://127.0.0.1:9"}
	if about := aboutText(o); !strings.Contains(about, "webhooks of LiveChat, iAdvize, Closer and Echo.") {
		t.Errorf("aboutText = %q; want the four vendors named", about)
	}
	docs := docsText(o)
	for _, v := range vendors {
		if line := "  " + v.DisplayName + "  …" + v.Path + " — " + v.Verification; !strings.Contains(docs, line+"\n") {
			t.Errorf("docsText lacks %q:\n%s", line, docs)
		}
	}
	if !strings.Contains(docs, "vendor:livechat ") || !strings.Contains(docs, "path:/livechat ") {
		t.Errorf("docsText search example should use the first vendor:\n%s", docs)
	}
}
