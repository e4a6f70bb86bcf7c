package app

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// pageDesktop is a started desktop whose window is sh, with the page's events: page fires what
// the page sends, and sent returns what Go sent it (event names and JSON data).
type pageDesktop struct {
	*desktop
	page *pageEvents
	mu   sync.Mutex
	sent []string
}

func startPage(t *testing.T, o Options, sh *fakeShell) *pageDesktop {
	t.Helper()
	p := &pageDesktop{desktop: newDesktop(o), page: &pageEvents{}}
	p.emit = func(_ context.Context, event string, data ...any) {
		b, _ := json.Marshal(data[0])
		p.mu.Lock()
		defer p.mu.Unlock()
		p.sent = append(p.sent, event+" "+string(b))
	}
	p.on = p.page.on
	p.newShell = func(context.Context) shell { return sh }
	p.startup(context.Background())
	t.Cleanup(func() { p.shutdown(context.Background()) })
	return p
}

// request sends the page's Export of query as id (through JSON, as Wails hands it over) and
// returns what the export:done event said.
func (p *pageDesktop) request(t *testing.T, id, query string) exportDone {
	t.Helper()
	var data any
	json.Unmarshal([]byte(`{"id":"`+id+`","query":"`+query+`"}`), &data)
	if !p.page.fire(eventExportSave, data) {
		t.Fatal("nothing listens to export:save")
	}
	return p.done(t, id)
}

func (p *pageDesktop) done(t *testing.T, id string) exportDone {
	t.Helper()
	var d exportDone
	waitFor(t, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, s := range p.sent {
			if rest, ok := strings.CutPrefix(s, eventExportDone+" "); ok && json.Unmarshal([]byte(rest), &d) == nil && d.ID == id {
				return true
			}
		}
		return false
	})
	return d
}

func (p *pageDesktop) progress(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, s := range p.sent {
		if strings.HasPrefix(s, eventExportProgress+" ") && strings.Contains(s, `"id":"`+id+`"`) {
			n++
		}
	}
	return n
}

// TestPageExport: the page's Export opens the native save dialog with the format's name and file
// type, writes the API's download there, and reports progress and the end.
func TestPageExport(t *testing.T) {
	h, chat := newExportAPI(t)
	dir := t.TempDir()
	sh := &fakeShell{saveAnswer: filepath.Join(dir, "conversation")}
	p := startPage(t, Options{API: h}, sh)
	q := url.Values{"format": {"ndjson"}, "conversation": {chat}, "scrub": {"true"}}
	d := p.request(t, "e1", q.Encode())
	want := filepath.Join(dir, "conversation.ndjson")
	if d.Error != "" || d.Canceled || d.Path != want || d.Deliveries == 0 {
		t.Fatalf("export:done %+v; want %s written", d, want)
	}
	if b, err := os.ReadFile(want); err != nil || !strings.Contains(string(b), `"scrubbed":true`) && len(b) == 0 {
		t.Errorf("%s: %v", want, err)
	}
	if p.progress("e1") == 0 {
		t.Error("no export:progress event")
	}
	sh.mu.Lock()
	prompt := sh.saved[0]
	sh.mu.Unlock()
	if prompt.title != "Export as NDJSON, scrubbed" || !strings.HasSuffix(prompt.name, ".ndjson") ||
		len(prompt.filters) != 1 || prompt.filters[0].Pattern != "*.ndjson;*.jsonl" {
		t.Errorf("save dialog %+v; want the NDJSON name and file type", prompt)
	}

	q = url.Values{"format": {"fixtures"}, "id": {"a", "b"}}
	sh.saveAnswer = filepath.Join(dir, "chosen.zip")
	if d := p.request(t, "e2", q.Encode()); d.Error != "" || d.Path != sh.saveAnswer {
		t.Errorf("fixtures export:done %+v", d)
	}
	sh.mu.Lock()
	prompt = sh.saved[1]
	sh.mu.Unlock()
	if prompt.title != "Export as a fixture zip" || !strings.HasSuffix(prompt.name, ".zip") || prompt.filters[0].Pattern != "*.zip" {
		t.Errorf("save dialog %+v; want the zip name and file type", prompt)
	}

	t.Run("DialogCanceled", func(t *testing.T) {
		sh.saveAnswer = ""
		before, _ := os.ReadDir(dir)
		d := p.request(t, "c1", "format=har")
		if !d.Canceled || d.Path != "" || d.Error != "" {
			t.Errorf("export:done %+v; want canceled, nothing to say", d)
		}
		if after, _ := os.ReadDir(dir); len(after) != len(before) {
			t.Errorf("a canceled dialog wrote %v", after)
		}
	})
	t.Run("ErrMissingFolder", func(t *testing.T) {
		sh.saveAnswer = filepath.Join(dir, "gone", "x.har")
		d := p.request(t, "m1", "format=har")
		if d.Canceled || !strings.Contains(d.Error, "does not exist") {
			t.Errorf("export:done %+v; want the reason in plain words", d)
		}
	})
	t.Run("ErrBusy", func(t *testing.T) {
		sh.saveAnswer = filepath.Join(dir, "busy.har")
		p.transfer.Lock()
		d := p.request(t, "b1", "format=har")
		p.transfer.Unlock()
		if !strings.Contains(d.Error, "Another export or import is running") {
			t.Errorf("export:done %+v", d)
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		if d := p.request(t, "f1", "format=csv"); !strings.Contains(d.Error, "unknown export format") {
			t.Errorf("export:done %+v", d)
		}
	})
}

// TestPageExportCancel: the page's cancel stops an export being written and leaves no file.
func TestPageExportCancel(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 0
	dir := t.TempDir()
	next := make(chan struct{}) // never closed: the export waits after its first chunk
	sh := &fakeShell{saveAnswer: filepath.Join(dir, "big.ndjson")}
	p := startPage(t, Options{API: slowAPI(10, next)}, sh)
	var data any
	json.Unmarshal([]byte(`{"id":"x1","query":"format=ndjson"}`), &data)
	p.page.fire(eventExportSave, data)
	waitFor(t, func() bool { return p.progress("x1") >= 2 }) // the first chunk is written
	json.Unmarshal([]byte(`{"id":"x1"}`), &data)
	p.page.fire(eventExportCancel, data)
	d := p.done(t, "x1")
	if !d.Canceled || d.Error != "" {
		t.Errorf("export:done %+v; want canceled", d)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
