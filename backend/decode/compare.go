package decode

import (
	"slices"
	"sort"

	"hooklens/backend"
)

// Kinds of CatalogRow beyond the drift flag codes (FlagUnknownField, FlagMissingRequired,
// FlagWrongType, FlagUnknownEnum, FlagDeprecated…), which rows reuse as they are.
const (
	// RowAbsent is a documented optional field the delivery does not carry.
	RowAbsent = "absent"
)

// CatalogRow is one difference between a delivery and its event type's documented shape.
type CatalogRow struct {
	Path        string `json:"path"` // concrete path in the body, or the catalog pattern for an absent field
	Kind        string `json:"kind"` // a drift flag code, or RowAbsent
	Type        string `json:"type"` // documented type ("" for an undocumented field)
	Description string `json:"description"`
	Reason      string `json:"reason"`
}

// CatalogComparison is a delivery against the documented shape of its event type: the drift
// its event was flagged with (undocumented fields, missing required ones, wrong types and
// values) and the documented optional fields it does not carry.
type CatalogComparison struct {
	Vendor     string       `json:"vendor"`
	EventType  string       `json:"event_type"`
	Documented bool         `json:"documented"` // the event type is in the vendor's catalog
	Present    int          `json:"present"`    // documented fields the delivery carries
	Rows       []CatalogRow `json:"rows"`
}

// CompareCatalog compares d with the catalog entry of its event ev (decoded for the occasion
// when nil). The drift rows are ev's flags (the same checks as decoding, not a second checker);
// absent rows list the documented fields of the event type that d does not carry, only where
// their parent is present (the members of an absent object are not listed again).
func (r *Registry) CompareCatalog(d *backend.Delivery, ev *backend.Event) CatalogComparison {
	if ev == nil {
		decoded := r.Decode(d, nil)
		ev = &decoded
	}
	out := CatalogComparison{Vendor: ev.Vendor, EventType: ev.EventType, Documented: ev.Documented, Rows: []CatalogRow{}}
	notes := r.Explain(d, ev)
	byPath := map[string]FieldNote{}
	present := map[string]bool{"": true}
	for _, n := range notes {
		byPath[n.Path] = n
		if n.Pattern != "" {
			present[n.Pattern] = true
		}
	}
	for _, f := range ev.Flags {
		row := CatalogRow{Path: f.Path, Kind: f.Code, Reason: f.Reason}
		if n, ok := byPath[f.Path]; ok && n.Known {
			row.Type, row.Description = n.Type, n.Description
		}
		out.Rows = append(out.Rows, row)
	}
	cat := safeCatalog(r.Vendor(ev.Vendor))
	if cat == nil {
		return out
	}
	var fields []Field
	fields = append(fields, cat.Common...)
	if et := cat.EventType(ev.EventType); et != nil && ev.Documented {
		fields = append(fields, et.Fields...)
	}
	seen := map[string]bool{}
	for i := len(fields) - 1; i >= 0; i-- { // event fields override common ones
		f := fields[i]
		p := joinPattern(patternSegs(f.Path))
		if seen[p] {
			continue
		}
		seen[p] = true
		if present[p] {
			out.Present++
			continue
		}
		if f.Required || !present[parentPattern(p)] {
			continue // flagged as missing_required already, or its parent is absent
		}
		out.Rows = append(out.Rows, CatalogRow{Path: p, Kind: RowAbsent, Type: f.Type, Description: f.Description,
			Reason: p + " is documented for " + cmpName(ev.EventType) + " but absent from this delivery"})
	}
	kinds := []string{FlagUnknownField, FlagMissingRequired, FlagWrongType, FlagUnknownEnum, RowAbsent}
	rank := func(k string) int {
		if i := slices.Index(kinds, k); i >= 0 {
			return i
		}
		return len(kinds)
	}
	sort.SliceStable(out.Rows, func(i, j int) bool {
		if a, b := rank(out.Rows[i].Kind), rank(out.Rows[j].Kind); a != b {
			return a < b
		}
		return out.Rows[i].Path < out.Rows[j].Path
	})
	return out
}

// parentPattern drops the last segment of a pattern ("a.b[]" → "a.b", "a.b" → "a", "a" → "").
func parentPattern(p string) string {
	segs := patternSegs(p)
	if len(segs) <= 1 {
		return ""
	}
	return joinPattern(segs[:len(segs)-1])
}

func cmpName(eventType string) string {
	if eventType == "" {
		return "this event"
	}
	return eventType
}
