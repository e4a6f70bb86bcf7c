package backend

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// Lifecycle check codes, shown on the timeline item where the finding happens.
const (
	CheckDuplicate         = "duplicate"           // a vendor retry of an earlier delivery
	CheckOutOfOrder        = "out_of_order"        // arrived after an event that happened later
	CheckDeliveryDelay     = "delivery_delay"      // arrived later than the vendor's retries explain
	CheckAfterClose        = "after_close"         // happened after a close, with no reopen or new thread
	CheckCloseWithoutStart = "close_without_start" // a close whose start was never received
	// Expected but not seen (issue 20): each is a gap in what was captured, searchable with has:gap.
	CheckMissingStart = "missing_start" // the conversation's first event is not its start: the start was never captured
	CheckThreadGap    = "thread_gap"    // a thread appears without the event that starts it
	CheckRetryOnly    = "retry_only"    // arrived when only a retry would: the earlier attempts never reached us
	CheckNoClose      = "no_close"      // no close after the vendor's inactivity limit (read-time, see CheckInactivity)
)

// GapChecks are the checks of events expected but not seen (has:gap).
var GapChecks = []string{CheckMissingStart, CheckThreadGap, CheckRetryOnly, CheckNoClose, CheckCloseWithoutStart}

// Statuses and status owners the timeline logic reads (decoders set them on Event).
const (
	StatusOfConversation = "conversation"
	StatusOfAgent        = "agent"
	StatusOpen           = "open"
	StatusReopened       = "reopened"
	StatusClosed         = "closed"
)

// Check is one lifecycle finding on a timeline item.
type Check struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// TimelineItem is one delivery's event on a conversation or agent timeline.
type TimelineItem struct {
	Seq          int64        `json:"-"` // arrival order
	DeliveryID   string       `json:"delivery_id"`
	Vendor       string       `json:"vendor"`
	EventType    string       `json:"event_type"`
	OccurredAt   *time.Time   `json:"occurred_at"`
	ReceivedAt   time.Time    `json:"received_at"`
	Summary      string       `json:"summary"`
	Actors       []Actor      `json:"actors"`
	Conversation string       `json:"conversation,omitempty"`
	ThreadID     string       `json:"thread_id"`
	Verification Verification `json:"verification"`
	FlagCount    int          `json:"flag_count"`
	DuplicateOf  string       `json:"duplicate_of"` // id of the first delivery when this is a retry
	// FirstAnswer is the HTTP status Hooklens answered the first delivery with, for a retry (0:
	// not known). The checks only: what the retry's vendor was told the first time.
	FirstAnswer int     `json:"-"`
	Status      string  `json:"status,omitempty"`
	StatusOf    string  `json:"status_of,omitempty"`
	Checks      []Check `json:"checks"`
}

// At returns when the item happened: OccurredAt, else ReceivedAt.
func (it *TimelineItem) At() time.Time {
	if it.OccurredAt != nil {
		return *it.OccurredAt
	}
	return it.ReceivedAt
}

// Participant is an actor of a conversation with every role it had.
type Participant struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	Name  string   `json:"name,omitempty"`
	Email string   `json:"email,omitempty"`
	Roles []string `json:"roles"`
}

// Conversation is a LiveChat chat, an iAdvize conversation or a Closer room, as its events tell it.
type Conversation struct {
	Vendor       string        `json:"vendor"`
	ExternalID   string        `json:"external_id"`
	Organization string        `json:"organization"`
	Status       string        `json:"status"`      // from the latest event that implies one
	EventCount   int           `json:"event_count"` // events, not retries
	FirstAt      time.Time     `json:"first_at"`
	LastAt       time.Time     `json:"last_at"`
	Threads      []string      `json:"threads"` // in the order they started
	Participants []Participant `json:"participants"`
	LastSummary  string        `json:"last_summary"`
}

// Agent is an agent or bot of one vendor, as its events tell it.
type Agent struct {
	Vendor            string    `json:"vendor"`
	ExternalID        string    `json:"external_id"`
	Kind              string    `json:"kind"` // KindAgent or KindBot
	Name              string    `json:"name"`
	Email             string    `json:"email"`
	Status            string    `json:"status"` // from its latest status or login event
	ConversationCount int       `json:"conversation_count"`
	EventCount        int       `json:"event_count"`
	LastAt            time.Time `json:"last_at"`
}

// ConversationFilter selects conversations; zero fields do not filter.
type ConversationFilter struct {
	Vendor string
	Status string
	Agent  string // id of an agent or bot taking part
	Query  string // search expression (ParseQuery)
	Cursor string
	Limit  int
}

// AgentFilter selects agents; zero fields do not filter.
type AgentFilter struct {
	Vendor string
	Status string
	Query  string // search expression (ParseQuery)
	Cursor string
	Limit  int
}

// TimelineFilter selects a window of a timeline.
type TimelineFilter struct {
	Cursor string
	Limit  int
}

// Timeline is a window of the events of a conversation or an agent, in the order they happened.
type Timeline struct {
	Conversation *Conversation // set on a conversation timeline
	Agent        *Agent        // set on an agent timeline
	Items        []TimelineItem
	Total        int    // items on the whole timeline, retries included
	Next         string // cursor of the next window, "" when done
}

// TimelineReader reads conversations, agents and their timelines.
type TimelineReader interface {
	// FindConversations returns a page of conversations, latest activity first, and the next
	// cursor ("" when done); EINVALID for a bad cursor or query.
	FindConversations(ctx context.Context, f ConversationFilter) ([]*Conversation, string, error)
	// FindAgents returns a page of agents, latest activity first, and the next cursor.
	FindAgents(ctx context.Context, f AgentFilter) ([]*Agent, string, error)
	// ConversationTimeline returns the conversation and a window of its events with their
	// checks; ENOTFOUND when there is no such conversation.
	ConversationTimeline(ctx context.Context, vendor, id string, f TimelineFilter) (*Timeline, error)
	// AgentTimeline returns the agent and a window of the events involving it; ENOTFOUND when
	// there is no such agent.
	AgentTimeline(ctx context.Context, vendor, id string, f TimelineFilter) (*Timeline, error)
}

func closes(it *TimelineItem) bool {
	return it.StatusOf == StatusOfConversation && it.Status == StatusClosed
}

// CheckTimeline sets the lifecycle checks of items, by the rules of b, the events of one conversation (any order;
// they are read in timeline order: At, then arrival), and returns the lifecycle state after the
// last one. Retries get only duplicate and delivery_delay: they are attempts of an event already
// checked.
func (b *Rulebook) CheckTimeline(items []TimelineItem) Lifecycle {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
		items[i].Checks = nil
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &items[order[a]], &items[order[b]]
		if tx, ty := x.At(), y.At(); !tx.Equal(ty) {
			return tx.Before(ty)
		}
		return x.Seq < y.Seq
	})
	byID := make(map[string]*TimelineItem, len(items))
	for i := range items {
		byID[items[i].DeliveryID] = &items[i]
	}
	for _, i := range order {
		checkDuplicate(&items[i], byID[items[i].DuplicateOf])
	}
	b.checkOrder(items, order)
	var l Lifecycle
	for _, i := range order {
		b.checkDelay(&items[i])
		b.checkRetryOnly(&items[i])
		l.Step(b, &items[i])
	}
	for i := range items {
		if items[i].Checks == nil {
			items[i].Checks = []Check{}
		}
	}
	return l
}

// CheckItem sets, by the rules of b, the checks an item has on its own: duplicate (first is the delivery it retries,
// nil when unknown) and delivery_delay. With Lifecycle.Step, it checks an event appended at the
// end of a conversation's timeline, which can change no other item's checks.
func (b *Rulebook) CheckItem(it, first *TimelineItem) {
	it.Checks = nil
	checkDuplicate(it, first)
	b.checkDelay(it)
	b.checkRetryOnly(it)
	if it.Checks == nil {
		it.Checks = []Check{}
	}
}

func (it *TimelineItem) add(code, format string, args ...any) {
	it.Checks = append(it.Checks, Check{Code: code, Reason: fmt.Sprintf(format, args...)})
}

func checkDuplicate(it, first *TimelineItem) {
	if it.DuplicateOf == "" {
		return
	}
	after := ""
	if first != nil && !it.ReceivedAt.Before(first.ReceivedAt) {
		after = ", received " + span(it.ReceivedAt.Sub(first.ReceivedAt)) + " after it"
	}
	switch a := it.FirstAnswer; {
	case a == 0:
		it.add(CheckDuplicate, "retry of delivery %s%s: the same event sent again, counted once", it.DuplicateOf, after)
	case a < 200 || a > 299:
		it.add(CheckDuplicate, "retry of delivery %s%s, which Hooklens answered %d %s: the vendor sent the event again after that error, counted once",
			it.DuplicateOf, after, a, http.StatusText(a))
	default:
		it.add(CheckDuplicate, "retry of delivery %s%s, though Hooklens answered that one %d: the vendor did not get the answer in time (a delayed custom response, a slow tunnel) or sends some events twice; counted once",
			it.DuplicateOf, after, a)
	}
}

// checkOrder flags an item received after another that happened strictly later. Only items
// with their own event time and that are not retries are compared.
func (b *Rulebook) checkOrder(items []TimelineItem, order []int) {
	var timed []*TimelineItem
	for _, i := range order {
		if it := &items[i]; b.ownTime(it) && it.DuplicateOf == "" {
			timed = append(timed, it)
		}
	}
	var first *TimelineItem // earliest arrival among the items that happened later than the group
	for end := len(timed); end > 0; {
		start := end - 1
		for start > 0 && timed[start-1].OccurredAt.Equal(*timed[end-1].OccurredAt) {
			start--
		}
		group := timed[start:end]
		for _, it := range group {
			if first != nil && first.Seq < it.Seq {
				it.add(CheckOutOfOrder, "received after delivery %s (%s), which happened %s later: the arrival order differs from the event order",
					first.DeliveryID, first.EventType, span(first.OccurredAt.Sub(*it.OccurredAt)))
			}
		}
		for _, it := range group {
			if first == nil || it.Seq < first.Seq {
				first = it
			}
		}
		end = start
	}
}

func (b *Rulebook) checkDelay(it *TimelineItem) {
	if !b.ownTime(it) {
		return
	}
	window, why := b.DeliveryWindow(it.Vendor)
	if d := it.ReceivedAt.Sub(*it.OccurredAt); d > window {
		it.add(CheckDeliveryDelay, "received %s after it happened, more than %s: %s, so this delivery was held up (sender queue, tunnel or clock skew)",
			span(d), span(window), why)
	}
}

// Lifecycle is where a conversation stands after some of its events, read in timeline order: the
// close in force, and the threads a start was seen for. The zero value is before any event.
type Lifecycle struct {
	Closed  *LifecycleClose `json:"closed,omitempty"`
	Started []string        `json:"started,omitempty"` // thread ids; "" is the whole conversation
	// Missing is true once a missing start was reported; Gapped are the threads reported as
	// appearing without their start.
	Missing bool     `json:"missing,omitempty"`
	Gapped  []string `json:"gapped,omitempty"`
}

// LifecycleClose is the close in force.
type LifecycleClose struct {
	DeliveryID string    `json:"delivery_id"`
	At         time.Time `json:"at"`
	ThreadID   string    `json:"thread_id"`
}

// Step adds to it the checks its place in the lifecycle gives (after_close, close_without_start),
// by the rules of b, and moves l past it. Retries are skipped.
func (l *Lifecycle) Step(b *Rulebook, it *TimelineItem) {
	if it.DuplicateOf != "" {
		return
	}
	if b.starts(it) {
		l.Closed = nil
		if !slices.Contains(l.Started, it.ThreadID) {
			l.Started = append(l.Started, it.ThreadID)
		}
		return
	}
	l.checkMissing(b, it)
	c := l.Closed
	if c != nil && it.ThreadID != "" && c.ThreadID != "" && it.ThreadID != c.ThreadID {
		c, l.Closed = nil, nil // a new thread
	}
	if c != nil && !b.fineAfterClose(it) {
		what := "happened after"
		if closes(it) {
			what = "closes again after"
		}
		it.add(CheckAfterClose, "%s the close by delivery %s (%s) with no reopen or new thread in between",
			what, c.DeliveryID, c.At.UTC().Format(time.RFC3339))
	}
	if closes(it) {
		if !slices.Contains(l.Started, it.ThreadID) && !slices.Contains(l.Started, "") && (it.ThreadID != "" || len(l.Started) == 0) {
			it.add(CheckCloseWithoutStart, "closes %s, but its start (%s) was never received: it began before capture, the start webhook is not registered, or it was lost",
				scope(it), b.startName(it.Vendor))
		}
		l.Closed = &LifecycleClose{DeliveryID: it.DeliveryID, At: it.At(), ThreadID: it.ThreadID}
	}
}

func scope(it *TimelineItem) string {
	return map[bool]string{true: "thread " + it.ThreadID, false: "the conversation"}[it.ThreadID != ""]
}

// span renders a duration for a reason: whole seconds from a minute up, else to the millisecond.
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d >= time.Minute {
		s := d.Round(time.Second).String() // 2m0s, 2m20s, 1h0m0s
		if strings.HasSuffix(s, "m0s") {
			s = s[:len(s)-2]
		}
		if strings.HasSuffix(s, "h0m") {
			s = s[:len(s)-2]
		}
		return s
	}
	return d.Round(time.Millisecond).String()
}

// checkMissing adds missing_start to the first event of a conversation whose start was not seen
// before it, and thread_gap to the first event of a later thread whose start was not seen.
// Closes have close_without_start instead; events that normally follow a close (tags, ratings,
// properties) may concern a conversation long over, and say nothing of a missed start.
func (l *Lifecycle) checkMissing(b *Rulebook, it *TimelineItem) {
	r := b.Of(it.Vendor)
	if r.StartName == "" || r.StartName == defaultRules.StartName || closes(it) || b.fineAfterClose(it) ||
		slices.Contains(r.FineAfterClose, it.EventType) {
		return
	}
	switch {
	case len(l.Started) == 0 && !l.Missing:
		l.Missing = true
		if it.ThreadID != "" {
			l.Gapped = append(l.Gapped, it.ThreadID)
		}
		it.add(CheckMissingStart, "the conversation's first event is %s, not its start (%s): the start was never captured (it began before capture, the start webhook is not registered, or the delivery was lost)",
			it.EventType, r.StartName)
	case it.ThreadID != "" && !slices.Contains(l.Started, it.ThreadID) && !slices.Contains(l.Gapped, it.ThreadID) &&
		(len(l.Started) > 0 || l.Missing):
		l.Gapped = append(l.Gapped, it.ThreadID)
		it.add(CheckThreadGap, "thread %s appears without its start (%s): that delivery was never captured", it.ThreadID, r.StartName)
	}
}

// checkRetryOnly flags an event received when only one of the vendor's retries would come: its
// earlier attempts never reached Hooklens (it was not listening, the tunnel was down, or it
// answered an error). Only first deliveries with an event time of their own, received within the
// vendor's delivery window (later ones are delivery_delay), of vendors whose retry schedule is
// documented exactly, are checked. ExplainRetryOnly says which, where coverage knows.
func (b *Rulebook) checkRetryOnly(it *TimelineItem) {
	if what, ok := b.retryOnly(it); ok {
		it.add(CheckRetryOnly, "%s, which was not listening, unreachable through the tunnel, or answered an error then", what)
	}
}

// retryOnly says when it arrived and which attempt that is, when it is a retry_only.
func (b *Rulebook) retryOnly(it *TimelineItem) (string, bool) {
	r := b.Of(it.Vendor)
	if it.DuplicateOf != "" || !b.ownTime(it) || len(r.Retry.Delays) == 0 || !r.Retry.Exact {
		return "", false // a schedule that is only our reading of the vendor's words tells nothing this precise
	}
	d := it.ReceivedAt.Sub(*it.OccurredAt)
	window, _ := b.DeliveryWindow(it.Vendor)
	if d < r.Retry.Delays[0] || d > window {
		return "", false
	}
	var at time.Duration
	attempt := 1
	for k, x := range r.Retry.Delays {
		if at+x > d {
			break
		}
		at, attempt = at+x, k+2
	}
	return fmt.Sprintf("received %s after it happened, when attempt %d comes (%s after the first): the earlier attempts never reached Hooklens",
		span(d), attempt, span(at)), true
}

// ExplainRetryOnly says, on each retry_only check of items, why the first attempt (sent when
// the event happened) never reached Hooklens, from what coverage recorded around then: runs
// (with the last one before) and the gaps b.Gaps found in them. A first attempt in a gap gets the
// gap's reason; one while Hooklens ran and its tunnel probes passed was lost on the way; one
// before any recorded run keeps the check as it is.
func (b *Rulebook) ExplainRetryOnly(items []TimelineItem, runs []Run, gaps []Gap) {
	for i := range items {
		it := &items[i]
		k := slices.IndexFunc(it.Checks, func(c Check) bool { return c.Code == CheckRetryOnly })
		what, ok := b.retryOnly(it)
		if k < 0 || !ok {
			continue
		}
		first := *it.OccurredAt
		why := ""
		if g := slices.IndexFunc(gaps, func(g Gap) bool { return !first.Before(g.From) && first.Before(g.To) }); g >= 0 {
			why = gaps[g].Reason
		} else if slices.ContainsFunc(runs, func(r Run) bool { return !first.Before(r.Started) && !first.After(runEnd(r, it.ReceivedAt)) }) {
			why = "Hooklens was listening then and its tunnel probes, if any, got through: the attempts were lost on the way (tunnel, network) or refused before they reached it"
		}
		if why != "" {
			it.Checks[k].Reason = what + ": " + why
		}
	}
}

// CheckInactivity adds no_close to the latest event of conversation c among items (its whole
// timeline, in order; a retry only when nothing else is left, as the conversation's last_seq),
// when c is not closed and nothing happened in it for longer than its vendor closes inactive
// conversations after (Rules.InactivityClose): the close was expected by now and not seen.
func (b *Rulebook) CheckInactivity(c *Conversation, items []TimelineItem, now time.Time) {
	if c == nil || len(items) == 0 {
		return
	}
	last := &items[len(items)-1]
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].DuplicateOf == "" {
			last = &items[i]
			break
		}
	}
	r := b.Of(c.Vendor)
	if r.InactivityClose <= 0 || c.Status == StatusClosed {
		return
	}
	if idle := now.Sub(c.LastAt); idle > r.InactivityClose {
		last.add(CheckNoClose, "no close in the %s since this last event, though %s: the close was not captured",
			span(idle.Round(time.Minute)), r.InactivityWhy)
	}
}
