package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// fakeShell is a window without a display: it records what was asked of it.
type fakeShell struct {
	mu                  sync.Mutex
	x, y, w, h          int
	screenW, screenH    int
	isMax, isMin        bool
	shown, reloaded     int
	quitted             int
	saveAnswer          string
	saved               []savePrompt
	openAnswer          []string
	messages            []string // "kind|title|text"
	notes               []string // "title|body"
	notifyErr           error
	sizeSet, positioned bool
}

func (f *fakeShell) size() (int, int) { f.mu.Lock(); defer f.mu.Unlock(); return f.w, f.h }
func (f *fakeShell) position() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.x, f.y
}
func (f *fakeShell) screen() (int, int) { return f.screenW, f.screenH }
func (f *fakeShell) setSize(w, h int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.w, f.h, f.sizeSet = w, h, true
}
func (f *fakeShell) setPosition(x, y int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.x, f.y, f.positioned = x, y, true
}
func (f *fakeShell) normal() bool    { f.mu.Lock(); defer f.mu.Unlock(); return !f.isMax && !f.isMin }
func (f *fakeShell) maximised() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.isMax }
func (f *fakeShell) maximise()       { f.mu.Lock(); defer f.mu.Unlock(); f.isMax = true }
func (f *fakeShell) show()           { f.mu.Lock(); defer f.mu.Unlock(); f.shown++ }
func (f *fakeShell) reload()         { f.mu.Lock(); defer f.mu.Unlock(); f.reloaded++ }
func (f *fakeShell) quit()           { f.mu.Lock(); defer f.mu.Unlock(); f.quitted++ }

func (f *fakeShell) saveFile(title, name string, filters []runtime.FileFilter) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved = append(f.saved, savePrompt{title, name, filters})
	return f.saveAnswer, nil
}

// savePrompt is what a save dialog was opened with.
type savePrompt struct {
	title, name string
	filters     []runtime.FileFilter
}

func (f *fakeShell) openFiles(string, []runtime.FileFilter) ([]string, error) {
	return f.openAnswer, nil
}

func (f *fakeShell) message(kind runtime.DialogType, title, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.messages = append(f.messages, fmt.Sprintf("%s|%s|%s", kind, title, text))
}

func (f *fakeShell) notify(title, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notes = append(f.notes, title+"|"+body)
	return f.notifyErr
}

func (f *fakeShell) lastMessage() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.messages) == 0 {
		return ""
	}
	return f.messages[len(f.messages)-1]
}

// memSettings is a settings store in memory.
type memSettings struct {
	mu     sync.Mutex
	values map[string]string
	sets   int
}

func newMemSettings() *memSettings { return &memSettings{values: map[string]string{}} }

func (m *memSettings) get(key string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.values[key]
}

func (m *memSettings) Setting(_ context.Context, key string) (string, error) { return m.get(key), nil }

func (m *memSettings) SetSetting(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values[key] = value
	m.sets++
	return nil
}

// pageEvents stands for the page's side of Wails events: what Go listens to (on) and a way to
// send it events as the page would (fire).
type pageEvents struct {
	mu        sync.Mutex
	listeners map[string]func(data ...any)
}

func (p *pageEvents) on(_ context.Context, name string, cb func(data ...any)) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.listeners == nil {
		p.listeners = map[string]func(data ...any){}
	}
	p.listeners[name] = cb
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.listeners, name)
	}
}

// fire calls the listener of name with data (decoded JSON, as Wails hands it over) in a new
// goroutine, as Wails does; false when nothing listens.
func (p *pageEvents) fire(name string, data any) bool {
	p.mu.Lock()
	cb := p.listeners[name]
	p.mu.Unlock()
	if cb == nil {
		return false
	}
	go cb(data)
	return true
}
