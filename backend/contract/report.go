package contract

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// JUnit XML, as CI servers read it: one testsuite per conversation, one testcase per delivery.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: a testsuite per conversation (in the order of
// their first delivery; deliveries of no conversation in one suite of their vendor), a
// testcase per delivery whose failure holds the request sent and every answer.
func WriteJUnit(w io.Writer, rep *Report) error {
	out := junitSuites{Name: "hooklens test " + rep.Target, Time: secs(rep.DurationMS)}
	index := map[string]int{}
	for _, c := range rep.Cases {
		name := c.Conversation
		if name == "" {
			name = c.Vendor + " (no conversation)"
		}
		i, ok := index[name]
		if !ok {
			i = len(out.Suites)
			index[name] = i
			out.Suites = append(out.Suites, junitSuite{Name: name, Timestamp: rep.StartedAt.Format("2006-01-02T15:04:05"),
				Properties: []junitProperty{{"target", rep.Target}, {"seed", fmt.Sprint(rep.Seed)}, {"signing", rep.Options.Signing}}})
		}
		s := &out.Suites[i]
		ms := 0.0
		for _, a := range c.Attempts {
			ms += a.LatencyMS
		}
		jc := junitCase{Name: fmt.Sprintf("%03d %s %s", c.Index+1, c.EventType, c.DeliveryID), Classname: name, Time: secs(ms)}
		if !c.Passed {
			jc.Failure = &junitFailure{Message: strings.Join(c.Failures, "; "), Type: "assertion",
				Text: redact(describe(c), rep.Options.Secrets)}
			s.Failures++
			out.Failures++
		} else {
			jc.SystemOut = answers(c, false)
		}
		s.Tests++
		out.Tests++
		s.Time = secs(parseSecs(s.Time)*1000 + ms)
		s.Cases = append(s.Cases, jc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// redact hides the vendor secrets a request carries (a token header, a secret_key in the body):
// a report is kept by CI and read by more people than the secret.
func redact(text string, secrets map[string]string) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			text = strings.ReplaceAll(text, s, "[secret]")
		}
	}
	return text
}

// describe is the request sent for c and every answer, as text.
func describe(c *Case) string {
	var b strings.Builder
	for _, f := range c.Failures {
		fmt.Fprintf(&b, "FAILED %s\n", f)
	}
	fmt.Fprintf(&b, "\nRequest (delivery %s, %s), to %s:\n", c.DeliveryID, c.Signing, c.URL)
	b.WriteString(strings.ReplaceAll(string(c.head), "\r\n", "\n"))
	if d := c.Request; d != nil {
		b.WriteString(printable(d.Body, 4096))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	b.WriteString(answers(c, true))
	return b.String()
}

// answers lists every attempt's answer: its status line, and with full its headers and body.
func answers(c *Case, full bool) string {
	var b strings.Builder
	for _, a := range c.Attempts {
		fmt.Fprintf(&b, "Answer to the %s (%.1f ms): ", attemptName(&a), a.LatencyMS)
		if a.Error != "" {
			fmt.Fprintf(&b, "none: %s\n", a.Error)
			continue
		}
		fmt.Fprintf(&b, "%d %s\n", a.Status, a.StatusText)
		if !full {
			continue
		}
		keys := slices.Sorted(maps.Keys(a.Header))
		for _, k := range keys {
			fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(a.Header[k], ", "))
		}
		if a.Body != "" {
			fmt.Fprintf(&b, "\n%s\n", printable([]byte(a.Body), 2048))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// printable is body as text (XML cannot carry control characters), at most n bytes.
func printable(body []byte, n int) string {
	if !utf8.Valid(body) {
		return fmt.Sprintf("(%d bytes, not text)", len(body))
	}
	s := string(body)
	cut := len(s) > n
	if cut {
		s = strings.ToValidUTF8(s[:n], "")
	}
	s = strings.Map(func(r rune) rune {
		if r < ' ' && r != '\n' && r != '\t' || r == 0xFFFE || r == 0xFFFF {
			return '?'
		}
		return r
	}, s)
	if cut {
		s += fmt.Sprintf("… (%d bytes in all)", len(body))
	}
	return s
}

func secs(ms float64) string { return fmt.Sprintf("%.3f", ms/1000) }

func parseSecs(s string) float64 {
	var f float64
	fmt.Sscanf(s, "%g", &f)
	return f
}
