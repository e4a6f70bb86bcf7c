package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Events the desktop sends to the frontend besides the live feed (see frontend/src/lib/api/desktop.ts).
const (
	// eventNavigate carries {"view": one of views} when a View menu item is chosen.
	eventNavigate = "menu:navigate"
	// eventImportStart carries {"names": [file names]} when an import from the menu begins.
	eventImportStart = "import:start"
	// eventImportDone carries the import result, shaped like the answer of POST /api/v1/import.
	eventImportDone = "import:done"
)

// views are the screens of the frontend, in the order of the left rail.
var views = []struct{ id, label, key string }{
	{"inbox", "Inbox", "1"},
	{"conversations", "Conversations", "2"},
	{"agents", "Agents", "3"},
	{"tunnel", "Tunnel", "4"},
	{"settings", "Settings", "5"},
	{"catalog", "Catalog", "6"},
}

// menuActions are what the menu items do; a nil one leaves its item disabled.
type menuActions struct {
	export, exportScrubbed, importFiles, quit func()
	navigate                                  func(view string)
	reload, docs, about                       func()
}

// buildMenu returns the application menu: File, View, Help.
func buildMenu(a menuActions) *menu.Menu {
	m := menu.NewMenu()
	file := m.AddSubmenu("File")
	add(file, "Export…", keys.CmdOrCtrl("e"), a.export)
	add(file, "Export Scrubbed…", keys.Combo("e", keys.CmdOrCtrlKey, keys.ShiftKey), a.exportScrubbed)
	add(file, "Import…", keys.CmdOrCtrl("o"), a.importFiles)
	file.AddSeparator()
	add(file, "Quit", keys.CmdOrCtrl("q"), a.quit)

	view := m.AddSubmenu("View")
	for _, v := range views {
		var fn func()
		if a.navigate != nil {
			fn = func() { a.navigate(v.id) }
		}
		add(view, v.label, keys.CmdOrCtrl(v.key), fn)
	}
	view.AddSeparator()
	add(view, "Reload", keys.CmdOrCtrl("r"), a.reload)

	help := m.AddSubmenu("Help")
	add(help, "Documentation", keys.Key("F1"), a.docs)
	add(help, "About Hooklens", nil, a.about)
	return m
}

func add(m *menu.Menu, label string, acc *keys.Accelerator, fn func()) {
	if fn == nil {
		m.AddText(label, acc, nil).Disable()
		return
	}
	m.AddText(label, acc, func(*menu.CallbackData) { fn() })
}

// menu returns the application menu wired to d.
func (d *desktop) menu() *menu.Menu {
	a := menuActions{
		quit: func() { d.withShell(shell.quit) },
		navigate: func(view string) {
			d.withShell(func(shell) { d.emit(d.runCtx(), eventNavigate, map[string]string{"view": view}) })
		},
		reload: func() { d.withShell(shell.reload) },
		docs: func() {
			d.withShell(func(s shell) { s.message(runtime.InfoDialog, "Hooklens documentation", docsText(d.opts)) })
		},
		about: func() {
			d.withShell(func(s shell) { s.message(runtime.InfoDialog, "About Hooklens", aboutText(d.opts)) })
		},
	}
	a.export = func() { d.withShell(func(s shell) { d.exportAll(s, false) }) }
	a.exportScrubbed = func() { d.withShell(func(s shell) { d.exportAll(s, true) }) }
	if d.opts.Import != nil {
		a.importFiles = func() { d.withShell(d.chooseImport) }
	}
	return buildMenu(a)
}

// exportAll asks where to save (the extension picks the format), writes every delivery there
// (scrubbed when asked) and says how it went.
func (d *desktop) exportAll(s shell, scrub bool) {
	title := "Export all deliveries"
	if scrub {
		title = "Export all deliveries, scrubbed"
	}
	chosen, err := s.saveFile(title, exportName(time.Now(), "zip"), exportFilters)
	if err != nil || chosen == "" {
		return
	}
	path, format, err := exportTarget(chosen)
	if err != nil {
		s.message(runtime.ErrorDialog, "Export", err.Error())
		return
	}
	query := url.Values{"format": {format}, "scrub": {strconv.FormatBool(scrub)}}
	n, err := d.exportFile(d.runCtx(), path, query, nil)
	if errors.Is(err, errBusy) {
		s.message(runtime.WarningDialog, "Export", "An export or import is already running.")
		return
	}
	if err != nil {
		s.message(runtime.ErrorDialog, "Export failed", notWritten(path, err))
		return
	}
	text := fmt.Sprintf("Exported %d %s to %s.", n, plural(n, "delivery", "deliveries"), path)
	if scrub {
		text += "\nPersonal data was replaced by pseudonyms; the fixture secret that makes the deliveries verify is in the file."
	}
	s.message(runtime.InfoDialog, "Export", text)
}

// chooseImport asks which files to import and imports them.
func (d *desktop) chooseImport(s shell) {
	paths, err := s.openFiles("Import deliveries", importFilters)
	if err != nil || len(paths) == 0 {
		return
	}
	d.importPaths(s, paths)
}

// importPaths imports files through Options.Import, one import at a time. The frontend shows
// the progress and the result (the same toast as an import it started); the result is also
// said in a native dialog when a file failed.
func (d *desktop) importPaths(s shell, paths []string) {
	if !d.transfer.TryLock() {
		s.message(runtime.WarningDialog, "Import", "An export or import is already running.")
		return
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	ctx := d.runCtx()
	d.emit(ctx, eventImportStart, map[string]any{"names": names})
	sum := runImports(ctx, paths, d.opts.Import)
	d.transfer.Unlock()
	d.emit(ctx, eventImportDone, sum)
	if sum.Failed > 0 {
		s.message(runtime.WarningDialog, "Import", summaryText(sum))
	}
}

// runCtx is the Wails context once started (context.Background before).
func (d *desktop) runCtx() context.Context {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx == nil {
		return context.Background()
	}
	return d.ctx
}

// withShell runs fn with the window's shell; nothing happens before the window started or
// after it shut down.
func (d *desktop) withShell(fn func(shell)) {
	d.mu.Lock()
	s := d.sh
	d.mu.Unlock()
	if s != nil {
		fn(s)
	}
}
