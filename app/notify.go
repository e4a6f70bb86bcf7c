package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"hooklens/backend/api"
)

// keyVendorsSeen is the settings key listing the vendors a delivery was received from, so that
// "first delivery from" is said once per data store.
const keyVendorsSeen = "desktop.vendors_seen"

// mismatchQuiet is the least time between two notifications about verification mismatches;
// mismatches in between are counted and told at its end.
const mismatchQuiet = 10 * time.Second

// recentSlack lets deliveries received just before the window opened count as live.
const recentSlack = 30 * time.Second

// maxRemembered bounds the delivery ids kept to avoid telling about one twice.
const maxRemembered = 4096

// watcher turns the live feed into desktop notifications: the first delivery ever received
// from a vendor, and verification mismatches (at most one notification per mismatchQuiet, with
// a count). Only deliveries captured by the receiver since the window opened count: imports,
// samples and deliveries decoded again (after a secret change) do not.
type watcher struct {
	enabled func() bool
	notify  func(title, body string)
	persist func(vendors []string)
	now     func() time.Time
	after   func(d time.Duration, f func()) // time.AfterFunc; a fake in tests
	since   time.Time

	saving    sync.Mutex // one save at a time, each with the list as it is then
	mu        sync.Mutex
	seen      map[string]bool
	told      map[string]bool            // delivery ids already counted as mismatches
	quietTill time.Time                  // no mismatch notification before this
	waiting   int                        // mismatches since the last notification, told when the quiet ends
	armed     bool                       // a timer will tell the waiting ones
	queue     chan [2]string             // notifications to show, in order
	name      func(vendor string) string // display name of a vendor id
	stopped   bool
}

func newWatcher(seen []string, name func(string) string, enabled func() bool, notify func(title, body string), persist func([]string)) *watcher {
	if name == nil {
		name = func(v string) string { return v }
	}
	w := &watcher{name: name, enabled: enabled, notify: notify, persist: persist, now: time.Now,
		after: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		seen:  map[string]bool{}, told: map[string]bool{}}
	w.since = w.now().Add(-recentSlack)
	for _, v := range seen {
		w.seen[v] = true
	}
	return w
}

// observe reads one batch of the feed (the JSON array of the "deliveries" event).
func (w *watcher) observe(data []byte) {
	var items api.DeliveriesMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return
	}
	for _, it := range items {
		w.item(it)
	}
}

func (w *watcher) item(it api.DeliveryItem) {
	if !it.Decoded || it.Vendor == "" || it.Source != "receiver" {
		return
	}
	if at, err := time.Parse(time.RFC3339Nano, it.ReceivedAt); err != nil || at.Before(w.since) {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	name := w.name(it.Vendor)
	first := !w.seen[it.Vendor]
	if first {
		w.seen[it.Vendor] = true
		if w.persist != nil {
			go w.save()
		}
	}
	mismatch := it.Verification.Status == "mismatch" && !w.told[it.ID]
	if mismatch {
		if len(w.told) >= maxRemembered {
			clear(w.told)
		}
		w.told[it.ID] = true
	}
	now := w.now()
	switch {
	case mismatch && now.Before(w.quietTill):
		w.waiting++
		if !w.armed {
			w.armed = true
			w.after(w.quietTill.Sub(now), w.endQuiet)
		}
		if first {
			w.tell("First delivery from "+name, describe(it))
		}
	case mismatch:
		w.quietTill = now.Add(mismatchQuiet)
		title := "Verification mismatch: " + name
		if first {
			title = "First delivery from " + name + ": verification mismatch"
		}
		body := describe(it)
		if it.Verification.Reason != "" {
			body += "\n" + it.Verification.Reason
		}
		w.tell(title, body)
	case first:
		w.tell("First delivery from "+name, describe(it))
	}
}

// stop ends the goroutine that shows notifications; later ones are dropped.
func (w *watcher) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped && w.queue != nil {
		close(w.queue)
	}
	w.stopped = true
}

// save stores the vendors seen.
func (w *watcher) save() {
	w.saving.Lock()
	defer w.saving.Unlock()
	w.mu.Lock()
	vendors := make([]string, 0, len(w.seen))
	for v := range w.seen {
		vendors = append(vendors, v)
	}
	w.mu.Unlock()
	slices.Sort(vendors)
	w.persist(vendors)
}

// endQuiet tells the mismatches counted during the quiet time, and starts a new one.
func (w *watcher) endQuiet() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.armed = false
	if w.waiting == 0 {
		return
	}
	n := w.waiting
	w.waiting = 0
	w.quietTill = w.now().Add(mismatchQuiet)
	noun := "deliveries"
	if n == 1 {
		noun = "delivery"
	}
	w.tell("Verification mismatches", fmt.Sprintf("%d more %s did not match the configured secret.", n, noun))
}

// tell notifies unless notifications are turned off; it is called with w.mu held and does not
// block: notifications are shown in order by one goroutine, and dropped when many are waiting.
func (w *watcher) tell(title, body string) {
	if w.stopped || (w.enabled != nil && !w.enabled()) {
		return
	}
	if w.queue == nil {
		w.queue = make(chan [2]string, 16)
		go func(q <-chan [2]string) {
			for n := range q {
				w.notify(n[0], n[1])
			}
		}(w.queue)
	}
	select {
	case w.queue <- [2]string{title, body}:
	default:
	}
}

func describe(it api.DeliveryItem) string {
	s := it.EventType
	if s == "" {
		s = it.Method + " " + it.Path
	}
	if it.Summary != "" {
		s += " — " + it.Summary
	}
	return s
}

// loadVendorsSeen reads the vendors already seen in this data store.
func loadVendorsSeen(get func(ctx context.Context, key string) (string, error)) []string {
	if get == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s, err := get(ctx, keyVendorsSeen)
	var vendors []string
	if err != nil || (s != "" && json.Unmarshal([]byte(s), &vendors) != nil) {
		slog.Warn("desktop: vendors seen unreadable", "err", err)
	}
	return vendors
}

// vendorsSaver stores the vendors seen through set.
func vendorsSaver(set func(ctx context.Context, key, value string) error) func([]string) {
	return func(vendors []string) {
		b, _ := json.Marshal(vendors)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := set(ctx, keyVendorsSeen, string(b)); err != nil {
			slog.Warn("desktop: vendors seen not saved", "err", err)
		}
	}
}
