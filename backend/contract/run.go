package contract

import (
	"container/heap"
	"context"
	"net/http"
	"sync"
	"time"

	"hooklens/backend/replay"
)

// Attempt is one request sent for a case and its answer.
type Attempt struct {
	Kind       string      `json:"kind"` // KindFirst, KindRetry, KindDuplicate
	N          int         `json:"n"`    // the retry's number (1, 2…); 1 for a duplicate
	StartedAt  time.Time   `json:"started_at"`
	LatencyMS  float64     `json:"latency_ms"`
	Status     int         `json:"status"` // 0 when there was no answer
	StatusText string      `json:"status_text,omitempty"`
	Body       string      `json:"body"` // the start of the answer's body
	Truncated  bool        `json:"truncated,omitempty"`
	Header     http.Header `json:"headers,omitempty"`
	Error      string      `json:"error,omitempty"`
	Failures   []string    `json:"failures"`
	latency    time.Duration
	excerpt    []byte
}

// Report is the outcome of a run.
type Report struct {
	Target     string    `json:"target"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS float64   `json:"duration_ms"`
	Seed       uint64    `json:"seed"`
	Options    Options   `json:"options"`
	Cases      []*Case   `json:"cases"`
	Passed     int       `json:"passed"`
	Failed     int       `json:"failed"`
	Sent       int       `json:"sent"`     // requests sent, retries and duplicates included
	Canceled   bool      `json:"canceled"` // the run stopped before its end
	Warnings   []string  `json:"warnings"`
}

// Runner sends plans.
type Runner struct {
	// Sender writes the requests (its Timeout is replaced by each case's).
	Sender *replay.Sender
}

// waiting is a heap of retries by due time.
type waiting []send

func (w waiting) Len() int           { return len(w) }
func (w waiting) Less(i, j int) bool { return w[i].due.Before(w[j].due) }
func (w waiting) Swap(i, j int)      { w[i], w[j] = w[j], w[i] }
func (w *waiting) Push(x any)        { *w = append(*w, x.(send)) }
func (w *waiting) Pop() any {
	old := *w
	x := old[len(old)-1]
	*w = old[:len(old)-1]
	return x
}

// Run sends the plan to its target and judges every answer. each (when set) is called once per
// case, when its last attempt is in, from one goroutine at a time. A canceled ctx stops the run:
// cases not finished are reported failed.
func (r *Runner) Run(ctx context.Context, p *Plan, each func(*Case)) *Report {
	o := p.Options
	target, _ := replay.ParseTarget(o.To)
	rep := &Report{Target: o.To, StartedAt: time.Now().UTC(), Seed: p.Seed, Options: o, Cases: p.Cases,
		Warnings: append([]string{}, p.Warnings...)}
	start := time.Now()
	var (
		mu      sync.Mutex
		retries waiting
		wake    = make(chan struct{}, 1)
		slots   = make(chan struct{}, o.Concurrency)
		wg      sync.WaitGroup
		next    int // next of p.sends
		first   time.Time
		due     time.Duration
		emit    sync.Mutex
	)
	done := func(c *Case) {
		judge(c, o.Signing)
		emit.Lock()
		defer emit.Unlock()
		if each != nil {
			each(c)
		}
	}
	sendOne := func(s send) {
		defer wg.Done()
		snd := *r.Sender
		snd.Timeout = s.c.Timeout
		res := snd.Send(ctx, s.c.Request, target)
		a := Attempt{Kind: s.kind, N: s.n, StartedAt: res.StartedAt, Status: res.Status, StatusText: res.StatusText,
			Truncated: res.Truncated, Header: res.Header, Error: res.Error, latency: res.Duration, excerpt: res.Excerpt,
			LatencyMS: float64(res.Duration.Microseconds()) / 1000, Body: excerptText(res.Excerpt), Failures: []string{}}
		mu.Lock()
		rep.Sent++
		s.c.Attempts = append(s.c.Attempts, a)
		if s.kind != KindDuplicate && s.n < len(s.c.retries) {
			heap.Push(&retries, send{c: s.c, kind: KindRetry, n: s.n + 1,
				due: time.Now().Add(time.Duration(float64(s.c.retries[s.n]) / o.Speed))})
		}
		finished := len(s.c.Attempts) == s.c.planned
		mu.Unlock()
		<-slots // before the wake-up, so the dispatcher sees this send is over
		select {
		case wake <- struct{}{}:
		default:
		}
		if finished {
			done(s.c)
		}
	}
	for ctx.Err() == nil {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		mu.Lock()
		var pick *send
		var at time.Time
		now := time.Now()
		if next < len(p.sends) {
			s := p.sends[next]
			s.due = now
			if o.Pace == replay.PaceOriginal && s.kind == KindFirst {
				if first.IsZero() {
					first = s.c.received
				}
				due = max(due, time.Duration(float64(s.c.received.Sub(first))/o.Speed))
				s.due = start.Add(due)
			}
			pick, at = &s, s.due
		}
		fromHeap := false
		if len(retries) > 0 && (pick == nil || !retries[0].due.After(at)) {
			s := retries[0]
			pick, at, fromHeap = &s, s.due, true
		}
		inflight := len(slots) - 1
		mu.Unlock()
		if pick == nil {
			<-slots
			if inflight == 0 {
				break // nothing left to send, nothing in flight that could schedule a retry
			}
			select {
			case <-wake:
			case <-ctx.Done():
			}
			continue
		}
		if wait := time.Until(at); wait > 0 {
			// A retry scheduled meanwhile may be due sooner: wake up for it.
			<-slots
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-wake:
			case <-ctx.Done():
			}
			t.Stop()
			continue
		}
		mu.Lock()
		if fromHeap {
			heap.Pop(&retries)
		} else {
			next++
		}
		mu.Unlock()
		wg.Add(1)
		go sendOne(*pick)
	}
	wg.Wait()
	for _, c := range p.Cases {
		if len(c.Attempts) < c.planned {
			c.Failures = append(c.Failures, "not sent: the run was stopped")
			c.Passed = false
			rep.Canceled = true
		}
		if c.Passed {
			rep.Passed++
		} else {
			rep.Failed++
		}
	}
	rep.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	return rep
}
