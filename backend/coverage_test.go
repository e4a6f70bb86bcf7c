package backend_test

import (
	"strings"
	"testing"
	"time"

	"hooklens/backend"
)

func TestGaps(t *testing.T) {
	t0 := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	at := func(m float64) time.Time { return t0.Add(time.Duration(m * float64(time.Minute))) }
	pt := func(m float64) *time.Time { x := at(m); return &x }
	rules := backend.NewRulebook(
		backend.Rules{Vendor: "fast", Retry: backend.Retry{Delays: []time.Duration{10 * time.Second, 20 * time.Second}, Exact: true}},
		backend.Rules{Vendor: "slow", Retry: backend.Retry{Delays: []time.Duration{time.Hour}}},
		backend.Rules{Vendor: "never", Retry: backend.Retry{Why: "no retries"}},
	)
	runs := []backend.Run{
		{ID: 1, Started: at(0), Seen: at(10), Stopped: pt(10), End: backend.RunClean},
		{ID: 2, Started: at(12), Seen: at(20), End: backend.RunUnclean},
		{ID: 3, Started: at(20.5), Seen: at(30), Stopped: pt(30), End: backend.RunSuspended},
		{ID: 4, Started: at(40), Seen: at(60), End: backend.RunRunning},
	}
	probes := []backend.Probe{
		{At: at(41), OK: true}, {At: at(42), OK: false, Reason: "502"}, {At: at(43), OK: false}, {At: at(45), OK: true},
		{At: at(50), OK: false, Reason: "timeout"},
	}
	gaps := rules.Gaps(runs, probes, at(0), at(60), at(60))
	var got []string
	for _, g := range gaps {
		s := g.Cause + " " + g.From.Format("15:04:05") + "-" + g.To.Format("15:04:05")
		if g.Open {
			s += " open"
		}
		for _, v := range g.Vendors {
			if v.Covered {
				s += " " + v.Vendor + ":covered"
			} else {
				s += " " + v.Vendor + ":lost-until-" + v.LostTo.Format("15:04:05")
			}
		}
		got = append(got, s)
	}
	want := []string{
		"stopped 10:10:00-10:12:00 fast:lost-until-10:11:30 slow:covered never:lost-until-10:12:00",
		"killed 10:20:00-10:20:30 fast:covered slow:covered never:lost-until-10:20:30",
		"suspended 10:30:00-10:40:00 fast:lost-until-10:39:30 slow:covered never:lost-until-10:40:00",
		"unreachable 10:42:00-10:45:00 fast:lost-until-10:44:30 slow:covered never:lost-until-10:45:00",
		"unreachable 10:50:00-11:00:00 open fast:lost-until-10:59:30 slow:lost-until-10:50:00 never:lost-until-11:00:00",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Gaps =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(gaps[3].Reason, "502") {
		t.Errorf("unreachable reason = %q; want the probe's reason", gaps[3].Reason)
	}

	t.Run("Window", func(t *testing.T) {
		gaps := rules.Gaps(runs, probes, at(11), at(15), at(60))
		if len(gaps) != 1 || !gaps[0].From.Equal(at(11)) || !gaps[0].To.Equal(at(12)) {
			t.Errorf("Gaps(11..15) = %+v; want the stop clipped to 10:11-10:12", gaps)
		}
	})
	t.Run("StoppedNow", func(t *testing.T) {
		gaps := rules.Gaps(runs[:1], nil, at(0), at(30), at(30))
		if len(gaps) != 1 || !gaps[0].Open || gaps[0].Cause != backend.GapStopped {
			t.Errorf("Gaps after the last clean stop = %+v; want one open stopped gap", gaps)
		}
	})
	t.Run("None", func(t *testing.T) {
		if gaps := rules.Gaps(nil, nil, at(0), at(30), at(30)); len(gaps) != 0 {
			t.Errorf("Gaps(no runs) = %+v; want none", gaps)
		}
	})
}
