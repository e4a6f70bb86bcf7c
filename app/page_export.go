package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Events of the page's Export dialog (frontend/src/lib/api/fixtures.ts, saveExportNative). The
// page and Go each listen only to the events the other sends: Wails' EventsOff of a name drops
// the Go listeners of that name too.
const (
	// eventExportSave (page → Go) carries exportRequest: ask where to save, then export there.
	eventExportSave = "export:save"
	// eventExportCancel (page → Go) carries {"id"}: stop that export and leave no file.
	eventExportCancel = "export:cancel"
	// eventExportProgress (Go → page) carries exportProgress with the request's id.
	eventExportProgress = "export:progress"
	// eventExportDone (Go → page) carries exportDone: the end of an export, whatever it was.
	eventExportDone = "export:done"
)

// exportRequest is the page's Export: id names it in the events that follow; query is the query
// of the API's download (GET /api/v1/export?query: format, q, conversation, agent, id, scrub,
// pretty), so the file holds the same bytes as the browser's download.
type exportRequest struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

// exportDone is how an export from the page ended: written (Path, Deliveries), canceled (in the
// save dialog: no Path; or while writing: Path, and nothing written there), or failed (Error, in
// plain words; nothing written).
type exportDone struct {
	ID         string `json:"id"`
	Path       string `json:"path"`
	Deliveries int    `json:"deliveries"`
	Canceled   bool   `json:"canceled"`
	Error      string `json:"error,omitempty"`
}

// listenExports starts answering the page's Export through on (runtime.EventsOn); it returns
// the function that stops listening.
func (d *desktop) listenExports(ctx context.Context, on func(ctx context.Context, name string, cb func(data ...any)) func()) func() {
	offSave := on(ctx, eventExportSave, func(data ...any) {
		var req exportRequest
		if !decodeEvent(data, &req) || req.ID == "" {
			slog.Debug("desktop: ignored a malformed export request", "data", data)
			return
		}
		d.saveExport(req)
	})
	offCancel := on(ctx, eventExportCancel, func(data ...any) {
		var req exportRequest
		if decodeEvent(data, &req) {
			d.cancelExport(req.ID)
		}
	})
	return func() { offSave(); offCancel() }
}

// decodeEvent decodes an event's first datum (JSON from the page, decoded by Wails) into v.
func decodeEvent(data []any, v any) bool {
	if len(data) == 0 {
		return false
	}
	b, err := json.Marshal(data[0])
	return err == nil && json.Unmarshal(b, v) == nil
}

// saveExport answers the page's Export: the native save dialog (the format's file name and
// type), then the export written there with progress events, then eventExportDone, always.
func (d *desktop) saveExport(req exportRequest) {
	ctx, cancel := context.WithCancel(d.runCtx())
	d.mu.Lock()
	if d.exports == nil {
		d.exports = map[string]context.CancelFunc{}
	}
	d.exports[req.ID] = cancel
	d.mu.Unlock()
	done := exportDone{ID: req.ID}
	defer func() {
		d.mu.Lock()
		delete(d.exports, req.ID)
		d.mu.Unlock()
		cancel()
		d.emit(d.runCtx(), eventExportDone, done)
	}()

	query, format, err := exportQuery(req.Query)
	if err != nil {
		done.Error = err.Error()
		return
	}
	var chosen string
	d.withShell(func(s shell) {
		chosen, err = s.saveFile(exportTitle(format, query), exportName(time.Now(), format),
			[]runtime.FileFilter{exportFilter[format]})
	})
	if err != nil {
		done.Error = "The save dialog failed: " + err.Error()
		return
	}
	if chosen == "" || ctx.Err() != nil {
		done.Canceled = true // the dialog was canceled (or the window closed): nothing to say
		return
	}
	done.Path = targetFor(chosen, format)
	done.Deliveries, err = d.exportFile(ctx, done.Path, query, func(p exportProgress) {
		p.ID = req.ID
		d.emit(d.runCtx(), eventExportProgress, p)
	})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		done.Canceled = true
	case errors.Is(err, errBusy):
		done.Error = "Another export or import is running; try again when it is done."
	default:
		done.Error = notWritten(done.Path, err)
	}
}

// cancelExport stops the page's export id, if it runs; its file is removed.
func (d *desktop) cancelExport(id string) {
	d.mu.Lock()
	cancel := d.exports[id]
	d.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// exportQuery parses the query of an export request and returns it with the format of the file
// it makes: zip (for fixtures, the API's default too), ndjson or har.
func exportQuery(raw string) (url.Values, string, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, "", fmt.Errorf("bad export request: %v", err)
	}
	switch f := strings.ToLower(q.Get("format")); f {
	case "", "fixtures", "zip":
		return q, "zip", nil
	case "ndjson", "har":
		return q, f, nil
	default:
		return nil, "", fmt.Errorf("unknown export format %q: want fixtures, ndjson or har", f)
	}
}

// exportTitle is the save dialog's title for an export in format of the selection in query.
func exportTitle(format string, query url.Values) string {
	what := map[string]string{"zip": "a fixture zip", "ndjson": "NDJSON", "har": "HAR"}[format]
	title := "Export as " + what
	switch strings.ToLower(query.Get("scrub")) {
	case "1", "t", "true", "on", "yes": // the API's flags
		title += ", scrubbed"
	}
	return title
}
