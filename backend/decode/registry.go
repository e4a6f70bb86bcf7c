package decode

import (
	"fmt"
	"strings"

	"hooklens/backend"
)

// Version is the version of the decoded output; bump it whenever decoding changes what it
// produces. Stored events decoded with an older version are decoded again.
const Version = 2

// maxSummary caps a summary, in runes.
const maxSummary = 300

// Registry holds the known vendors, in detection order.
type Registry struct {
	vendors []Vendor
	pins    Pins // vendor → pinned API version (see WithPins)
}

// New returns a registry of vendors; nil vendors are skipped. Detection tries them in order.
func New(vendors ...Vendor) *Registry {
	r := &Registry{}
	for _, v := range vendors {
		if v != nil {
			r.vendors = append(r.vendors, v)
		}
	}
	return r
}

// Vendors returns the registered vendors in detection order (a copy). A nil registry has none.
func (r *Registry) Vendors() []Vendor {
	if r == nil {
		return nil
	}
	return append([]Vendor(nil), r.vendors...)
}

// Vendor returns the vendor named name, or nil if none is registered under that name.
func (r *Registry) Vendor(name string) Vendor {
	if r == nil {
		return nil
	}
	for _, v := range r.vendors {
		if v.Name() == name {
			return v
		}
	}
	return nil
}

// Names returns the ids of the registered vendors, in detection order.
func (r *Registry) Names() []string {
	if r == nil {
		return nil
	}
	names := make([]string, len(r.vendors))
	for i, v := range r.vendors {
		names[i] = v.Name()
	}
	return names
}

// NamesOf returns the ids of the vendors of r that implement T (a sibling interface such as
// simulate.Source), in detection order.
func NamesOf[T any](r *Registry) []string {
	var names []string
	for _, v := range r.Vendors() {
		if _, ok := v.(T); ok {
			names = append(names, v.Name())
		}
	}
	return names
}

// Info returns what people see of every registered vendor, in detection order.
func (r *Registry) Info() []Info {
	out := make([]Info, len(r.vendors))
	for i, v := range r.vendors {
		out[i] = v.Info()
		out[i].Name, out[i].Path = v.Name(), v.PathPrefix()
	}
	return out
}

// DisplayName returns the display name of vendor ("LiveChat"), or the id itself when no
// registered vendor has it.
func (r *Registry) DisplayName(vendor string) string {
	if v := r.Vendor(vendor); v != nil {
		if n := v.Info().DisplayName; n != "" {
			return n
		}
	}
	return vendor
}

// Rulebook returns the retry and lifecycle rules of every registered vendor.
func (r *Registry) Rulebook() *backend.Rulebook {
	rules := make([]backend.Rules, len(r.vendors))
	for i, v := range r.vendors {
		rules[i] = v.Rules()
		rules[i].Vendor = v.Name()
	}
	return backend.NewRulebook(rules...)
}

// Detect returns the vendor of in: the one whose path prefix starts the delivery path
// (case-insensitive, any suffix), else the first whose Match accepts the body; nil if none.
func (r *Registry) Detect(in *Input) Vendor {
	if in == nil || in.Delivery == nil {
		return nil
	}
	if v := r.byPath(in.Delivery.Path); v != nil {
		return v
	}
	for _, v := range r.vendors {
		if safeMatch(v, in) {
			return v
		}
	}
	return nil
}

func (r *Registry) byPath(path string) Vendor {
	lp := strings.ToLower(path)
	for _, v := range r.vendors {
		if p := strings.ToLower(v.PathPrefix()); p != "" && strings.HasPrefix(lp, p) {
			return v
		}
	}
	return nil
}

func safeMatch(v Vendor, in *Input) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return v.Match(in)
}

// Decode decodes d: it detects the vendor, lets it decode and verify the delivery, and adds
// drift flags from the vendor's catalog. It is pure and never panics: a refused delivery gets
// a summary saying why, an unknown vendor a description of the body, and a failing vendor a
// decode_error flag. secret returns the configured secret of a vendor; it may be nil.
func (r *Registry) Decode(d *backend.Delivery, secret func(vendor string) string) backend.Event {
	ev := backend.Event{Vendor: backend.VendorUnknown, Actors: []backend.Actor{}, Flags: []backend.Flag{}}
	if d == nil {
		ev.Summary = "no delivery"
		return ev
	}
	ev.DeliveryID = d.ID
	if d.Refused != "" {
		if v := r.byPath(d.Path); v != nil {
			ev.Vendor = v.Name()
		}
		ev.Summary = refusedSummary(d)
		return ev
	}
	in := Prepare(d)
	v := r.Detect(in)
	if v == nil {
		describeUnknown(in, &ev)
		return finish(ev)
	}
	r.decodeWith(v, in, &ev)
	s := ""
	if secret != nil {
		s = secret(v.Name())
	}
	ev.Verification = safeVerify(v, in, s)
	return finish(ev)
}

// decodeWith fills ev from vendor v and adds the catalog's drift flags.
func (r *Registry) decodeWith(v Vendor, in *Input, ev *backend.Event) {
	name := v.Name()
	ev.Vendor = name
	ev.Flags = append(ev.Flags, in.Flags...)
	func() {
		defer func() {
			if p := recover(); p != nil {
				ev.Flags = append(ev.Flags, backend.Flag{Code: FlagDecodeError,
					Reason: fmt.Sprintf("the %s decoder failed: %v", name, p)})
			}
		}()
		v.Decode(in, ev)
	}()
	ev.Vendor = name
	if in.Delivery != nil {
		ev.DeliveryID = in.Delivery.ID
	}
	if ev.Summary == "" {
		ev.Summary = requestLine(in.Delivery) + " — " + describeBody(in)
	}
	if in.Doc == nil {
		return // nothing to check; the body problem is already flagged
	}
	cat := safeCatalog(v)
	if cat == nil {
		return
	}
	et := cat.EventType(ev.EventType)
	if et == nil {
		ev.Documented = false
		reason := fmt.Sprintf("%q is not a documented %s event type", ev.EventType, name)
		if ev.EventType == "" {
			reason = "the body names no event type"
		}
		ev.Flags = append(ev.Flags, backend.Flag{Code: FlagUndocumentedEvent, Reason: reason})
		return
	}
	ev.Documented = true
	ev.Flags = append(ev.Flags, versionCheck(cat, r.pins[name], ev, in.Doc, in.Form)...)
}

func safeCatalog(v Vendor) (c *Catalog) {
	if v == nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			c = nil
		}
	}()
	return v.Catalog()
}

func safeVerify(v Vendor, in *Input, secret string) (res backend.Verification) {
	defer func() {
		if p := recover(); p != nil {
			res = backend.Verification{Status: backend.VerifyMismatch, Reason: fmt.Sprintf("verification failed: %v", p)}
		}
	}()
	return v.Verify(in, secret)
}

// finish makes ev safe to store and show: non-nil slices, valid UTF-8, a one-line summary.
func finish(ev backend.Event) backend.Event {
	if ev.Actors == nil {
		ev.Actors = []backend.Actor{}
	}
	if ev.Flags == nil {
		ev.Flags = []backend.Flag{}
	}
	ev.Summary = Truncate(ev.Summary, maxSummary)
	for i := range ev.Actors {
		a := &ev.Actors[i]
		a.ID, a.Name, a.Email = clean(a.ID), clean(a.Name), clean(a.Email)
	}
	for i := range ev.Flags {
		f := &ev.Flags[i]
		f.Path, f.Reason = clean(f.Path), clean(f.Reason)
	}
	ev.EventType, ev.Organization, ev.DedupeKey = clean(ev.EventType), clean(ev.Organization), clean(ev.DedupeKey)
	ev.Status, ev.Verification.Reason = clean(ev.Status), clean(ev.Verification.Reason)
	if c := ev.Conversation; c != nil {
		c.ID, c.ThreadID = clean(c.ID), clean(c.ThreadID)
		if c.ID == "" && c.ThreadID == "" {
			ev.Conversation = nil
		}
	}
	return ev
}

func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// requestLine is "POST /path" (or just the path when the method is unknown).
func requestLine(d *backend.Delivery) string {
	if d == nil {
		return ""
	}
	p := d.Path
	if p == "" {
		p = "/"
	}
	if d.Method == "" {
		return p
	}
	return d.Method + " " + p
}

func refusedSummary(d *backend.Delivery) string {
	why := strings.ReplaceAll(d.Refused, "_", " ")
	s := fmt.Sprintf("%s — body not kept: %s", requestLine(d), why)
	if d.Size > 0 {
		s += fmt.Sprintf(" (%d bytes)", d.Size)
	}
	return s
}

// describeUnknown fills ev for a delivery no vendor claims.
func describeUnknown(in *Input, ev *backend.Event) {
	ev.Vendor = backend.VendorUnknown
	ev.Flags = append(ev.Flags, in.Flags...)
	ev.Summary = requestLine(in.Delivery) + " — " + describeBody(in)
}

// describeBody says in a few words what the body is.
func describeBody(in *Input) string {
	size := fmt.Sprintf("(%d bytes)", len(in.Delivery.Body))
	switch doc := in.Doc.(type) {
	case map[string]any:
		what := "JSON object"
		if in.Form {
			what = "form"
		}
		return fmt.Sprintf("%s with %d %s %s", what, len(doc), plural(len(doc), "field", "fields"), size)
	case []any:
		return fmt.Sprintf("JSON array of %d %s %s", len(doc), plural(len(doc), "item", "items"), size)
	case nil:
		if len(strings.TrimSpace(string(in.Body))) == 0 {
			if len(in.Flags) > 0 {
				return in.Flags[0].Reason
			}
			return "empty body"
		}
		if err := ParseError(in); err != nil {
			return "not JSON: " + err.Error() + " " + size
		}
		return "JSON null " + size
	default:
		return fmt.Sprintf("JSON %s %s", JSONType(doc), size)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
