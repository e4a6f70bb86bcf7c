package backend

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Ends of a run: how a stretch of listening stopped.
const (
	RunRunning   = ""          // still listening
	RunClean     = "clean"     // stopped on purpose (Ctrl-C, quit): everything in flight answered
	RunUnclean   = "unclean"   // killed, crashed or the power went: the last sign of life is its end
	RunSuspended = "suspended" // the machine slept (the lid closed) or the process was frozen
)

// Gap causes.
const (
	GapStopped     = "stopped"     // Hooklens was not running
	GapKilled      = "killed"      // Hooklens was killed or crashed
	GapSuspended   = "suspended"   // the machine slept
	GapUnreachable = "unreachable" // Hooklens ran, but the tunnel's public URL did not reach it
)

// Run is one stretch of time a Hooklens process listened on its receiver.
type Run struct {
	ID      int64
	Started time.Time
	// Seen is its last sign of life (heartbeats update it); the end of an unclean run.
	Seen    time.Time
	Stopped *time.Time // nil while it runs
	End     string     // RunRunning, RunClean, RunUnclean, RunSuspended
}

// Probe is one check that the tunnel's public URL reaches this receiver.
type Probe struct {
	At     time.Time
	OK     bool
	URL    string
	Reason string // why it failed
}

// CoverageWriter records when the receiver listened and what the tunnel probes found.
type CoverageWriter interface {
	// StartRun records a run starting at at and returns its id. Runs left open by a process
	// that did not stop cleanly are closed as RunUnclean at their last sign of life first.
	StartRun(ctx context.Context, at time.Time) (int64, error)
	// SeeRun records a sign of life of run id at at.
	SeeRun(ctx context.Context, id int64, at time.Time) error
	// StopRun closes run id at at with end (RunClean or RunSuspended).
	StopRun(ctx context.Context, id int64, at time.Time, end string) error
	// AddProbe records a probe result.
	AddProbe(ctx context.Context, p Probe) error
}

// CoverageReader reads what CoverageWriter recorded.
type CoverageReader interface {
	// Coverage returns the runs that overlap [from, to] and the probes in it, oldest first, with
	// the last run that ended before from (it tells whether from falls in a gap).
	Coverage(ctx context.Context, from, to time.Time) ([]Run, []Probe, error)
}

// Gap is a time the receiver did not receive.
type Gap struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Cause  string    `json:"cause"`  // GapStopped, GapKilled, GapSuspended, GapUnreachable
	Reason string    `json:"reason"` // a sentence
	// Open is true when the gap goes on at To (To is the end of the window asked for).
	Open    bool         `json:"open"`
	Vendors []VendorLoss `json:"vendors"`
}

// VendorLoss says whether a vendor's retries could have made up for a gap.
type VendorLoss struct {
	Vendor string `json:"vendor"`
	// Covered is true when every event the vendor sent during the gap was retried after it.
	Covered bool `json:"covered"`
	// LostFrom and LostTo bound the events lost for good (nil when Covered).
	LostFrom *time.Time `json:"lost_from"`
	LostTo   *time.Time `json:"lost_to"`
	Reason   string     `json:"reason"`
}

// Gaps returns the times in [from, to] the receiver did not receive, oldest first: between
// runs (stopped, killed, suspended) and, within runs, from a failed tunnel probe to the next
// one that got through (or the run's end). now ends a run still going. Each gap says, for every
// vendor of b, whether its retries covered it.
func (b *Rulebook) Gaps(runs []Run, probes []Probe, from, to, now time.Time) []Gap {
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Started.Before(runs[j].Started) })
	sort.SliceStable(probes, func(i, j int) bool { return probes[i].At.Before(probes[j].At) })
	var gaps []Gap
	add := func(g Gap) {
		if g.To.Before(from) || !g.From.Before(to) || !g.From.Before(g.To) {
			return
		}
		if g.From.Before(from) {
			g.From = from
		}
		if g.To.After(to) {
			g.To, g.Open = to, true
		}
		gaps = append(gaps, g)
	}
	for i, r := range runs {
		end := runEnd(r, now)
		if i+1 < len(runs) {
			next := runs[i+1].Started
			cause, why := GapStopped, "Hooklens was stopped"
			switch r.End {
			case RunUnclean:
				cause, why = GapKilled, "Hooklens was killed or crashed (its last sign of life)"
			case RunSuspended:
				cause, why = GapSuspended, "the machine slept or Hooklens was frozen"
			case RunRunning:
				cause, why = GapKilled, "Hooklens stopped without a trace"
			}
			add(Gap{From: end, To: next, Cause: cause, Reason: fmt.Sprintf("%s from %s to %s", why, clock(end), clock(next))})
		} else if r.Stopped != nil || r.End != RunRunning {
			cause := map[string]string{RunClean: GapStopped, RunUnclean: GapKilled, RunSuspended: GapSuspended}[r.End]
			add(Gap{From: end, To: to, Open: true, Cause: cause, Reason: "Hooklens has not run since " + clock(end)})
		}
		// Unreachable stretches inside this run.
		var down *Probe
		for k := range probes {
			p := &probes[k]
			if p.At.Before(r.Started) || p.At.After(end) {
				continue
			}
			switch {
			case !p.OK && down == nil:
				down = p
			case p.OK && down != nil:
				add(Gap{From: down.At, To: p.At, Cause: GapUnreachable,
					Reason: fmt.Sprintf("the tunnel did not reach Hooklens from %s to %s: %s", clock(down.At), clock(p.At), down.Reason)})
				down = nil
			}
		}
		if down != nil {
			g := Gap{From: down.At, To: end, Cause: GapUnreachable,
				Reason: fmt.Sprintf("the tunnel did not reach Hooklens from %s: %s", clock(down.At), down.Reason)}
			g.Open = r.End == RunRunning
			add(g)
		}
	}
	sort.SliceStable(gaps, func(i, j int) bool { return gaps[i].From.Before(gaps[j].From) })
	for i := range gaps {
		gaps[i].Vendors = b.losses(gaps[i])
	}
	if gaps == nil {
		gaps = []Gap{}
	}
	return gaps
}

func runEnd(r Run, now time.Time) time.Time {
	switch {
	case r.Stopped != nil:
		return *r.Stopped
	case r.End == RunRunning:
		return now
	}
	return r.Seen
}

// losses says per vendor whether its retries span the gap. An event sent at t is tried again
// until t+Span: those sent before To−Span got no attempt after the gap and are lost.
func (b *Rulebook) losses(g Gap) []VendorLoss {
	out := []VendorLoss{}
	d := g.To.Sub(g.From)
	for _, v := range b.Vendors() {
		r := b.Of(v).Retry
		span := r.Span()
		l := VendorLoss{Vendor: v}
		about := ""
		if !r.Exact {
			about = "about "
		}
		switch {
		case len(r.Delays) == 0:
			l.LostFrom, l.LostTo = ptr(g.From), ptr(g.To)
			l.Reason = fmt.Sprintf("it does not retry (%s): every event sent from %s to %s is lost for good", r.Why, clock(g.From), clock(g.To))
		case g.Open:
			lost := g.To.Add(-span)
			if lost.Before(g.From) {
				lost = g.From
			}
			l.LostFrom, l.LostTo = ptr(g.From), ptr(lost)
			l.Reason = fmt.Sprintf("it retries for %s%s; the gap goes on, so events sent from %s on are lost unless it ends soon", about, span, clock(g.From))
		case d <= span:
			l.Covered = true
			l.Reason = fmt.Sprintf("it retries for %s%s, longer than this %s gap: every event sent then was tried again after it", about, span, spanText(d))
		default:
			lost := g.To.Add(-span)
			l.LostFrom, l.LostTo = ptr(g.From), ptr(lost)
			l.Reason = fmt.Sprintf("it retries for only %s%s: events sent from %s to %s are lost for good", about, span, clock(g.From), clock(lost))
		}
		out = append(out, l)
	}
	return out
}

func ptr(t time.Time) *time.Time { return &t }

func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// spanText renders a duration for people (2m, 40s, 1h5m).
func spanText(d time.Duration) string { return span(d.Round(time.Second)) }
