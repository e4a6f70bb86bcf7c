package app

import (
	"context"
	"encoding/json"
	"fmt"
	"hooklens/backend/decode/all"
	"strings"
	"sync"
	"testing"
	"time"
)

// notes records notifications; the watcher sends them from goroutines.
type notes struct {
	mu  sync.Mutex
	got []string
}

func (n *notes) add(title, body string) {
	n.mu.Lock()
	n.got = append(n.got, title+"|"+body)
	n.mu.Unlock()
}
func (n *notes) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string{}, n.got...)
}

func (n *notes) wait(t *testing.T, count int) []string {
	t.Helper()
	waitFor(t, func() bool { return len(n.list()) >= count })
	time.Sleep(20 * time.Millisecond) // nothing more should come
	got := n.list()
	if len(got) != count {
		t.Fatalf("notifications %q; want %d", got, count)
	}
	return got
}

// clock is a settable time with a fake time.AfterFunc.
type clock struct {
	now   time.Time
	timer func()
	delay time.Duration
}

// vendors records the saved vendor lists.
type vendors struct {
	mu   sync.Mutex
	last []string
}

func (v *vendors) set(l []string) { v.mu.Lock(); v.last = l; v.mu.Unlock() }
func (v *vendors) get() string    { v.mu.Lock(); defer v.mu.Unlock(); return strings.Join(v.last, ",") }

func testWatcher(seen []string, on *bool, n *notes, saved *vendors) (*watcher, *clock) {
	c := &clock{now: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)}
	w := newWatcher(seen, displayNames(all.Registry().Info()), func() bool { return *on }, n.add, saved.set)
	w.now = func() time.Time { return c.now }
	w.since = c.now.Add(-recentSlack)
	w.after = func(d time.Duration, f func()) { c.delay, c.timer = d, f }
	return w, c
}

func batch(items ...map[string]any) []byte {
	b, _ := json.Marshal(items)
	return b
}

func delivery(id, vendor, status string, at time.Time) map[string]any {
	return map[string]any{"id": id, "received_at": at.Format("2006-01-02T15:04:05.000000Z07:00"), "method": "POST",
		"path": "/" + vendor, "source": "receiver", "vendor": vendor, "event_type": "incoming_chat",
		"summary": "chat " + id, "decoded": true, "verification": map[string]string{"status": status, "reason": "wrong secret"}}
}

func TestWatcherFirstDeliveryPerVendor(t *testing.T) {
	on := true
	var n notes
	var saved vendors
	w, c := testWatcher([]string{"closer"}, &on, &n, &saved)
	w.observe(batch(delivery("1", "livechat", "verified", c.now), delivery("2", "livechat", "verified", c.now),
		delivery("3", "closer", "no_secret", c.now)))
	got := n.wait(t, 1)
	if got[0] != "First delivery from LiveChat|incoming_chat — chat 1" {
		t.Errorf("notification %q", got[0])
	}
	waitFor(t, func() bool { return saved.get() == "closer,livechat" })
	// Not for: undecoded, imported, received before the window opened, and not again.
	undecoded := delivery("4", "iadvize", "verified", c.now)
	undecoded["decoded"] = false
	imported := delivery("5", "iadvize", "verified", c.now)
	imported["source"] = "import"
	old := delivery("6", "iadvize", "verified", c.now.Add(-time.Hour))
	w.observe(batch(undecoded, imported, old, delivery("7", "livechat", "verified", c.now)))
	w.observe([]byte("not json"))
	n.wait(t, 1)
	// Turned off: remembered, not told.
	on = false
	w.observe(batch(delivery("8", "iadvize", "verified", c.now)))
	on = true
	w.observe(batch(delivery("9", "iadvize", "verified", c.now)))
	n.wait(t, 1)
	waitFor(t, func() bool { return saved.get() == "closer,iadvize,livechat" })
}

func TestWatcherMismatchThrottled(t *testing.T) {
	on := true
	var n notes
	var saved vendors
	w, c := testWatcher([]string{"iadvize"}, &on, &n, &saved)
	w.observe(batch(delivery("1", "iadvize", "mismatch", c.now)))
	got := n.wait(t, 1)
	if got[0] != "Verification mismatch: iAdvize|incoming_chat — chat 1\nwrong secret" {
		t.Errorf("notification %q", got[0])
	}
	c.now = c.now.Add(2 * time.Second)
	for i := 2; i <= 4; i++ {
		w.observe(batch(delivery(fmt.Sprint(i), "iadvize", "mismatch", c.now)))
	}
	w.observe(batch(delivery("4", "iadvize", "mismatch", c.now))) // the same delivery again
	n.wait(t, 1)
	if c.timer == nil || c.delay != 8*time.Second {
		t.Fatalf("timer armed for %v; want the end of the 10 s quiet", c.delay)
	}
	c.now = c.now.Add(c.delay)
	c.timer()
	got = n.wait(t, 2)
	if got[1] != "Verification mismatches|3 more deliveries did not match the configured secret." {
		t.Errorf("summary %q", got[1])
	}
	// A new quiet time started with the summary: the next one waits for it.
	c.timer = nil
	c.now = c.now.Add(time.Second)
	w.observe(batch(delivery("5", "iadvize", "mismatch", c.now)))
	n.wait(t, 2)
	if c.timer == nil {
		t.Fatal("no timer for the mismatch in the quiet time")
	}
	c.now = c.now.Add(c.delay)
	c.timer()
	got = n.wait(t, 3)
	if got[2] != "Verification mismatches|1 more delivery did not match the configured secret." {
		t.Errorf("summary %q", got[2])
	}
	// After the quiet: told at once.
	c.now = c.now.Add(time.Minute)
	w.observe(batch(delivery("6", "iadvize", "mismatch", c.now)))
	n.wait(t, 4)
}

// TestWatcherFirstDuringQuiet: a vendor's first delivery is told even while mismatches are
// being counted, before the count, in order.
func TestWatcherFirstDuringQuiet(t *testing.T) {
	on := true
	var n notes
	var saved vendors
	w, c := testWatcher([]string{"iadvize"}, &on, &n, &saved)
	w.observe(batch(delivery("1", "iadvize", "mismatch", c.now), delivery("2", "closer", "mismatch", c.now)))
	got := n.wait(t, 2)
	if !strings.HasPrefix(got[0], "Verification mismatch: iAdvize|") || got[1] != "First delivery from Closer|incoming_chat — chat 2" {
		t.Errorf("notifications %q", got)
	}
	c.now = c.now.Add(c.delay)
	c.timer()
	if got = n.wait(t, 3); !strings.HasPrefix(got[2], "Verification mismatches|1 more delivery") {
		t.Errorf("summary %q", got[2])
	}
	w.stop()
	w.observe(batch(delivery("3", "livechat", "verified", c.now)))
	n.wait(t, 3)
}

// TestFeedNotifies runs the feed through a started desktop: the live event is emitted and the
// vendors seen are saved in the store.
func TestFeedNotifies(t *testing.T) {
	store := newMemSettings()
	store.values[keyVendorsSeen] = `["closer"]`
	sh := &fakeShell{}
	now := time.Now()
	d, _ := started(Options{
		Setting: store.Setting, SetSetting: store.SetSetting, Notifications: func() bool { return true },
		Vendors: all.Registry().Info(),
		Feed: func(ctx context.Context, emit func(string, []byte)) {
			emit("deliveries", batch(delivery("1", "closer", "verified", now), delivery("2", "livechat", "mismatch", now)))
			<-ctx.Done()
		},
	}, sh)
	waitFor(t, func() bool { sh.mu.Lock(); defer sh.mu.Unlock(); return len(sh.notes) == 1 })
	waitFor(t, func() bool { return store.get(keyVendorsSeen) == `["closer","livechat"]` })
	d.shutdown(context.Background())
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if len(sh.notes) != 1 || sh.notes[0] != "First delivery from LiveChat: verification mismatch|incoming_chat — chat 2\nwrong secret" {
		t.Errorf("notes %q; want one, about the first LiveChat delivery and its mismatch", sh.notes)
	}
}
