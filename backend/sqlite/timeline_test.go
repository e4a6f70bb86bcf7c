package sqlite_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/sqlite"
)

// scene captures deliveries as a vendor sends them and decodes them with the real registry.
type scene struct {
	db  *sqlite.DB
	reg *decode.Registry
	ids map[string]string // name → delivery id
}

func newScene(tb testing.TB) *scene {
	tb.Helper()
	return &scene{db: MustOpenDB(tb), reg: all.Registry(), ids: map[string]string{}}
}

// send captures body on path at time at, under name.
func (s *scene) send(tb testing.TB, name, path string, at time.Time, body string, hdr ...backend.Header) {
	tb.Helper()
	d := &backend.Delivery{Method: "POST", Path: path, Body: []byte(body), Size: int64(len(body)), Status: 200,
		ContentType: "application/json", ReceivedAt: at,
		Headers: append(backend.Headers{{Name: "Content-Type", Value: "application/json"}}, hdr...)}
	mustAdd(tb, s.db, d)
	s.ids[name] = d.ID
}

// decode decodes every delivery not yet decoded (or decoded by another version), in arrival order.
func (s *scene) decode(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	for after := int64(0); ; {
		pend, err := s.db.PendingDecode(ctx, after, decode.Version, 100)
		if err != nil {
			tb.Fatal(err)
		}
		if len(pend) == 0 {
			return
		}
		evs := make([]backend.Decoded, len(pend))
		for i, p := range pend {
			ev := s.reg.Decode(p.Delivery, nil)
			evs[i] = backend.Decoded{Seq: p.Seq, Version: decode.Version, Event: ev, Text: ev.Summary}
		}
		after = pend[len(pend)-1].Seq
		if err := s.db.PutEvents(ctx, evs, decode.Version, after); err != nil {
			tb.Fatal(err)
		}
	}
}

func (s *scene) name(id string) string {
	for n, v := range s.ids {
		if v == id {
			return n
		}
	}
	return id
}

// order returns the names of the items, in timeline order.
func (s *scene) order(items []backend.TimelineItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = s.name(it.DeliveryID)
	}
	return out
}

// checkChecks asserts that each item has exactly the check codes want gives its name.
func (s *scene) checkChecks(t *testing.T, tl *backend.Timeline, want map[string][]string) {
	t.Helper()
	for _, it := range tl.Items {
		var got []string
		for _, c := range it.Checks {
			got = append(got, c.Code)
			if c.Reason == "" {
				t.Errorf("check %s on %s has no reason", c.Code, s.name(it.DeliveryID))
			}
		}
		sort.Strings(got)
		w := slices.Clone(want[s.name(it.DeliveryID)])
		sort.Strings(w)
		if !slices.Equal(got, w) {
			t.Errorf("Checks(%s) = %v; want %v (%+v)", s.name(it.DeliveryID), got, w, it.Checks)
		}
	}
}

func roles(c *backend.Conversation) map[string]string {
	out := map[string]string{}
	for _, p := range c.Participants {
		r := slices.Clone(p.Roles)
		sort.Strings(r)
		out[p.ID] = p.Kind + ":" + strings.Join(r, ",")
	}
	return out
}

func mustTimeline(tb testing.TB, db *sqlite.DB, vendor, id string, f backend.TimelineFilter) *backend.Timeline {
	tb.Helper()
	tl, err := db.ConversationTimeline(context.Background(), vendor, id, f)
	if err != nil {
		tb.Fatalf("ConversationTimeline(%s, %s) = %v", vendor, id, err)
	}
	return tl
}

func mustAgentTimeline(tb testing.TB, db *sqlite.DB, vendor, id string, f backend.TimelineFilter) *backend.Timeline {
	tb.Helper()
	tl, err := db.AgentTimeline(context.Background(), vendor, id, f)
	if err != nil {
		tb.Fatalf("AgentTimeline(%s, %s) = %v", vendor, id, err)
	}
	return tl
}

func findAgent(tb testing.TB, db *sqlite.DB, vendor, id string) *backend.Agent {
	tb.Helper()
	tl := mustAgentTimeline(tb, db, vendor, id, backend.TimelineFilter{Limit: 1})
	return tl.Agent
}

var day = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// at returns the time hh:mm:ss.fff of the test day.
func at(clock string) time.Time {
	t, err := time.Parse("15:04:05.000", clock)
	if err != nil {
		panic(err)
	}
	return day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond()))
}

func iso(clock string) string { return at(clock).Format("2006-01-02T15:04:05.000000Z") }
