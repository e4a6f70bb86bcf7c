package backend

import (
	"cmp"
	"slices"
	"time"
)

// VendorUnknown is the vendor of a delivery no registered vendor claims.
const VendorUnknown = "unknown"

// Rules are what the domain must know of one vendor to group its retries and check its
// conversations' lifecycles. Each vendor's package declares its own (decode.Vendor.Rules).
type Rules struct {
	// Vendor is the vendor's id.
	Vendor string
	// DedupeWindow is how long after a first delivery one with the same dedupe key still counts
	// as a retry of it; 0 means any time (keys that are unique event ids).
	DedupeWindow time.Duration
	// DeliveryWindow is how long after an event its delivery may arrive before it counts as
	// delayed; DeliveryWhy is the vendor's documented retry behaviour that sets it.
	DeliveryWindow time.Duration
	DeliveryWhy    string
	// StartName says which event would have started a conversation ("incoming_chat").
	StartName string
	// Starts are the event types that start a conversation beyond those implying status open.
	Starts []string
	// FineAfterClose are event types that normally follow a close (tags, ratings, edits).
	FineAfterClose []string
	// FineAfterCloseUnthreaded are event types allowed after a close when they name no thread.
	FineAfterCloseUnthreaded []string
	// BorrowedTime are event types whose occurred-at time is an earlier event's, not their own.
	BorrowedTime []string
	// Retry is how the vendor retries a delivery its receiver did not accept.
	Retry Retry
	// InactivityClose is how long after its last event the vendor closes an inactive
	// conversation (0 when it does not say); InactivityWhy says so in a few words. A
	// conversation open for longer is missing its close (CheckNoClose).
	InactivityClose time.Duration
	InactivityWhy   string
	// Renamed maps an event type's older names to its newest name ("thread_closed" →
	// "chat_deactivated"): the lists above name the newest only, and an event under an older
	// name follows the same rules; search by type matches every name.
	Renamed map[string]string
}

// canonical returns the newest name of event type name under r.
func (r *Rules) canonical(name string) string {
	if n, ok := r.Renamed[name]; ok {
		return n
	}
	return name
}

// Retry is a vendor's retry policy: how long it waits for an answer, and when it tries again
// after a failed attempt (a non-2xx answer, a timeout or no connection).
type Retry struct {
	// Timeout is how long the vendor waits for an answer; 0 when it is not documented.
	Timeout time.Duration
	// Delays are the waits before each retry, each counted from the previous attempt; nil when
	// the vendor documents no retries.
	Delays []time.Duration
	// Exact is true when Delays are the vendor's documented schedule, false when they are our
	// reading of a vaguer statement ("3 retries within about a minute").
	Exact bool
	// Why says where the policy comes from, in a few words.
	Why string
	// CorrelationHeader names the header that stays the same across the retries of one event
	// ("" when the vendor sends none); the body's dedupe key identifies a retry otherwise.
	CorrelationHeader string
}

// Span is how long after the first attempt the last retry comes: a receiver that does not
// answer for longer than this loses the events sent meanwhile for good.
func (r Retry) Span() time.Duration {
	var d time.Duration
	for _, x := range r.Delays {
		d += x
	}
	return d
}

// DefaultTimeout is the answer timeout assumed for a vendor that documents none.
const DefaultTimeout = 10 * time.Second

// TimeoutOr returns Timeout, or def when the vendor documents none.
func (r Retry) TimeoutOr(def time.Duration) time.Duration { return cmp.Or(r.Timeout, def) }

// defaultRules apply to a vendor no rulebook knows.
var defaultRules = Rules{
	DedupeWindow:   15 * time.Minute,
	DeliveryWindow: 5 * time.Minute,
	DeliveryWhy:    "the sender's retry schedule is unknown",
	StartName:      "a start event",
}

// Rulebook holds the rules of every registered vendor. The nil Rulebook knows no vendor: every
// vendor gets the default rules.
type Rulebook struct {
	rules map[string]*Rules
	names []string
}

// NewRulebook returns the rulebook of rules, one per vendor, in the given order.
func NewRulebook(rules ...Rules) *Rulebook {
	b := &Rulebook{rules: make(map[string]*Rules, len(rules))}
	for i := range rules {
		r := rules[i]
		b.rules[r.Vendor] = &r
		b.names = append(b.names, r.Vendor)
	}
	return b
}

// Vendors returns the ids of the vendors the rulebook knows, in registration order (a copy).
func (b *Rulebook) Vendors() []string {
	if b == nil {
		return nil
	}
	return slices.Clone(b.names)
}

// Of returns the rules of vendor, or the default rules of an unknown sender.
func (b *Rulebook) Of(vendor string) *Rules {
	if b != nil {
		if r := b.rules[vendor]; r != nil {
			return r
		}
	}
	return &defaultRules
}

// DedupeWindow returns Of(vendor).DedupeWindow (see Rules).
func (b *Rulebook) DedupeWindow(vendor string) time.Duration { return b.Of(vendor).DedupeWindow }

// DeliveryWindow returns how long after an event its delivery may arrive before it counts as
// delayed, and the vendor's documented retry behaviour that sets the window.
func (b *Rulebook) DeliveryWindow(vendor string) (time.Duration, string) {
	r := b.Of(vendor)
	return cmp.Or(r.DeliveryWindow, defaultRules.DeliveryWindow), cmp.Or(r.DeliveryWhy, defaultRules.DeliveryWhy)
}

func (b *Rulebook) startName(vendor string) string {
	return cmp.Or(b.Of(vendor).StartName, defaultRules.StartName)
}

func (b *Rulebook) starts(it *TimelineItem) bool {
	if it.StatusOf == StatusOfConversation && (it.Status == StatusOpen || it.Status == StatusReopened) {
		return true
	}
	r := b.Of(it.Vendor)
	return slices.Contains(r.Starts, r.canonical(it.EventType))
}

// fineAfterClose reports an event that may follow a close without a reopen or a new thread.
func (b *Rulebook) fineAfterClose(it *TimelineItem) bool {
	r := b.Of(it.Vendor)
	name := r.canonical(it.EventType)
	return slices.Contains(r.FineAfterClose, name) ||
		(it.ThreadID == "" && slices.Contains(r.FineAfterCloseUnthreaded, name))
}

// ownTime reports whether the item has an event time of its own to compare with others.
func (b *Rulebook) ownTime(it *TimelineItem) bool {
	r := b.Of(it.Vendor)
	return it.OccurredAt != nil && !slices.Contains(r.BorrowedTime, r.canonical(it.EventType))
}

// EventNames returns every name event type name has had or has for any vendor (itself
// included, sorted): what a search by type matches.
func (b *Rulebook) EventNames(name string) []string {
	out := []string{name}
	if b == nil {
		return out
	}
	for _, v := range b.names {
		r := b.rules[v]
		canon := r.canonical(name)
		for old, cur := range r.Renamed {
			if cur == canon && !slices.Contains(out, old) {
				out = append(out, old)
			}
		}
		if !slices.Contains(out, canon) {
			out = append(out, canon)
		}
	}
	slices.Sort(out)
	return out
}
