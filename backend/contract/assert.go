package contract

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklens/backend/export"
)

// judge checks every attempt of c against its rule and sets c.Failures and c.Passed. The
// first attempt is the reference a retry or duplicate must answer like.
func judge(c *Case, signing string) {
	var first *Attempt
	for i := range c.Attempts {
		if c.Attempts[i].Kind == KindFirst {
			first = &c.Attempts[i]
		}
	}
	for i := range c.Attempts {
		a := &c.Attempts[i]
		a.Failures = append(a.Failures, checkAnswer(c, a, signing)...)
		if a.Kind != KindFirst && first != nil && a.Error == "" && first.Error == "" {
			a.Failures = append(a.Failures, checkSame(c, a, first)...)
		}
		for _, f := range a.Failures {
			c.Failures = append(c.Failures, attemptName(a)+": "+f)
		}
	}
	c.Passed = len(c.Failures) == 0
}

func attemptName(a *Attempt) string {
	switch a.Kind {
	case KindRetry:
		return "retry " + strconv.Itoa(a.N)
	case KindDuplicate:
		return "duplicate"
	}
	return "first attempt"
}

// checkAnswer checks one answer on its own: it came, in time, with the status, body and
// headers the rule asks for.
func checkAnswer(c *Case, a *Attempt, signing string) []string {
	var out []string
	r := c.Rule
	if a.Error != "" {
		if strings.HasSuffix(a.Error, "timed out") {
			return []string{fmt.Sprintf("no answer within %v (%s): the vendor gives up and counts the delivery failed", c.Timeout, a.Error)}
		}
		return []string{"no answer: " + a.Error}
	}
	want := r.Status
	if want == nil {
		want = Class(2)
	}
	if signing != export.Signed {
		want = r.UnsignedStatus
		if want == nil {
			want = Class(4)
		}
	}
	if !want.Accepts(a.Status) {
		msg := fmt.Sprintf("status %d, want %s", a.Status, want)
		if signing != export.Signed {
			msg += fmt.Sprintf(" for a %s delivery: the handler must reject it", signing)
		}
		if ex := oneLine(a.Body); ex != "" {
			msg += " (answer: " + ex + ")"
		}
		out = append(out, msg)
	}
	if r.MaxLatency != nil && a.latency > r.MaxLatency.Duration {
		out = append(out, fmt.Sprintf("answered in %v, over max_latency %v", a.latency.Round(time.Millisecond), r.MaxLatency.Duration))
	}
	if signing != export.Signed {
		return out // body and header checks describe an accepted delivery's answer
	}
	for _, b := range r.Body {
		if msg := checkBody(b, a.excerpt, a.Truncated); msg != "" {
			out = append(out, msg)
		}
	}
	for _, h := range r.Headers {
		if msg := checkHeader(h, a); msg != "" {
			out = append(out, msg)
		}
	}
	return out
}

// checkSame checks that a retry or duplicate got the first attempt's answer.
func checkSame(c *Case, a, first *Attempt) []string {
	if a.Status != first.Status {
		return []string{fmt.Sprintf("answered %d, the first attempt %d: the same event sent again must get the same answer (is the handler idempotent?)", a.Status, first.Status)}
	}
	if c.Rule.SameOnRetry != nil && *c.Rule.SameOnRetry && !bytes.Equal(a.excerpt, first.excerpt) {
		return []string{fmt.Sprintf("answered %q, the first attempt %q: same_on_retry wants the same body", oneLine(a.Body), oneLine(first.Body))}
	}
	return nil
}

func checkBody(b BodyCheck, body []byte, truncated bool) string {
	what := "body"
	val := any(string(body))
	if b.Path != "" {
		what = "body " + b.Path
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			if truncated {
				return fmt.Sprintf("%s: the answer's body is longer than what is kept, not read as JSON", what)
			}
			return fmt.Sprintf("%s: the answer's body is not JSON", what)
		}
		v, ok := jsonAt(doc, b.Path)
		if !ok {
			return fmt.Sprintf("%s: not in the answer", what)
		}
		val = v
	}
	str, isStr := val.(string)
	if !isStr {
		raw, _ := json.Marshal(val)
		str = string(raw)
	}
	switch {
	case b.hasEq || b.Equals != nil:
		if !sameJSON(val, b.Equals) {
			want, _ := json.Marshal(b.Equals)
			got, _ := json.Marshal(val)
			return fmt.Sprintf("%s is %s, want %s", what, short(string(got)), want)
		}
	case b.re != nil:
		if !b.re.MatchString(str) {
			return fmt.Sprintf("%s %s does not match %s", what, short(strconvQuote(str)), b.Matches)
		}
	case b.Contains != "":
		if !strings.Contains(str, b.Contains) {
			return fmt.Sprintf("%s %s does not contain %q", what, short(strconvQuote(str)), b.Contains)
		}
	}
	return ""
}

func checkHeader(h HeaderCheck, a *Attempt) string {
	vals := a.Header.Values(h.Name)
	v := strings.Join(vals, ", ")
	switch {
	case h.Absent:
		if len(vals) > 0 {
			return fmt.Sprintf("header %s is %q, want none", h.Name, v)
		}
		return ""
	case len(vals) == 0:
		return fmt.Sprintf("header %s is missing", h.Name)
	case h.Equals != "" && v != h.Equals:
		return fmt.Sprintf("header %s is %q, want %q", h.Name, v, h.Equals)
	case h.re != nil && !h.re.MatchString(v):
		return fmt.Sprintf("header %s %q does not match %s", h.Name, v, h.Matches)
	case h.Contains != "" && !strings.Contains(v, h.Contains):
		return fmt.Sprintf("header %s %q does not contain %q", h.Name, v, h.Contains)
	}
	return ""
}

// jsonAt follows a path ("data.items[0].id") in doc.
func jsonAt(doc any, path string) (any, bool) {
	set, err := export.ParseSet(path + "=")
	if err != nil {
		return nil, false
	}
	cur := doc
	for _, st := range set.Steps() {
		if strings.HasPrefix(st, "[") {
			arr, ok := cur.([]any)
			i, err := strconv.Atoi(strings.Trim(st, "[]"))
			if !ok || err != nil || i < 0 || i >= len(arr) {
				return nil, false
			}
			cur = arr[i]
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[st]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// sameJSON compares two values as JSON (numbers by value, whatever their Go type).
func sameJSON(a, b any) bool {
	norm := func(v any) any {
		raw, err := json.Marshal(v)
		if err != nil {
			return v
		}
		var out any
		json.Unmarshal(raw, &out)
		return out
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// excerptText is the answer's body as text, or base64 when it is not UTF-8.
func excerptText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(b)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return short(s)
}

func short(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

func strconvQuote(s string) string { return strconv.Quote(s) }
