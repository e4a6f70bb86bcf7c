// Package gen generates a realistic stream of webhook deliveries from LiveChat, iAdvize and
// Closer: conversations that start, talk, get transferred and close, agents that log in and
// change status, vendor retries, the headers a tunnel adds. It is deterministic for a seed.
package gen

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"hooklens/backend"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
)

// Config sizes a generated store.
type Config struct {
	N             int       // deliveries
	Conversations int       // conversations across the three vendors
	Agents        int       // agents across the three vendors
	BigConv       int       // events of conversation 0 (a LiveChat chat), spread over the stream
	UIConv        int       // events of conversation 1 (a LiveChat chat) ...
	UISpan        int       // ... spread over the first UISpan deliveries (a snapshot's timeline)
	Start, End    time.Time // received_at runs from Start to End
	Seed          uint64
	Retries       float64 // share of deliveries that are vendor retries of a recent one
	AgentEvents   float64 // share of deliveries that are agent events (status, login, ...)
}

// Defaults returns the 1M store: 10,000 conversations, 200 agents, a year of captures.
func Defaults(n int) Config {
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	return Config{N: n, Conversations: 10000, Agents: 200, BigConv: 1000, Start: end.AddDate(-1, 0, 0), End: end,
		Seed: 7, Retries: 0.005, AgentEvents: 0.08}
}

// IAdvizeSecret signs iAdvize deliveries (X-iAdvize-Signature).
const IAdvizeSecret = "bench-iadvize-secret"

type conv struct {
	vendor   string
	id       string // chat_id / conversationId / roomId
	thread   string
	threads  int
	customer string
	agent    int // index into agents
	step     int
	closed   bool
}

type agent struct {
	vendor string
	id     string // email / operator id / uuid
	first  string
	last   string
}

// Generator makes deliveries one after the other.
type Generator struct {
	cfg    Config
	rng    *rand.Rand
	convs  []conv
	agents []agent
	byVend map[string][]int // agent indexes per vendor
	i      int
	bigK   int // slots of conversation 0 used so far
	uiK    int // slots of conversation 1 used so far
	recent []*backend.Delivery
	raw    int64
}

// New returns a generator for cfg.
func New(cfg Config) *Generator {
	g := &Generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		byVend: map[string][]int{}}
	vendors := []string{livechat.Name, livechat.Name, iadvize.Name, closer.Name}
	for i := range cfg.Agents {
		a := agent{vendor: vendors[i%len(vendors)], first: firstNames[i%len(firstNames)],
			last: lastNames[(i/len(firstNames)+i)%len(lastNames)]}
		switch a.vendor {
		case livechat.Name:
			a.id = fmt.Sprintf("%s.%s%d@shop-example.com", lower(a.first), lower(a.last), i)
		case iadvize.Name:
			a.id = fmt.Sprint(15200 + i)
		default:
			a.id = g.uuid()
		}
		g.byVend[a.vendor] = append(g.byVend[a.vendor], i)
		g.agents = append(g.agents, a)
	}
	for i := range cfg.Conversations {
		c := conv{vendor: vendors[i%len(vendors)]}
		if i <= 1 {
			c.vendor = livechat.Name
		}
		switch c.vendor {
		case livechat.Name:
			c.id, c.thread, c.customer = g.chatID(), g.chatID(), g.uuid()
		case iadvize.Name:
			c.id, c.customer = g.uuid(), hex.EncodeToString(g.bytes(23))
		default:
			c.id, c.customer = g.uuid(), g.uuid()
		}
		c.agent = g.pickAgent(c.vendor)
		g.convs = append(g.convs, c)
	}
	return g
}

// BigConversation returns the vendor and id of the conversation with cfg.BigConv events.
func (g *Generator) BigConversation() (string, string) { return g.convs[0].vendor, g.convs[0].id }

// UIConversation returns the vendor and id of the conversation with cfg.UIConv events.
func (g *Generator) UIConversation() (string, string) { return g.convs[1].vendor, g.convs[1].id }

// BusyAgent returns the vendor and id of an agent with many events (the first LiveChat agent).
func (g *Generator) BusyAgent() (string, string) { return g.agents[0].vendor, g.agents[0].id }

// RawBytes returns the bytes of the requests generated so far as they came on the wire: request
// line, header lines, blank line and body.
func (g *Generator) RawBytes() int64 { return g.raw }

func (g *Generator) bigIndex(k int) int { return slot(k, g.cfg.BigConv, g.cfg.N) }

func (g *Generator) uiIndex(k int) int { return slot(k, g.cfg.UIConv, min(g.cfg.UISpan, g.cfg.N)) }

// slot is the index of the k-th of n events spread evenly over span deliveries, -1 past the end.
func slot(k, n, span int) int {
	if n <= 0 || k >= n || span < 2*n {
		return -1
	}
	return k*span/n + span/(2*n)
}

// Next returns the next delivery, nil after cfg.N.
func (g *Generator) Next() *backend.Delivery {
	if g.i >= g.cfg.N {
		return nil
	}
	i := g.i
	g.i++
	span := g.cfg.End.Sub(g.cfg.Start)
	at := g.cfg.Start.Add(time.Duration(float64(span) * float64(i) / float64(g.cfg.N))).
		Add(time.Duration(g.rng.IntN(1000)) * time.Microsecond).UTC().Truncate(time.Microsecond)
	var d *backend.Delivery
	switch {
	case g.bigIndex(g.bigK) >= 0 && i >= g.bigIndex(g.bigK): // a slot taken by the other one comes next
		g.bigK++
		d = g.convEvent(&g.convs[0], at)
	case g.uiIndex(g.uiK) >= 0 && i >= g.uiIndex(g.uiK) && len(g.convs) > 2:
		g.uiK++
		d = g.convEvent(&g.convs[1], at)
	case len(g.recent) > 0 && g.rng.Float64() < g.cfg.Retries:
		d = g.retry(at)
	case g.rng.Float64() < g.cfg.AgentEvents:
		d = g.agentEvent(&g.agents[g.rng.IntN(len(g.agents))], at)
	default:
		k := 0
		if len(g.convs) > 2 {
			k = 2 + g.rng.IntN(len(g.convs)-2)
		}
		d = g.convEvent(&g.convs[k], at)
	}
	g.remember(d)
	g.raw += RawSize(d)
	return d
}

func (g *Generator) remember(d *backend.Delivery) {
	if len(g.recent) >= 4 { // a vendor retries within minutes: one of the last few deliveries
		copy(g.recent, g.recent[1:])
		g.recent = g.recent[:3]
	}
	g.recent = append(g.recent, d)
}

// retry re-sends a recent delivery as the vendor does when it got no answer in time.
func (g *Generator) retry(at time.Time) *backend.Delivery {
	src := g.recent[g.rng.IntN(len(g.recent))]
	d := *src
	d.ID = g.deliveryID(at)
	d.ReceivedAt = at
	d.RemoteAddr = g.remote()
	d.Headers = append(backend.Headers(nil), src.Headers...)
	for i := range d.Headers {
		if d.Headers[i].Name == "Cf-Ray" {
			d.Headers[i].Value = g.ray()
		}
	}
	return &d
}

// deliver wraps a body into a delivery with the headers a tunnel (cloudflared) adds.
func (g *Generator) deliver(vendor, path string, body []byte, at time.Time) *backend.Delivery {
	ip := fmt.Sprintf("34.%d.%d.%d", 100+g.rng.IntN(50), g.rng.IntN(256), 1+g.rng.IntN(254))
	ua := map[string]string{livechat.Name: "LiveChat-Webhooks/3.5",
		iadvize.Name: "iAdvize-Webhooks/2.0", closer.Name: "Closer-Webhooks/1.0"}[vendor]
	hs := backend.Headers{
		{Name: "Host", Value: "hooks-7f3a.trycloudflare.com"},
		{Name: "User-Agent", Value: ua},
		{Name: "Content-Length", Value: fmt.Sprint(len(body))},
		{Name: "Accept-Encoding", Value: "gzip"},
		{Name: "Cdn-Loop", Value: "cloudflare; loops=1"},
		{Name: "Cf-Connecting-Ip", Value: ip},
		{Name: "Cf-Ipcountry", Value: "DE"},
		{Name: "Cf-Ray", Value: g.ray()},
		{Name: "Cf-Visitor", Value: `{"scheme":"https"}`},
		{Name: "Content-Type", Value: "application/json"},
	}
	switch vendor {
	case iadvize.Name:
		m := hmac.New(sha256.New, []byte(IAdvizeSecret))
		m.Write(body)
		hs = append(hs, backend.Header{Name: "X-iAdvize-Signature", Value: "sha256=" + hex.EncodeToString(m.Sum(nil))})
	case closer.Name:
		hs = append(hs, backend.Header{Name: "X-Closer-Token", Value: "bench-closer-token"})
	}
	hs = append(hs, backend.Header{Name: "X-Forwarded-For", Value: ip},
		backend.Header{Name: "X-Forwarded-Proto", Value: "https"})
	return &backend.Delivery{ID: g.deliveryID(at), ReceivedAt: at, Method: "POST", Path: path, Headers: hs,
		Body: body, Size: int64(len(body)), ContentType: "application/json", RemoteAddr: g.remote(),
		ForwardedFor: ip, ForwardedProto: "https", ConnectingIP: ip, Status: 200, Source: backend.SourceReceiver}
}

// RawSize returns the bytes of d as it came on the wire: request line, header lines, blank line
// and body.
func RawSize(d *backend.Delivery) int64 {
	n := len(d.Method) + 1 + len(d.Path) + len(" HTTP/1.1\r\n") + 2 + len(d.Body)
	if d.Query != "" {
		n += 1 + len(d.Query)
	}
	for _, h := range d.Headers {
		n += len(h.Name) + 2 + len(h.Value) + 2
	}
	return int64(n)
}

// deliveryID is a UUIDv7 of at, so ids sort by time as the receiver's do.
func (g *Generator) deliveryID(at time.Time) string {
	var u uuid.UUID
	ms := uint64(at.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	r := g.rng.Uint64()
	for i := 6; i < 14; i++ {
		u[i] = byte(r >> (8 * (i - 6)))
	}
	r = g.rng.Uint64()
	u[14], u[15] = byte(r), byte(r>>8)
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

func (g *Generator) uuid() string {
	var u uuid.UUID
	copy(u[:], g.bytes(16))
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

func (g *Generator) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.Uint32())
	}
	return b
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// chatID is a LiveChat-style id: 10 upper-case letters and digits.
func (g *Generator) chatID() string {
	b := make([]byte, 10)
	for i := range b {
		b[i] = idChars[g.rng.IntN(len(idChars))]
	}
	return string(b)
}

func (g *Generator) ray() string { return hex.EncodeToString(g.bytes(8)) + "-FRA" }

func (g *Generator) remote() string { return fmt.Sprintf("127.0.0.1:%d", 32768+g.rng.IntN(28000)) }

func (g *Generator) pickAgent(vendor string) int {
	as := g.byVend[vendor]
	if len(as) == 0 {
		return 0
	}
	return as[g.rng.IntN(len(as))]
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
