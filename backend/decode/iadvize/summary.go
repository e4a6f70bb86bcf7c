package iadvize

import (
	"strings"

	"hooklens/backend"
)

// availabilitySummary reads availabilities[] into a sentence ("Operator 1 is now unavailable on
// CHAT, available on CALL (desk)") and the agent status it implies.
func availabilitySummary(d doc, ev *backend.Event, as *actors) string {
	user := d.str("userId")
	as.add(user, backend.KindAgent, "subject")
	type group struct {
		status   string
		channels []string
	}
	var groups []group
	available, unavailable := 0, 0
	for _, a := range d.objects("availabilities") {
		status := strings.ToLower(oneLine(a.str("status"), 30))
		switch status {
		case "available":
			available++
		case "unavailable":
			unavailable++
		case "":
			status = "of unknown status"
		}
		ch := oneLine(a.str("channel"), 40)
		if ch == "" {
			ch = "an unnamed channel"
		}
		i := 0
		for i < len(groups) && groups[i].status != status {
			i++
		}
		if i == len(groups) {
			groups = append(groups, group{status: status})
		}
		groups[i].channels = append(groups[i].channels, ch)
	}
	switch {
	case available > 0 && unavailable == 0:
		setStatus(ev, OfAgent, StatusAvailable)
	case unavailable > 0 && available == 0:
		setStatus(ev, OfAgent, StatusUnavailable)
	case available > 0:
		setStatus(ev, OfAgent, StatusPartiallyAvailable)
	}
	origin := ""
	if o := oneLine(d.str("origin"), 40); o != "" {
		origin = " (" + o + ")"
	}
	if len(groups) == 0 {
		return "Operator " + orUnknown(short(user)) + " changed availability" + origin
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = g.status + " on " + join(g.channels)
	}
	return "Operator " + orUnknown(short(user)) + " is now " + strings.Join(parts, ", ") + origin
}

// satisfactionSummary names the one survey answer the event carries (in practice one per event).
func satisfactionSummary(d doc, conv string) string {
	var said []string
	if d.has("customerSatisfaction") {
		said = append(said, "gave satisfaction "+orUnknown(oneLine(d.str("customerSatisfaction"), 20)))
	}
	if d.has("netPromoterScore") {
		said = append(said, "gave net promoter score "+orUnknown(oneLine(d.str("netPromoterScore"), 20)))
	}
	if d.has("satisfactionComment") {
		said = append(said, "commented \""+oneLine(d.str("satisfactionComment"), 80)+"\"")
	}
	if d.has("customQuestion") {
		s := "answered the custom question"
		if v := oneLine(d.str("customQuestion"), 40); v != "" {
			s += " (" + v + ")"
		}
		said = append(said, s)
	}
	if len(said) == 0 {
		said = []string{"answered the satisfaction survey"}
	}
	return "Visitor " + join(said) + " on conversation " + orUnknown(conv)
}

// transactionSummary: "Sale 300.20 (transaction-1) attributed to conversation 2d90a8a2… and operator 1 (Onsite)".
func transactionSummary(d doc, conv, op string) string {
	s := "Sale " + orUnknown(oneLine(d.str("amount"), 30))
	if ext := oneLine(d.str("externalId"), 40); ext != "" {
		s += " (" + ext + ")"
	}
	s += " attributed to conversation " + orUnknown(conv)
	if op != "" {
		s += " and operator " + short(op)
	}
	if src := oneLine(d.str("source"), 30); src != "" {
		s += " (" + src + ")"
	}
	return s
}

// connectorSummary: "Connector 3f0e6840… (version 3f0e6840…) installed on website 1".
func connectorSummary(d doc, eventType string) string {
	s := "Connector " + orUnknown(short(d.str("connectorId")))
	if v := short(d.str("connectorVersionId")); v != "" {
		s += " (version " + v + ")"
	}
	site := oneLine(d.str("websiteId"), 40)
	if site == "" {
		site = oneLine(d.str("projectId"), 40)
	}
	if eventType == ConnectorInstalled {
		s += " installed"
		if site != "" {
			s += " on website " + site
		}
		return s
	}
	s += " uninstalled"
	if site != "" {
		s += " from website " + site
	}
	return s
}

// genericSummary covers event types the catalog does not know: it still reads the identity fields.
func genericSummary(d doc, ev *backend.Event, conv string, as *actors) string {
	ops := d.ids("operatorIds")
	if op := d.str("operatorId"); op != "" {
		ops = append(ops, op)
	}
	for _, op := range ops {
		as.add(op, backend.KindAgent, "participant")
	}
	user := d.str("userId")
	as.add(user, backend.KindAgent, "subject")
	visitor := d.str("visitorId")
	as.add(visitor, backend.KindCustomer, "participant")

	s := "iAdvize event " + oneLine(ev.EventType, 80)
	if ev.EventType == "" {
		s = "iAdvize event with no eventType"
	}
	if conv != "" {
		s += " on conversation " + conv
	}
	var who []string
	for _, op := range ops {
		who = append(who, "operator "+short(op))
	}
	if user != "" {
		who = append(who, "user "+short(user))
	}
	if visitor != "" {
		who = append(who, "visitor "+short(visitor))
	}
	if len(who) > 0 {
		s += " (" + strings.Join(who, ", ") + ")"
	}
	return s
}
