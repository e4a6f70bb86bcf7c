package api

import (
	"net/http"
	"time"

	"hooklens/backend"
)

// defaultCoverageSpan is the window GET /api/v1/coverage answers without from.
const defaultCoverageSpan = 7 * 24 * time.Hour

// maxCoverageSpan bounds the window of one coverage request.
const maxCoverageSpan = 400 * 24 * time.Hour

// Coverage is GET /api/v1/coverage?from=&to=: the times in the window the receiver did not
// receive (gaps), oldest first, each with, per vendor, whether its retries covered it. Running
// is true when a receiver of this store listens now; Since is the start of the current run.
type Coverage struct {
	From    string        `json:"from"`
	To      string        `json:"to"`
	Running bool          `json:"running"`
	Since   *string       `json:"since"`
	Gaps    []CoverageGap `json:"gaps"`
}

// CoverageGap is one gap; times are RFC 3339 UTC.
type CoverageGap struct {
	From    string           `json:"from"`
	To      string           `json:"to"`
	Cause   string           `json:"cause"` // stopped, killed, suspended, unreachable
	Reason  string           `json:"reason"`
	Open    bool             `json:"open"`
	Vendors []CoverageVendor `json:"vendors"`
}

// CoverageVendor says whether a vendor's retries covered a gap.
type CoverageVendor struct {
	Vendor   string  `json:"vendor"`
	Covered  bool    `json:"covered"`
	LostFrom *string `json:"lost_from"`
	LostTo   *string `json:"lost_to"`
	Reason   string  `json:"reason"`
}

func (s *Server) coverageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/coverage", s.coverage)
}

func timeParam(r *http.Request, name string, def time.Time) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, backend.Errorf(backend.EINVALID, "coverage: %s=%q is not an RFC 3339 time (2026-12-08T10:00:00Z)", name, v)
	}
	return t.UTC(), nil
}

func (s *Server) coverage(w http.ResponseWriter, r *http.Request) {
	if s.Coverage == nil {
		writeError(w, backend.Errorf(backend.EUNAVAILABLE, "coverage is not recorded in this face"))
		return
	}
	now := time.Now().UTC()
	to, err := timeParam(r, "to", now)
	if err != nil {
		writeError(w, err)
		return
	}
	from, err := timeParam(r, "from", to.Add(-defaultCoverageSpan))
	if err != nil {
		writeError(w, err)
		return
	}
	if !from.Before(to) || to.Sub(from) > maxCoverageSpan {
		writeError(w, backend.Errorf(backend.EINVALID, "coverage: from must be before to, at most 400 days apart"))
		return
	}
	runs, probes, err := s.Coverage.Coverage(r.Context(), from, to)
	if err != nil {
		writeError(w, err)
		return
	}
	out := Coverage{From: formatTime(from), To: formatTime(to), Gaps: []CoverageGap{}}
	for _, run := range runs {
		if run.End == backend.RunRunning && run.Stopped == nil {
			out.Running = true
			since := formatTime(run.Started)
			out.Since = &since
		}
	}
	// A run left open by a killed process reads as running until the next start closes it; the
	// running one is this process's, the latest.
	if n := len(runs); n > 1 {
		for i := range runs[:n-1] {
			if runs[i].End == backend.RunRunning && runs[i].Stopped == nil {
				runs[i].End = backend.RunUnclean
			}
		}
	}
	for _, g := range s.Registry.Rulebook().Gaps(runs, probes, from, to, now) {
		cg := CoverageGap{From: formatTime(g.From), To: formatTime(g.To), Cause: g.Cause, Reason: g.Reason, Open: g.Open,
			Vendors: make([]CoverageVendor, len(g.Vendors))}
		for i, v := range g.Vendors {
			cv := CoverageVendor{Vendor: v.Vendor, Covered: v.Covered, Reason: v.Reason}
			if v.LostFrom != nil {
				f, t := formatTime(*v.LostFrom), formatTime(*v.LostTo)
				cv.LostFrom, cv.LostTo = &f, &t
			}
			cg.Vendors[i] = cv
		}
		out.Gaps = append(out.Gaps, cg)
	}
	writeJSON(w, http.StatusOK, out)
}
