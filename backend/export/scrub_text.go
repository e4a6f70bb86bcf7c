package export

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	ipv4Re  = regexp.MustCompile(`\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\b`)
	ipv6Re  = regexp.MustCompile(`(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[0-9a-z]+)?`)
	phoneRe = regexp.MustCompile(`\+\d[\d ().-]{6,18}\d`)
)

// isIP reports whether s is exactly an IPv4 or IPv6 address (not "::" and the like).
func isIP(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && !a.IsUnspecified() && (a.Is4() || strings.Count(s, ":") >= 2 && len(s) >= 6)
}

// email returns the pseudonym of an e-mail address (case-insensitive).
func (s *Scrubber) email(v string) string {
	return "user-" + s.pseudo(KindEmail, strings.ToLower(strings.TrimSpace(v)), 8) + "@example.com"
}

// ip returns a pseudonym of the same family: 10.x.y.z for IPv4, fd00::/16 for IPv6.
func (s *Scrubber) ip(v string) string {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return "10.0.0.1"
	}
	h := s.mac(KindIP, a.Unmap().String())
	if a.Unmap().Is4() {
		return fmt.Sprintf("10.%d.%d.%d", h[0], h[1], h[2])
	}
	return fmt.Sprintf("fd00::%x:%x:%x:%x", binary.BigEndian.Uint16(h[0:]), binary.BigEndian.Uint16(h[2:]),
		binary.BigEndian.Uint16(h[4:]), binary.BigEndian.Uint16(h[6:]))
}

// phone returns a fictional number: +1 555 and seven digits.
func (s *Scrubber) phone(v string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v)
	h := s.mac(KindPhone, digits)
	return fmt.Sprintf("+1555%07d", binary.BigEndian.Uint32(h)%10000000)
}

func (s *Scrubber) mac(kind, value string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

var loremWords = strings.Fields(`lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod
	tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation
	ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit
	esse cillum eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui
	officia deserunt mollit anim id est laborum`)

// lorem returns placeholder words about as long as v (in runes), the same for the same v.
func (s *Scrubber) lorem(v string) string {
	h := s.mac(KindText, v)
	rng := rand.New(rand.NewPCG(binary.BigEndian.Uint64(h), binary.BigEndian.Uint64(h[8:])))
	want := utf8.RuneCountInString(v)
	var b strings.Builder
	for b.Len() < want || b.Len() == 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		w := loremWords[rng.IntN(len(loremWords))]
		if b.Len() == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	out := b.String()
	if len(out) > want && want > 0 {
		out = strings.TrimRight(out[:want], " ")
	}
	if strings.HasSuffix(strings.TrimSpace(v), "?") {
		out += "?"
	} else if want > 20 {
		out += "."
	}
	return out
}

// text replaces the e-mail addresses, IP addresses and international phone numbers inside v.
func (s *Scrubber) text(v, where string) string {
	if len(v) < 7 || !strings.ContainsAny(v, "@.:+") {
		return v
	}
	if strings.Contains(v, "@") {
		v = emailRe.ReplaceAllStringFunc(v, func(m string) string {
			s.count(where, KindEmail)
			return s.email(m)
		})
	}
	if strings.Contains(v, ".") {
		v = replaceIPs(v, ipv4Re, func(m string) string {
			s.count(where, KindIP)
			return s.ip(m)
		})
	}
	if strings.Count(v, ":") >= 2 {
		v = replaceIPs(v, ipv6Re, func(m string) string {
			s.count(where, KindIP)
			return s.ip(m)
		})
	}
	if strings.Contains(v, "+") {
		v = phoneRe.ReplaceAllStringFunc(v, func(m string) string {
			s.count(where, KindPhone)
			return s.phone(m)
		})
	}
	return v
}

// replaceIPs replaces the matches of re that are IP addresses and not part of a version
// ("Chrome/120.0.0.0") or a longer dotted number.
func replaceIPs(v string, re *regexp.Regexp, fn func(string) string) string {
	locs := re.FindAllStringIndex(v, -1)
	if locs == nil {
		return v
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		m := v[l[0]:l[1]]
		if !isIP(strings.SplitN(m, "%", 2)[0]) || l[0] > 0 && strings.ContainsRune("/.", rune(v[l[0]-1])) ||
			l[1] < len(v) && v[l[1]] == '.' && l[1]+1 < len(v) && v[l[1]+1] >= '0' && v[l[1]+1] <= '9' {
			continue
		}
		b.WriteString(v[last:l[0]])
		b.WriteString(fn(m))
		last = l[1]
	}
	b.WriteString(v[last:])
	return b.String()
}
