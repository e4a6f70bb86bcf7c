package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Def is a sub-tree found in several places (User, Chat, …), rendered once and referenced.
type Def struct {
	Name string
	Node *Node
	Uses int
}

// minDefMembers is the smallest object worth sharing: smaller ones stay inline.
const minDefMembers = 3

// share finds object sub-trees that occur more than once across the set's event types
// (structurally: same members, types, values, explanations) and makes each a Def named from
// its key. Bigger sub-trees are shared first; the smaller ones inside them stay shareable.
func (s *Set) share() {
	s.Defs = nil
	sigs := map[string][]*Node{}
	sizes := map[string]int{}
	memo := map[*Node]string{}
	hints := map[*Node]string{}
	var walk func(n *Node, hint string)
	walk = func(n *Node, hint string) {
		n.def = nil
		if len(n.Props) >= minDefMembers {
			sig := signature(n, memo)
			sigs[sig] = append(sigs[sig], n)
			sizes[sig] = size(n)
			hints[n] = hint
		}
		for _, c := range n.Props {
			walk(c, c.Key)
		}
		if n.Star != nil {
			walk(n.Star, singular(hint))
		}
		if n.Elem != nil {
			walk(n.Elem, singular(hint))
		}
	}
	for _, e := range s.Events {
		walk(e.Root, e.Name)
		delete(sigs, signature(e.Root, memo)) // an event's root is the event type itself
	}
	var keys []string
	for sig, nodes := range sigs {
		if len(nodes) > 1 {
			keys = append(keys, sig)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if sizes[keys[i]] != sizes[keys[j]] {
			return sizes[keys[i]] > sizes[keys[j]]
		}
		return keys[i] < keys[j]
	})
	used := map[string]bool{}
	for _, e := range s.Events {
		used[TypeName(e.Name)] = true
	}
	for _, sig := range keys {
		nodes := sigs[sig]
		d := &Def{Node: nodes[0], Uses: len(nodes)}
		d.Name = uniqueName(defName(nodes, hints), used)
		for _, n := range nodes {
			n.def = d
		}
		s.Defs = append(s.Defs, d)
	}
	sort.Slice(s.Defs, func(i, j int) bool { return s.Defs[i].Name < s.Defs[j].Name })
}

// size counts the nodes of n's sub-tree.
func size(n *Node) int {
	total := 1
	for _, c := range n.children() {
		total += size(c)
	}
	return total
}

// children returns the members, any-member and element nodes of n.
func (n *Node) children() []*Node {
	out := append([]*Node(nil), n.Props...)
	if n.Star != nil {
		out = append(out, n.Star)
	}
	if n.Elem != nil {
		out = append(out, n.Elem)
	}
	return out
}

// signature describes n's shape without its own key, requirement or explanation (those
// belong to where it is used), so that equal shapes under different keys match. It is a hash
// over the node's own facts and its members' (keys, requirements, explanations and their own
// signatures), memoized in memo: each node is hashed once.
func signature(n *Node, memo map[*Node]string) string {
	if s, ok := memo[n]; ok {
		return s
	}
	h := sha256.New()
	fmt.Fprintf(h, "{%v|%q|%q|%q|%v|%v", n.Types, n.Enum, n.Const, n.Format, n.Open, n.Documented)
	if n.Observed != nil {
		fmt.Fprintf(h, "|o%v%v", n.Widened, n.Absent)
	}
	for _, c := range n.children() {
		fmt.Fprintf(h, "%q:%v:%q:%q:%v:%q=%s", c.Key, c.Required, c.Description, c.Deprecated, c.Range, c.RenamedTo, signature(c, memo))
	}
	s := hex.EncodeToString(h.Sum(nil))
	memo[n] = s
	return s
}

// defName names a shared sub-tree from the key it is found under most often; array elements
// take their array's key in the singular ("users[]" → User).
func defName(nodes []*Node, hints map[*Node]string) string {
	count := map[string]int{}
	best := ""
	for _, n := range nodes {
		k := hints[n]
		count[k]++
		if best == "" || count[k] > count[best] || (count[k] == count[best] && k < best) {
			best = k
		}
	}
	return TypeName(best)
}

// uniqueName returns name, or name with a number when it is taken.
func uniqueName(name string, used map[string]bool) string {
	if name == "" || name == "[]" || name == "*" {
		name = "Item"
	}
	out := name
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s%d", name, i)
	}
	used[out] = true
	return out
}

// TypeName turns a key or event type name into an exported identifier: "incoming_chat" →
// IncomingChat, "v2.conversation.pushed" → V2ConversationPushed.
func TypeName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" {
		return "Item"
	}
	if unicode.IsDigit(rune(out[0])) {
		out = "T" + out
	}
	return out
}

// singular drops a plural ending: users → user, properties → property, addresses → address.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && len(s) > 3:
		return s[:len(s)-1]
	}
	return s
}
