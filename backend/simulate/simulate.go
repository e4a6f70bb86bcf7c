// Package simulate builds realistic webhook conversations for each vendor, with fresh ids, current times and the vendor's signature, and sends them to a receiver.
package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/replay"
	"hooklens/backend/simulate/scenario"
)

// DefaultTarget is the local receiver.
const DefaultTarget = "http://127.0.0.1:8787"

// Scenario names every vendor has.
const (
	ScenarioConversation = scenario.Conversation
	ScenarioAgent        = scenario.Agent
)

// Request is one simulated delivery; Scenario a named sequence of events of one vendor.
type (
	Request  = scenario.Request
	Scenario = scenario.Scenario
)

// Source is a vendor that can be simulated: its package lists its scenarios.
type Source interface {
	decode.Vendor
	Scenarios() []scenario.Scenario
}

// Scenarios returns every scenario of the vendors of reg that can be simulated, in the
// registry's order, each with its vendor and the event types of a trial build.
func Scenarios(reg *decode.Registry) []Scenario {
	var all []Scenario
	for _, v := range reg.Vendors() {
		if src, ok := v.(Source); ok {
			all = append(all, withEvents(v.Name(), src.Scenarios())...)
		}
	}
	return all
}

// withEvents returns all, scenarios of vendor, with their vendor and the event types of a trial
// build.
func withEvents(vendor string, all []Scenario) []Scenario {
	for i := range all {
		all[i].Vendor = vendor
		for _, r := range all[i].Build(time.Now(), "") {
			all[i].Events = append(all[i].Events, r.EventType)
		}
	}
	return all
}

// Vendors returns the ids of the vendors of reg that can be simulated, in the registry's order.
func Vendors(reg *decode.Registry) []string { return decode.NamesOf[Source](reg) }

// Find returns the scenario of vendor named name ("" is the conversation); EINVALID when there is none.
func Find(reg *decode.Registry, vendor, name string) (Scenario, error) {
	vendor, name = strings.ToLower(vendor), strings.ToLower(name)
	if name == "" {
		name = ScenarioConversation
	}
	src, ok := reg.Vendor(vendor).(Source)
	if !ok {
		return Scenario{}, backend.Errorf(backend.EINVALID, "no vendor %q: simulate %s", vendor, orList(Vendors(reg)))
	}
	var names []string
	for _, sc := range src.Scenarios() {
		if sc.Name == name {
			return withEvents(vendor, []Scenario{sc})[0], nil
		}
		names = append(names, sc.Name)
	}
	sort.Strings(names)
	return Scenario{}, backend.Errorf(backend.EINVALID, "%s has no scenario %q (try %s)", vendor, name, strings.Join(names, ", "))
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Sent is what the receiver answered to one simulated delivery.
type Sent struct {
	EventType string `json:"event_type"`
	URL       string `json:"url"`
	Status    int    `json:"status"`
	ID        string `json:"id,omitempty"` // the delivery id the receiver gave, when it says
	Error     string `json:"error,omitempty"`
}

// Send sends reqs in order to target (the vendor's path is appended to its path) and returns
// what each got. It stops early when ctx ends, and with an EUNAVAILABLE error when the target
// cannot be reached at all; EINVALID for a bad target.
func Send(ctx context.Context, sender *replay.Sender, target string, reqs []Request, interval time.Duration) ([]Sent, error) {
	u, err := replay.ParseTarget(target)
	if err != nil {
		return nil, err
	}
	out := make([]Sent, 0, len(reqs))
	for i, r := range reqs {
		if i > 0 && interval > 0 {
			select {
			case <-time.After(interval):
			case <-ctx.Done():
				return out, ctx.Err()
			}
		}
		res := sender.Send(ctx, &r.Delivery, u)
		s := Sent{EventType: r.EventType, URL: res.URL, Status: res.Status, Error: res.Error}
		var ack struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(res.Excerpt, &ack) == nil {
			s.ID = ack.ID
		}
		if s.Error == "" && (res.Status < 200 || res.Status > 299) {
			s.Error = strings.TrimSpace(res.StatusText + " " + string(bytes.TrimSpace(res.Excerpt)))
		}
		out = append(out, s)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		if res.Status == 0 && strings.HasPrefix(res.Error, "connect:") {
			return out, backend.Errorf(backend.EUNAVAILABLE, "cannot reach %s (%s): is the receiver (hooklens serve) running?", target, res.Error)
		}
	}
	return out, nil
}

// Versioned is a source that can send its scenarios as an older API version would: it rewrites
// one request (its body's event type name and fields) with its catalog; ok false when that
// version has no such event.
type Versioned interface {
	AsVersion(r Request, version string) (Request, bool)
}

// AtVersion rewrites reqs of vendor as its API version v sends them; it returns them and the
// event types v does not have (left out). EINVALID for a vendor without versions or an
// unknown version.
func AtVersion(reg *decode.Registry, vendor, v string, reqs []Request) ([]Request, []string, error) {
	src, ok := reg.Vendor(vendor).(Versioned)
	if !ok {
		return nil, nil, backend.Errorf(backend.EINVALID, "%s has no API versions to simulate", vendor)
	}
	if err := reg.CheckPin(vendor, v); err != nil {
		return nil, nil, backend.Errorf(backend.EINVALID, "%s", err.Error())
	}
	var out []Request
	var skipped []string
	for _, r := range reqs {
		if nr, ok := src.AsVersion(r, v); ok {
			out = append(out, nr)
		} else {
			skipped = append(skipped, r.EventType)
		}
	}
	return out, skipped, nil
}
