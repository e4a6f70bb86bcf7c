package cli

import (
	"fmt"
	"io"

	"hooklens/backend/decode"
	"hooklens/backend/diff"
)

// printer writes diffs as text, with ANSI colours when color is set (a terminal).
type printer struct {
	w     io.Writer
	color bool
}

const (
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func (p *printer) paint(code, s string) string {
	if !p.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p *printer) printf(format string, args ...any) { fmt.Fprintf(p.w, format, args...) }

// mark is the sign and colour of a change kind.
func (p *printer) mark(kind string) string {
	switch kind {
	case diff.Added, diff.StepInserted:
		return p.paint(ansiGreen, "+")
	case diff.Removed, diff.StepMissing:
		return p.paint(ansiRed, "-")
	case diff.TypeChanged:
		return p.paint(ansiYellow, "!")
	}
	return p.paint(ansiYellow, "~")
}

func (p *printer) delivery(d diff.DeliveryDiff) {
	for _, side := range []struct {
		mark string
		s    diff.Summary
	}{{p.paint(ansiRed, "A"), d.A}, {p.paint(ansiGreen, "B"), d.B}} {
		p.printf("%s %s  %s %s  %s\n", side.mark, side.s.Label, side.s.Vendor, side.s.EventType, side.s.ReceivedAt)
		if side.s.Status != 0 { // 0: a plain body file, with no request line of its own
			p.printf("  %s\n", p.paint(ansiDim, fmt.Sprintf("%s %s, answered %d", side.s.Method, side.s.Path, side.s.Status)))
		}
	}
	p.printf("%s\n", p.paint(ansiBold, d.Verdict))
	if len(d.Fields) > 0 {
		p.printf("\nBody\n")
		p.fields(d.Fields, "  ")
	}
	if d.BodyNote != "" {
		p.printf("\nBody: %s\n", d.BodyNote)
		for _, l := range d.Lines {
			switch l.Kind {
			case diff.Removed:
				p.printf("  %s %s\n", p.mark(l.Kind), p.paint(ansiRed, l.Text))
			case diff.Added:
				p.printf("  %s %s\n", p.mark(l.Kind), p.paint(ansiGreen, l.Text))
			default:
				p.printf("    %s\n", p.paint(ansiDim, l.Text))
			}
		}
	}
	if len(d.Headers) > 0 {
		p.printf("\nHeaders\n")
		for _, h := range d.Headers {
			vol := ""
			if h.Volatile {
				vol = p.paint(ansiDim, " (volatile)")
			}
			p.printf("  %s %s: %s%s\n", p.mark(h.Kind), h.Name, p.values(h.Kind, h.A, h.B), vol)
		}
	}
	if d.HiddenFields+d.HiddenHeaders > 0 {
		p.printf("\n%s\n", p.paint(ansiDim, fmt.Sprintf("%d volatile fields and %d volatile headers hidden (ids, times, secrets, signatures)",
			d.HiddenFields, d.HiddenHeaders)))
	}
}

func (p *printer) values(kind, a, b string) string {
	switch kind {
	case diff.Added:
		return p.paint(ansiGreen, b)
	case diff.Removed:
		return p.paint(ansiRed, a)
	}
	return p.paint(ansiRed, a) + " → " + p.paint(ansiGreen, b)
}

func (p *printer) fields(fs []diff.FieldChange, indent string) {
	for _, f := range fs {
		what := p.values(f.Kind, short(f.A), short(f.B))
		if f.Kind == diff.TypeChanged {
			what += p.paint(ansiYellow, fmt.Sprintf("  (type %s → %s)", f.AType, f.BType))
		}
		vol := ""
		if f.Volatile {
			vol = p.paint(ansiDim, " (volatile)")
		}
		p.printf("%s%s %s: %s%s\n", indent, p.mark(f.Kind), f.Path, what, vol)
		switch {
		case f.Known && f.Description != "":
			p.printf("%s    %s\n", indent, p.paint(ansiDim, decode.Truncate(f.Description, 160)))
		case !f.Known:
			p.printf("%s    %s\n", indent, p.paint(ansiDim, "not in the catalog"))
		}
	}
}

// short cuts a JSON value for one line.
func short(s string) string { return decode.Truncate(s, 120) }

func (p *printer) catalog(label string, c decode.CatalogComparison) {
	doc := "documented"
	if !c.Documented {
		doc = "not documented"
	}
	p.printf("%s  %s %s (%s): %d documented fields present\n", label, c.Vendor, c.EventType, doc, c.Present)
	if len(c.Rows) == 0 {
		p.printf("%s\n", p.paint(ansiBold, "matches the catalog"))
		return
	}
	for _, r := range c.Rows {
		sign := p.mark(diff.Changed)
		switch r.Kind {
		case decode.FlagUnknownField:
			sign = p.mark(diff.Added)
		case decode.FlagMissingRequired, decode.RowAbsent:
			sign = p.mark(diff.Removed)
		}
		p.printf("%s %-16s %s\n", sign, r.Kind, r.Path)
		if r.Reason != "" {
			p.printf("    %s\n", p.paint(ansiDim, r.Reason))
		}
		if r.Description != "" {
			p.printf("    %s\n", p.paint(ansiDim, decode.Truncate(r.Description, 160)))
		}
	}
}

func (p *printer) conversation(d diff.ConversationDiff) {
	p.printf("%s %s/%s (%d events)\n", p.paint(ansiRed, "A"), d.A.Vendor, d.A.ID, d.A.Events)
	p.printf("%s %s/%s (%d events)\n", p.paint(ansiGreen, "B"), d.B.Vendor, d.B.ID, d.B.Events)
	p.printf("%s\n\n", p.paint(ansiBold, d.Verdict))
	for _, s := range d.Steps {
		switch s.Kind {
		case diff.StepMissing:
			p.printf("%s %-24s %s\n", p.mark(s.Kind), s.A.EventType, p.paint(ansiRed, "only in A: "+s.A.Summary))
		case diff.StepInserted:
			p.printf("%s %-24s %s\n", p.mark(s.Kind), s.B.EventType, p.paint(ansiGreen, "only in B: "+s.B.Summary))
		case diff.StepSame:
			p.printf("  %-24s %s\n", s.A.EventType, p.paint(ansiDim, s.A.Summary))
		default:
			p.printf("%s %-24s %s\n", p.mark(s.Kind), s.A.EventType, s.A.Summary)
			if s.RolesDiffer {
				p.printf("    roles: %s\n", p.values(diff.Changed, s.A.Roles, s.B.Roles))
			}
			p.fields(s.Fields, "    ")
		}
	}
}
