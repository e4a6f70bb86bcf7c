// Package simulate builds realistic webhook conversations for each vendor, with fresh ids, current times and the vendor's signature, and sends them to a receiver.
package simulate

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"hooklens/backend"
	"hooklens/backend/replay"
)

// DefaultTarget is the local receiver.
const DefaultTarget = "http://127.0.0.1:8787"

// Scenario names every vendor has.
const (
	ScenarioConversation = "conversation" // a whole conversation: start, messages, transfer, tag, close
	ScenarioAgent        = "agent"        // an agent's day: sign-in and status changes
)

// Request is one simulated delivery: what the vendor would send.
type Request struct {
	Vendor    string
	EventType string
	Delivery  backend.Delivery // Method, Path, Headers (in the vendor's order and case), Body
}

// Scenario is a named sequence of events of one vendor.
type Scenario struct {
	Vendor      string   `json:"vendor"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Events      []string `json:"events"`
	build       func(g *gen) []Request
}

// Scenarios returns every scenario, by vendor then name.
func Scenarios() []Scenario {
	all := []Scenario{
		{Vendor: backend.VendorLiveChat, Name: ScenarioConversation, build: livechatConversation,
			Description: "A customer chats, an agent answers, transfers the chat to a colleague who tags and closes it; the first agent's routing status around it."},
		{Vendor: backend.VendorLiveChat, Name: ScenarioAgent, build: livechatAgent,
			Description: "An agent starts accepting chats, then stops."},
		{Vendor: backend.VendorIAdvize, Name: ScenarioConversation, build: iadvizeConversation,
			Description: "An operator connects and becomes available; a conversation is pushed to them, then to a second operator, closed, and rated."},
		{Vendor: backend.VendorIAdvize, Name: ScenarioAgent, build: iadvizeAgent,
			Description: "An operator connects, changes availability, and disconnects."},
		{Vendor: backend.VendorCloser, Name: ScenarioConversation, build: closerConversation,
			Description: "An agent signs in and becomes available; a guest opens a room, it is assigned, messages go both ways, it is tagged, closed and reopened."},
		{Vendor: backend.VendorCloser, Name: ScenarioAgent, build: closerAgent,
			Description: "An agent signs in, goes away, and signs out."},
	}
	for i := range all {
		for _, r := range all[i].build(newGen(time.Now(), "")) {
			all[i].Events = append(all[i].Events, r.EventType)
		}
	}
	return all
}

// Find returns the scenario of vendor named name ("" is the conversation); EINVALID when there is none.
func Find(vendor, name string) (Scenario, error) {
	vendor, name = strings.ToLower(vendor), strings.ToLower(name)
	if name == "" {
		name = ScenarioConversation
	}
	var names []string
	for _, s := range Scenarios() {
		if s.Vendor == vendor && s.Name == name {
			return s, nil
		}
		if s.Vendor == vendor {
			names = append(names, s.Name)
		}
	}
	if names == nil {
		return Scenario{}, backend.Errorf(backend.EINVALID, "no vendor %q: simulate livechat, iadvize or closer", vendor)
	}
	sort.Strings(names)
	return Scenario{}, backend.Errorf(backend.EINVALID, "%s has no scenario %q (try %s)", vendor, name, strings.Join(names, ", "))
}

// Build returns the requests of s with fresh ids, times ending at now, signed with secret
// (the vendor's configured secret; "" signs nothing).
func (s Scenario) Build(now time.Time, secret string) []Request {
	return s.build(newGen(now, secret))
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

// gen makes the ids and times of one run.
type gen struct {
	now    time.Time
	secret string
	step   time.Duration
}

func newGen(now time.Time, secret string) *gen {
	return &gen{now: now.UTC(), secret: secret, step: 7 * time.Second}
}

// at returns the time of event i of n: the last one is now.
func (g *gen) at(i, n int) time.Time {
	return g.now.Add(-time.Duration(n-1-i) * g.step)
}

func (g *gen) uuid() string { return uuid.NewString() }

// code returns n random upper-case letters and digits (LiveChat chat and thread ids).
func (g *gen) code(n int) string { return strings.ToUpper(rand.Text())[:n] }

func (g *gen) hex(n int) string {
	return strings.ReplaceAll(uuid.NewString(), "-", "")[:n]
}

// O is a JSON object whose keys keep their order: key, value, key, value...
type O []any

// MarshalJSON writes the pairs in order.
func (o O) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i+1 < len(o); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(fmt.Sprint(o[i]))
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(o[i+1])
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonRequest is a POST of body as JSON to path with headers after Content-Type.
func jsonRequest(vendor, eventType, path string, body any, headers ...backend.Header) Request {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // the scenarios build only marshalable values
	}
	hs := backend.Headers{{Name: "Content-Type", Value: "application/json"}, {Name: "User-Agent", Value: "Hooklens-Simulator/1"}}
	hs = append(hs, headers...)
	return Request{Vendor: vendor, EventType: eventType, Delivery: backend.Delivery{Method: "POST", Path: path, Headers: hs,
		Body: b, Size: int64(len(b)), ContentType: "application/json"}}
}
