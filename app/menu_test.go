package app

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"

	"hooklens/backend"
)

// find returns the item at a path of labels ("File", "Import…").
func find(t *testing.T, m *menu.Menu, path ...string) *menu.MenuItem {
	t.Helper()
	for i, label := range path {
		var hit *menu.MenuItem
		for _, it := range m.Items {
			if it.Label == label {
				hit = it
			}
		}
		if hit == nil {
			t.Fatalf("no menu item %q", strings.Join(path[:i+1], " → "))
		}
		if i == len(path)-1 {
			return hit
		}
		m = hit.SubMenu
	}
	return nil
}

func click(it *menu.MenuItem) { it.Click(&menu.CallbackData{MenuItem: it}) }

func TestBuildMenu(t *testing.T) {
	var got []string
	rec := func(s string) func() { return func() { got = append(got, s) } }
	m := buildMenu(menuActions{export: rec("export"), exportScrubbed: rec("scrubbed"), importFiles: rec("import"),
		quit: rec("quit"), navigate: func(v string) { got = append(got, "view:"+v) }, reload: rec("reload"),
		docs: rec("docs"), about: rec("about")})
	var top []string
	for _, it := range m.Items {
		top = append(top, it.Label)
	}
	if strings.Join(top, ",") != "File,View,Help" {
		t.Fatalf("menu bar = %v; want File, View, Help", top)
	}
	for _, c := range []struct {
		path []string
		want string
		acc  string
	}{
		{[]string{"File", "Export…"}, "export", "cmdorctrl+e"},
		{[]string{"File", "Export Scrubbed…"}, "scrubbed", "cmdorctrl+shift+e"},
		{[]string{"File", "Import…"}, "import", "cmdorctrl+o"},
		{[]string{"File", "Quit"}, "quit", "cmdorctrl+q"},
		{[]string{"View", "Inbox"}, "view:inbox", "cmdorctrl+1"},
		{[]string{"View", "Conversations"}, "view:conversations", "cmdorctrl+2"},
		{[]string{"View", "Agents"}, "view:agents", "cmdorctrl+3"},
		{[]string{"View", "Tunnel"}, "view:tunnel", "cmdorctrl+4"},
		{[]string{"View", "Settings"}, "view:settings", "cmdorctrl+5"},
		{[]string{"View", "Catalog"}, "view:catalog", "cmdorctrl+6"},
		{[]string{"View", "Reload"}, "reload", "cmdorctrl+r"},
		{[]string{"Help", "Documentation"}, "docs", "f1"},
		{[]string{"Help", "About Hooklens"}, "about", ""},
	} {
		got = nil
		it := find(t, m, c.path...)
		if it.Disabled || it.Click == nil {
			t.Errorf("%v is disabled", c.path)
			continue
		}
		click(it)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%v did %v; want %s", c.path, got, c.want)
		}
		acc := ""
		if it.Accelerator != nil {
			acc = accString(it.Accelerator)
		}
		if acc != c.acc {
			t.Errorf("%v accelerator %q; want %q", c.path, acc, c.acc)
		}
	}
}

func accString(a *keys.Accelerator) string {
	var parts []string
	for _, m := range a.Modifiers {
		parts = append(parts, string(m))
	}
	return strings.Join(append(parts, a.Key), "+")
}

func TestBuildMenuMissingActionsDisabled(t *testing.T) {
	m := buildMenu(menuActions{quit: func() {}})
	for _, p := range [][]string{{"File", "Export…"}, {"File", "Import…"}, {"View", "Inbox"}, {"Help", "About Hooklens"}} {
		if it := find(t, m, p...); !it.Disabled || it.Click != nil {
			t.Errorf("%v enabled without an action", p)
		}
	}
	if it := find(t, m, "File", "Quit"); it.Disabled {
		t.Error("Quit disabled")
	}
}

// started returns a desktop whose window is sh, as after startup, with emitted events recorded.
func started(o Options, sh *fakeShell) (*desktop, *[]string) {
	d := newDesktop(o)
	var mu sync.Mutex
	events := &[]string{}
	d.emit = func(_ context.Context, event string, data ...any) {
		mu.Lock()
		defer mu.Unlock()
		*events = append(*events, event)
	}
	d.newShell = func(context.Context) shell { return sh }
	d.on = (&pageEvents{}).on
	d.startup(context.Background())
	return d, events
}

func TestMenuExport(t *testing.T) {
	dir := t.TempDir()
	var formats []string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		formats = append(formats, r.URL.Query().Get("format")+" scrub="+r.URL.Query().Get("scrub"))
		w.Header().Set("X-Hooklens-Deliveries", "3")
		io.WriteString(w, "data")
	})
	o := Options{API: api}
	sh := &fakeShell{saveAnswer: filepath.Join(dir, "all")}
	d, _ := started(o, sh)
	defer d.shutdown(context.Background())
	click(find(t, d.menu(), "File", "Export…"))
	if b, err := os.ReadFile(filepath.Join(dir, "all.zip")); err != nil || string(b) != "data" {
		t.Fatalf("all.zip = %q, %v; want the export (a name without extension gets .zip)", b, err)
	}
	if m := sh.lastMessage(); !strings.Contains(m, "Exported 3 deliveries to "+filepath.Join(dir, "all.zip")) {
		t.Errorf("message %q", m)
	}
	sh.saveAnswer = filepath.Join(dir, "x.txt")
	click(find(t, d.menu(), "File", "Export…"))
	if m := sh.lastMessage(); !strings.HasPrefix(m, "error|") || !strings.Contains(m, ".ndjson") {
		t.Errorf("unknown extension: message %q; want an error naming the formats", m)
	}
	sh.saveAnswer = ""
	n := len(sh.messages)
	click(find(t, d.menu(), "File", "Export…"))
	if len(sh.messages) != n || len(formats) != 1 || formats[0] != "zip scrub=false" {
		t.Errorf("canceled dialog: messages %d → %d, formats %v", n, len(sh.messages), formats)
	}
	sh.saveAnswer = filepath.Join(dir, "scrubbed.ndjson")
	click(find(t, d.menu(), "File", "Export Scrubbed…"))
	if len(formats) != 2 || formats[1] != "ndjson scrub=true" {
		t.Errorf("Export Scrubbed… asked the API for %v; want ndjson scrub=true", formats)
	}
	sh.saveAnswer = filepath.Join(dir, "missing", "a.zip")
	click(find(t, d.menu(), "File", "Export…"))
	if m := sh.lastMessage(); !strings.HasPrefix(m, "error|Export failed|") || !strings.Contains(m, "does not exist") {
		t.Errorf("export into a missing folder: message %q; want it in plain words", m)
	}
}

func TestMenuImport(t *testing.T) {
	o := Options{Import: func(_ context.Context, path string) (backend.ImportResult, error) {
		if strings.HasSuffix(path, "bad.har") {
			return backend.ImportResult{}, errors.New("not a HAR file")
		}
		return backend.ImportResult{Format: "ndjson", Imported: 2, Duplicates: 1}, nil
	}}
	sh := &fakeShell{openAnswer: []string{"/tmp/a.ndjson", "/tmp/bad.har"}}
	d, events := started(o, sh)
	defer d.shutdown(context.Background())
	click(find(t, d.menu(), "File", "Import…"))
	if strings.Join(*events, ",") != eventImportStart+","+eventImportDone {
		t.Errorf("events %v; want import:start, import:done", *events)
	}
	if m := sh.lastMessage(); !strings.Contains(m, "Imported 2 deliveries, 1 already there.") || !strings.Contains(m, "bad.har: not a HAR file") {
		t.Errorf("message %q", m)
	}
}

func TestMenuNavigateAboutQuit(t *testing.T) {
	sh := &fakeShell{}
	d, events := started(Options{Version: "1.2.3", ReceiverURL: "http://127.0.0.1:8787", DataDir: "/data"}, sh)
	defer d.shutdown(context.Background())
	click(find(t, d.menu(), "View", "Agents"))
	if strings.Join(*events, ",") != eventNavigate {
		t.Errorf("events %v", *events)
	}
	click(find(t, d.menu(), "Help", "About Hooklens"))
	if m := sh.lastMessage(); !strings.Contains(m, "Hooklens 1.2.3") || !strings.Contains(m, "Receiver: http://127.0.0.1:8787") || !strings.Contains(m, "/data") {
		t.Errorf("about %q", m)
	}
	click(find(t, d.menu(), "Help", "Documentation"))
	if m := sh.lastMessage(); !strings.Contains(m, "http://127.0.0.1:8787") || !strings.Contains(m, "verified:") {
		t.Errorf("documentation %q", m)
	}
	click(find(t, d.menu(), "File", "Quit"))
	click(find(t, d.menu(), "View", "Reload"))
	if sh.quitted != 1 || sh.reloaded != 1 {
		t.Errorf("quit %d reload %d", sh.quitted, sh.reloaded)
	}
}

func TestDialogText(t *testing.T) {
	if got := dialogText("50% of /tmp/a%sb"); got != "50%% of /tmp/a%%sb" && got != "50% of /tmp/a%sb" {
		t.Errorf("dialogText = %q", got)
	}
}
