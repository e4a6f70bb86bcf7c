package diff

import (
	"strings"

	"hooklens/backend"
)

// HeaderOptions tune a header comparison; the zero value compares names case-insensitively and
// ignores the order headers came in, as HTTP does.
type HeaderOptions struct {
	// Case compares header names case-sensitively: "content-type" and "Content-Type" differ.
	Case bool
	// Order reports the same headers in another order (a Reordered change).
	Order bool
	// Volatile reports whether a header (by name) differs on every delivery (signatures,
	// request ids, tunnel trace headers); its changes are marked Volatile. Nil marks nothing.
	Volatile func(name string) bool
}

// HeaderChange is one difference between two header lists.
type HeaderChange struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // Added, Removed, Changed or Reordered
	// A and B are the values on each side, several joined with ", " ("" where absent); for
	// Reordered, the header names in each order.
	A        string `json:"a"`
	B        string `json:"b"`
	Volatile bool   `json:"volatile"`
}

// Headers compares two header lists and returns their changes in A's order, then the headers
// only B has.
func Headers(a, b backend.Headers, opt HeaderOptions) []HeaderChange {
	norm := func(n string) string {
		if opt.Case {
			return n
		}
		return strings.ToLower(n)
	}
	type group struct {
		name   string
		values []string
	}
	collect := func(hs backend.Headers) ([]string, map[string]*group) {
		var order []string
		m := map[string]*group{}
		for _, h := range hs {
			k := norm(h.Name)
			g := m[k]
			if g == nil {
				g = &group{name: h.Name}
				m[k] = g
				order = append(order, k)
			}
			g.values = append(g.values, h.Value)
		}
		return order, m
	}
	oa, ma := collect(a)
	ob, mb := collect(b)
	var out []HeaderChange
	add := func(name, kind, va, vb string) {
		hc := HeaderChange{Name: name, Kind: kind, A: va, B: vb}
		if opt.Volatile != nil {
			hc.Volatile = opt.Volatile(name)
		}
		out = append(out, hc)
	}
	for _, k := range oa {
		ga, gb := ma[k], mb[k]
		va := strings.Join(ga.values, ", ")
		if gb == nil {
			add(ga.name, Removed, va, "")
			continue
		}
		if vb := strings.Join(gb.values, ", "); vb != va {
			add(ga.name, Changed, va, vb)
		}
	}
	for _, k := range ob {
		if ma[k] == nil {
			g := mb[k]
			add(g.name, Added, "", strings.Join(g.values, ", "))
		}
	}
	if opt.Order {
		common := func(order []string, other map[string]*group, own map[string]*group) []string {
			var names []string
			for _, k := range order {
				if other[k] != nil {
					names = append(names, own[k].name)
				}
			}
			return names
		}
		na, nb := common(oa, mb, ma), common(ob, ma, mb)
		if ja, jb := strings.Join(na, ", "), strings.Join(nb, ", "); !strings.EqualFold(ja, jb) || (opt.Case && ja != jb) {
			out = append(out, HeaderChange{Name: "(order)", Kind: Reordered, A: ja, B: jb})
		}
	}
	return out
}

// VisibleHeaders returns the changes that are not volatile, unless all is true, and how many
// were hidden.
func VisibleHeaders(changes []HeaderChange, all bool) ([]HeaderChange, int) {
	return visible(changes, all, func(c HeaderChange) bool { return c.Volatile })
}
