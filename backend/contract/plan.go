// Package contract tests a webhook handler against recorded deliveries: it plans what to send
// (order, edits, signatures, retries, duplicates), sends it as the vendor would, checks every
// answer against the expectations and reports per delivery.
package contract

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/export"
	"hooklens/backend/replay"
)

// Orders of a run.
const (
	OrderTimeline = "timeline" // when the events happened (each conversation's timeline order), ties by arrival
	OrderArrival  = "arrival"  // when they were received
)

// Kinds of attempts.
const (
	KindFirst     = "first"
	KindRetry     = "retry"
	KindDuplicate = "duplicate"
)

// Input is one recorded delivery to test with, and the file it comes from ("" for the store).
type Input struct {
	Delivery *backend.Delivery
	File     string
}

// Options say how a run sends and what it expects.
type Options struct {
	To          string  `json:"to"`
	Order       string  `json:"order"`       // OrderTimeline (default) or OrderArrival
	Pace        string  `json:"pace"`        // replay.PaceFast (default) or replay.PaceOriginal
	Speed       float64 `json:"speed"`       // divides original intervals and retry delays; default 1
	Concurrency int     `json:"concurrency"` // requests in flight at once; default 1
	// Timeout is how long an answer may take; 0 takes each vendor's (backend.Retry.TimeoutOr).
	Timeout time.Duration `json:"timeout"`
	// Signing is export.Signed (default), export.Unsigned or export.Tampered.
	Signing string `json:"signing"`
	// Secrets are the vendors' secrets to sign with (a file's own, overridden by --secret).
	Secrets map[string]string `json:"-"`
	Sets    []string          `json:"set,omitempty"` // PATH=VALUE
	IDMap   map[string]string `json:"map,omitempty"` // old id → new id
	// Retries sends every delivery again on the vendor's retry schedule.
	Retries bool `json:"retries"`
	// Shuffle reorders deliveries within windows of this many; 0 keeps the order.
	Shuffle int `json:"shuffle"`
	// DuplicateRate is the chance each delivery is sent a second time a little later.
	DuplicateRate float64 `json:"duplicate_rate"`
	// Seed drives shuffling and duplicates; 0 picks one (reported, to reproduce the run).
	Seed uint64 `json:"seed"`
	// Expect adds rules to the default one; nil expects every answer 2xx in time.
	Expect *Expectations `json:"-"`
}

// Case is one delivery under test: what is sent, and every attempt's answer and verdict.
type Case struct {
	Index        int               `json:"index"`
	DeliveryID   string            `json:"delivery_id"`
	Vendor       string            `json:"vendor"`
	EventType    string            `json:"event_type"`
	Conversation string            `json:"conversation"` // vendor/id, "" when the event names none
	File         string            `json:"file,omitempty"`
	Method       string            `json:"method"`
	URL          string            `json:"url"`
	Signing      string            `json:"signing"` // what signing did to it
	Timeout      time.Duration     `json:"-"`
	Request      *backend.Delivery `json:"-"` // what is sent: edited and signed
	Rule         Rule              `json:"-"`
	Attempts     []Attempt         `json:"attempts"`
	Failures     []string          `json:"failures"`
	// Passed is true when every attempt got the answer it should.
	Passed bool `json:"passed"`

	received time.Time
	head     []byte // the request line and headers as sent
	retries  []time.Duration
	planned  int // attempts planned: the first, retries, duplicates
}

// send is one request of the run: attempt n (0 the first) of a case.
type send struct {
	c    *Case
	kind string
	n    int
	due  time.Time
}

// Plan is what a run will send, in order, with the seed that reproduces it.
type Plan struct {
	Options Options
	Cases   []*Case
	Seed    uint64
	sends   []send // firsts and duplicates, in sending order
	// Warnings are things the run does differently from what was asked ("no iadvize secret").
	Warnings []string
}

// NewPlan checks opts and plans the run of inputs: decoded with reg, edited (--map, then
// --set), signed, ordered, shuffled, with duplicates. EINVALID for bad options, a --set path
// that no delivery has, or nothing to send.
func NewPlan(reg *decode.Registry, inputs []Input, opts Options) (*Plan, error) {
	if err := check(&opts); err != nil {
		return nil, err
	}
	target, _ := replay.ParseTarget(opts.To)
	sets := make([]export.Set, 0, len(opts.Sets))
	for _, s := range opts.Sets {
		set, err := export.ParseSet(s)
		if err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}
	idmap := export.NewIDMap(opts.IDMap)
	signer := export.NewResigner(reg)
	secret := func(v string) string { return opts.Secrets[v] }
	p := &Plan{Options: opts, Seed: opts.Seed}
	if p.Seed == 0 {
		p.Seed = rand.Uint64()%1_000_000_000 + 1
	}
	rng := rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
	type item struct {
		c       *Case
		at      time.Time
		seq     int
		skipped bool
	}
	var items []item
	found := make([]bool, len(sets))
	unsigned := map[string]bool{}
	for i, in := range inputs {
		d := in.Delivery
		if d == nil || d.Refused != "" {
			p.Warnings = append(p.Warnings, fmt.Sprintf("delivery %s was not kept by the receiver (refused): not sent", idOf(d)))
			continue
		}
		ev := reg.Decode(d, secret)
		c := &Case{DeliveryID: d.ID, Vendor: ev.Vendor, EventType: ev.EventType, File: in.File, Method: d.Method,
			Failures: []string{}, Attempts: []Attempt{}, received: d.ReceivedAt}
		if ev.Conversation != nil && ev.Conversation.ID != "" {
			c.Conversation = ev.Vendor + "/" + ev.Conversation.ID
		}
		rules := reg.Rulebook().Of(ev.Vendor).Retry
		c.Timeout = cmp.Or(opts.Timeout, rules.TimeoutOr(backend.DefaultTimeout))
		if opts.Retries {
			c.retries = rules.Delays
			if len(c.retries) == 0 {
				// A vendor that documents no retries still delivers at least once: one redelivery.
				c.retries = []time.Duration{5 * time.Second}
			}
		}
		edited := *d
		edited.Body = slices.Clone(d.Body)
		edited.Headers = slices.Clone(d.Headers)
		idmap.Apply(&edited)
		body, ok := export.ApplySets(edited.Body, sets)
		for j := range ok {
			found[j] = found[j] || ok[j]
		}
		edited.Body = body
		s := opts.Secrets[ev.Vendor]
		if opts.Signing == export.Signed && s == "" && signer.CanSign(ev.Vendor) {
			unsigned[ev.Vendor] = true
		}
		c.Request, c.Signing = signer.Sign(&edited, ev.Vendor, s, opts.Signing)
		if c.Signing == "" {
			c.Signing = "as recorded"
		}
		c.URL = replay.TargetURL(target, c.Request)
		c.head, _ = replay.RequestHead(c.Request, target)
		c.Rule = opts.Expect.For(ev.Vendor, ev.EventType, d.ID)
		at := d.ReceivedAt
		if ev.OccurredAt != nil && opts.Order != OrderArrival {
			at = *ev.OccurredAt
		}
		items = append(items, item{c: c, at: at, seq: i})
	}
	for j, s := range sets {
		if !found[j] {
			return nil, backend.Errorf(backend.EINVALID, "--set %s=%s: no delivery has %s in its body", s.Path, s.Value, s.Path)
		}
	}
	if len(items) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "nothing to send: no delivery with a body")
	}
	for _, v := range sortedKeys(unsigned) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("no %s secret (the file carries none; give --secret %s=...): its deliveries go as recorded, and a body changed by --set or --map no longer matches its signature", v, v))
	}
	slices.SortStableFunc(items, func(a, b item) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	if w := opts.Shuffle; w > 1 {
		for start := 0; start < len(items); start += w {
			win := items[start:min(start+w, len(items))]
			rng.Shuffle(len(win), func(i, j int) { win[i], win[j] = win[j], win[i] })
		}
	}
	for i, it := range items {
		it.c.Index = i
		it.c.planned = 1 + len(it.c.retries)
		p.Cases = append(p.Cases, it.c)
		p.sends = append(p.sends, send{c: it.c, kind: KindFirst})
	}
	if opts.DuplicateRate > 0 {
		var out []send
		var later [][]send // duplicates waiting their turn: later[k] goes after k more sends
		for _, s := range p.sends {
			out = append(out, s)
			if len(later) > 0 {
				out = append(out, later[0]...)
				later = later[1:]
			}
			if rng.Float64() < opts.DuplicateRate {
				s.c.planned++
				k := rng.IntN(3) // right after, or after one or two more deliveries
				for len(later) <= k {
					later = append(later, nil)
				}
				later[k] = append(later[k], send{c: s.c, kind: KindDuplicate, n: 1})
			}
		}
		for _, l := range later {
			out = append(out, l...)
		}
		p.sends = out
	}
	return p, nil
}

// Duplicates is how many duplicate sends the plan holds.
func (p *Plan) Duplicates() int {
	n := 0
	for _, s := range p.sends {
		if s.kind == KindDuplicate {
			n++
		}
	}
	return n
}

// Attempts is how many requests the plan sends: firsts, duplicates and retries.
func (p *Plan) Attempts() int {
	n := 0
	for _, c := range p.Cases {
		n += c.planned
	}
	return n
}

// check validates opts and fills in defaults; EINVALID when they cannot run.
func check(o *Options) error {
	rq := replay.Request{To: o.To, Pace: o.Pace, Speed: o.Speed}
	if err := replay.Check(&rq); err != nil {
		return err
	}
	o.Pace, o.Speed = rq.Pace, rq.Speed
	switch o.Order = strings.ToLower(o.Order); o.Order {
	case "":
		o.Order = OrderTimeline
	case OrderTimeline, OrderArrival:
	default:
		return backend.Errorf(backend.EINVALID, "order %q: want timeline or arrival", o.Order)
	}
	switch o.Signing {
	case "":
		o.Signing = export.Signed
	case export.Signed, export.Unsigned, export.Tampered:
	default:
		return backend.Errorf(backend.EINVALID, "signing %q: want signed, unsigned or tampered", o.Signing)
	}
	if o.Concurrency == 0 {
		o.Concurrency = 1
	}
	if o.Concurrency < 0 || o.Concurrency > 256 {
		return backend.Errorf(backend.EINVALID, "concurrency %d: want 1 to 256", o.Concurrency)
	}
	if o.Timeout < 0 {
		return backend.Errorf(backend.EINVALID, "timeout %v: want a positive duration", o.Timeout)
	}
	if o.Shuffle < 0 {
		return backend.Errorf(backend.EINVALID, "shuffle %d: want a window of 2 or more deliveries (0: no shuffle)", o.Shuffle)
	}
	if o.DuplicateRate < 0 || o.DuplicateRate > 1 {
		return backend.Errorf(backend.EINVALID, "duplicate rate %v: want a chance from 0 to 1", o.DuplicateRate)
	}
	return nil
}

func idOf(d *backend.Delivery) string {
	if d == nil {
		return "?"
	}
	return d.ID
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
