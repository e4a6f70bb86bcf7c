// Package scenario is the kit vendor packages build their simulated conversations with: fresh
// ids, times ending now, ordered JSON objects, and requests as the vendor would send them.
package scenario

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"hooklens/backend"
)

// Scenario names every vendor has.
const (
	Conversation = "conversation" // a whole conversation: start, messages, transfer, tag, close
	Agent        = "agent"        // an agent's day: sign-in and status changes
)

// Request is one simulated delivery: what the vendor would send.
type Request struct {
	Vendor    string
	EventType string
	Delivery  backend.Delivery // Method, Path, Headers (in the vendor's order and case), Body
}

// Scenario is a named sequence of events of one vendor.
type Scenario struct {
	Vendor      string   `json:"vendor"` // set by the simulator from the vendor that lists it
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Events      []string `json:"events"` // set by the simulator from a trial build
	// Make builds the requests of one run from g.
	Make func(g *Gen) []Request `json:"-"`
}

// Build returns the requests of s with fresh ids, times ending at now, signed with secret
// (the vendor's configured secret; "" signs nothing).
func (s Scenario) Build(now time.Time, secret string) []Request {
	return s.Make(NewGen(now, secret))
}

// Gen makes the ids and times of one run.
type Gen struct {
	// Secret is the vendor's secret to sign with; "" signs nothing.
	Secret string
	now    time.Time
	step   time.Duration
}

// NewGen returns a generator whose last event happens at now, events 7 s apart.
func NewGen(now time.Time, secret string) *Gen {
	return &Gen{now: now.UTC(), Secret: secret, step: 7 * time.Second}
}

// At returns the time of event i of n: the last one is now.
func (g *Gen) At(i, n int) time.Time {
	return g.now.Add(-time.Duration(n-1-i) * g.step)
}

// UUID returns a random UUID.
func (g *Gen) UUID() string { return uuid.NewString() }

// Code returns n random upper-case letters and digits (n ≤ 26).
func (g *Gen) Code(n int) string { return strings.ToUpper(rand.Text())[:n] }

// Hex returns n random hex digits (n ≤ 32).
func (g *Gen) Hex(n int) string { return strings.ReplaceAll(uuid.NewString(), "-", "")[:n] }

// IntN returns a random number in [0, n).
func (g *Gen) IntN(n int) int { return mrand.IntN(n) }

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

// JSON is a POST of body as JSON to path, with headers after Content-Type and User-Agent.
func JSON(vendor, eventType, path string, body any, headers ...backend.Header) Request {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // the scenarios build only marshalable values
	}
	hs := backend.Headers{{Name: "Content-Type", Value: "application/json"}, {Name: "User-Agent", Value: "Hooklens-Simulator/1"}}
	hs = append(hs, headers...)
	return Request{Vendor: vendor, EventType: eventType, Delivery: backend.Delivery{Method: "POST", Path: path, Headers: hs,
		Body: b, Size: int64(len(b)), ContentType: "application/json"}}
}
