package diff

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Side is one delivery to compare.
type Side struct {
	Delivery *backend.Delivery // with body and headers
	Event    *backend.Event    // its stored event; nil decodes it for the occasion
	// DuplicateOf is the id of the first delivery when this one is a vendor retry.
	DuplicateOf string
	// Label names the side for people: an id, a file name.
	Label string
}

// DeliveryOptions tune a delivery comparison.
type DeliveryOptions struct {
	// IgnoreVolatile hides the changes of fields and headers that differ on every delivery.
	IgnoreVolatile bool
	Headers        HeaderOptions // Volatile is set from the registry
}

// Summary is what a diff shows of each side.
type Summary struct {
	Label       string `json:"label"`
	ID          string `json:"id"`
	ReceivedAt  string `json:"received_at"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Status      int    `json:"status"` // what Hooklens answered (0: not known, a plain body file)
	Vendor      string `json:"vendor"`
	EventType   string `json:"event_type"`
	Summary     string `json:"summary"`
	Size        int64  `json:"size"`
	DuplicateOf string `json:"duplicate_of"`
}

// FieldChange is a body change with what the catalog says of the field.
type FieldChange struct {
	Change
	// CatalogPattern is the catalog pattern the field matched ("" when undocumented).
	CatalogPattern string `json:"catalog_pattern"`
	Known          bool   `json:"known"`
	Type           string `json:"type"`
	Description    string `json:"description"`
	Deprecated     string `json:"deprecated"`
}

// TextLine is one line of a line-by-line comparison of bodies that are not JSON.
type TextLine struct {
	Kind string `json:"kind"` // "same", Removed or Added
	Text string `json:"text"`
}

// DeliveryDiff is what changed between deliveries A and B.
type DeliveryDiff struct {
	A Summary `json:"a"`
	B Summary `json:"b"`
	// Verdict says it in one line: "same body", "same body apart from 3 volatile fields",
	// "4 fields differ", with "B is a retry of A" first when it is.
	Verdict  string `json:"verdict"`
	SameBody bool   `json:"same_body"` // the bodies are byte for byte the same
	Retry    bool   `json:"retry"`     // one is a vendor retry of the other (or both of a third)
	// Fields are the body's changes (volatile ones left out when IgnoreVolatile), Hidden how
	// many were left out.
	Fields        []FieldChange  `json:"fields"`
	HiddenFields  int            `json:"hidden_fields"`
	Headers       []HeaderChange `json:"headers"`
	HiddenHeaders int            `json:"hidden_headers"`
	// BodyNote says how bodies that are not both JSON were compared; Lines is their
	// line-by-line comparison (changed lines with a line of context).
	BodyNote string     `json:"body_note"`
	Lines    []TextLine `json:"lines"`
}

// maxTextLines bounds the line comparison of bodies that are not JSON.
const maxTextLines = 5000

// Deliveries compares a and b: the bodies as JSON (or line by line when either is not JSON),
// each changed field explained from its vendor's catalog, and the headers. It never panics on
// any input; a refused delivery (no body kept) compares as an empty body.
func Deliveries(reg *decode.Registry, a, b Side, opt DeliveryOptions) DeliveryDiff {
	evA, evB := event(reg, a), event(reg, b)
	out := DeliveryDiff{A: summarize(a, evA), B: summarize(b, evB), Fields: []FieldChange{}, Headers: []HeaderChange{}, Lines: []TextLine{}}
	da, db := a.Delivery, b.Delivery
	out.SameBody = bytes.Equal(da.Body, db.Body)
	out.Retry = (a.DuplicateOf != "" && a.DuplicateOf == db.ID) || (b.DuplicateOf != "" && b.DuplicateOf == da.ID) ||
		(a.DuplicateOf != "" && a.DuplicateOf == b.DuplicateOf)

	vendor := evA.Vendor
	if vendor == backend.VendorUnknown {
		vendor = evB.Vendor
	}
	ho := opt.Headers
	ho.Volatile = reg.VolatileHeader(vendor)
	out.Headers, out.HiddenHeaders = VisibleHeaders(Headers(da.Headers, db.Headers, ho), !opt.IgnoreVolatile)

	ia, ib := decode.Prepare(da), decode.Prepare(db)
	switch {
	case out.SameBody:
	case ia.Doc != nil && ib.Doc != nil:
		changes := JSON(ia.Doc, ib.Doc, Options{Volatile: reg.VolatileField(vendor)})
		shown, hidden := Visible(changes, !opt.IgnoreVolatile)
		out.Fields, out.HiddenFields = explain(reg, a, b, evA, evB, shown), hidden
	default:
		out.BodyNote = bodyNote(ia, ib)
		out.Lines = lines(string(ia.Body), string(ib.Body))
	}
	out.Verdict = verdict(out)
	return out
}

func event(reg *decode.Registry, s Side) *backend.Event {
	if s.Event != nil {
		return s.Event
	}
	ev := reg.Decode(s.Delivery, nil)
	return &ev
}

func summarize(s Side, ev *backend.Event) Summary {
	d := s.Delivery
	label := s.Label
	if label == "" {
		label = d.ID
	}
	sum := Summary{Label: label, ID: d.ID, Method: d.Method, Path: d.Path, Status: d.Status, Vendor: ev.Vendor, EventType: ev.EventType,
		Summary: ev.Summary, Size: d.Size, DuplicateOf: s.DuplicateOf}
	if !d.ReceivedAt.IsZero() {
		sum.ReceivedAt = d.ReceivedAt.UTC().Format(time.RFC3339Nano)
	}
	return sum
}

// explain adds to each change what the catalog says of its field, from A's side (B's for a
// field only B has).
func explain(reg *decode.Registry, a, b Side, evA, evB *backend.Event, changes []Change) []FieldChange {
	index := func(s Side, ev *backend.Event) map[string]decode.FieldNote {
		m := map[string]decode.FieldNote{}
		for _, n := range reg.Explain(s.Delivery, ev) {
			m[n.Path] = n
		}
		return m
	}
	na, nb := index(a, evA), index(b, evB)
	out := make([]FieldChange, len(changes))
	for i, c := range changes {
		fc := FieldChange{Change: c}
		n, ok := na[c.APath]
		if !ok || c.APath == "" || (!n.Known && c.BPath != "") {
			if m, okB := nb[c.BPath]; okB && c.BPath != "" {
				n, ok = m, true
			}
		}
		if ok {
			fc.CatalogPattern, fc.Known, fc.Type, fc.Description, fc.Deprecated = n.Pattern, n.Known, n.Type, n.Description, n.Deprecated
		}
		out[i] = fc
	}
	return out
}

func bodyNote(a, b *decode.Input) string {
	what := func(in *decode.Input) string {
		if in.Doc != nil {
			return "JSON"
		}
		if len(in.Body) == 0 {
			return "empty"
		}
		if err := decode.ParseError(in); err != nil {
			return "not JSON (" + err.Error() + ")"
		}
		return "not JSON"
	}
	return fmt.Sprintf("A's body is %s, B's is %s: compared line by line", what(a), what(b))
}

// lines compares two texts line by line, keeping a line of context around each change.
func lines(a, b string) []TextLine {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la) > maxTextLines || len(lb) > maxTextLines {
		return []TextLine{{Kind: Removed, Text: fmt.Sprintf("(%d lines)", len(la))}, {Kind: Added, Text: fmt.Sprintf("(%d lines)", len(lb))}}
	}
	var all []TextLine
	for _, p := range Align(la, lb, nil, nil) {
		switch {
		case p.A >= 0 && p.B >= 0:
			all = append(all, TextLine{Kind: "same", Text: la[p.A]})
		case p.A >= 0:
			all = append(all, TextLine{Kind: Removed, Text: la[p.A]})
		default:
			all = append(all, TextLine{Kind: Added, Text: lb[p.B]})
		}
	}
	out := []TextLine{}
	for i, l := range all {
		near := l.Kind != "same" || (i > 0 && all[i-1].Kind != "same") || (i+1 < len(all) && all[i+1].Kind != "same")
		if near {
			out = append(out, l)
		}
	}
	return out
}

func verdict(d DeliveryDiff) string {
	var s string
	switch {
	case d.SameBody:
		s = "same body"
	case d.BodyNote != "":
		s = "bodies differ"
	case len(d.Fields) == 0 && d.HiddenFields > 0:
		s = fmt.Sprintf("same body apart from %d volatile %s (ids, times, secrets)", d.HiddenFields, plural(d.HiddenFields, "field", "fields"))
	case len(d.Fields) == 0:
		s = "same body (the same JSON, written differently)"
	default:
		s = fmt.Sprintf("%d %s %s", len(d.Fields), plural(len(d.Fields), "field", "fields"), plural(len(d.Fields), "differs", "differ"))
		if d.HiddenFields > 0 {
			s += fmt.Sprintf(" (%d volatile hidden)", d.HiddenFields)
		}
	}
	if n := len(d.Headers); n > 0 {
		s += fmt.Sprintf("; %d %s %s", n, plural(n, "header", "headers"), plural(n, "differs", "differ"))
	} else {
		s += "; same headers"
		if d.HiddenHeaders > 0 {
			s += fmt.Sprintf(" apart from %d volatile", d.HiddenHeaders)
		}
	}
	if d.Retry {
		s = "B is a retry of the same event as A: " + s
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
