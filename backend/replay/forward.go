package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"hooklens/backend"
)

// SettingForward is the settings key of the forward target.
const SettingForward = "forward"

// HeaderForwarded is added, last, to every forwarded request (its value is the delivery id): a
// delivery that arrives with it is not forwarded again, so a target that leads back to this
// receiver (through a tunnel, say) cannot make a loop.
const HeaderForwarded = "X-Hooklens-Forwarded"

// DefaultQueue bounds the deliveries waiting to be forwarded.
const DefaultQueue = 1000

// ForwardStore is what the forwarder reads and records.
type ForwardStore interface {
	backend.Notifier
	backend.ArrivalService
	FindDeliveryByID(ctx context.Context, id string) (*backend.DeliveryView, error)
	AddReplays(ctx context.Context, recs []backend.ReplayRecord) error
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// ForwardSettings say where captures go live.
type ForwardSettings struct {
	URL     string `json:"url"`
	Enabled bool   `json:"enabled"`
}

// ForwardStatus is the settings and how forwarding goes since the start.
type ForwardStatus struct {
	ForwardSettings
	Forwarded int64  `json:"forwarded"`  // answered by the target (any status)
	Failed    int64  `json:"failed"`     // no answer: refused, timed out
	Dropped   int64  `json:"dropped"`    // left out because the queue was full
	Queued    int    `json:"queued"`     // waiting now
	LastError string `json:"last_error"` // the latest failure, "" if none
}

// Forwarder sends every delivery the receiver captures to a target, after it is stored, in
// arrival order. It reads the store, never the receiver, so a slow or failing target cannot
// block or lose a capture: deliveries wait in a bounded queue, and when it is full they are
// dropped and the drop is recorded.
type Forwarder struct {
	Store  ForwardStore
	Sender *Sender
	Log    *slog.Logger
	// Queue bounds the deliveries waiting (DefaultQueue when 0).
	Queue int
	// Self lists the receiver's own addresses: forwarding there would capture everything again.
	Self []string

	mu       sync.Mutex
	settings ForwardSettings
	target   *url.URL
	from     int64 // the latest delivery when forwarding was last switched on
	stats    ForwardStatus
	queue    chan queued
}

type queued struct {
	arrival backend.Arrival
	target  *url.URL
}

// Load reads the saved settings; call it before Run.
func (f *Forwarder) Load(ctx context.Context) error {
	raw, err := f.Store.Setting(ctx, SettingForward)
	if err != nil || raw == "" {
		return err
	}
	var s ForwardSettings
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return fmt.Errorf("forward settings: %w", err)
	}
	return f.apply(ctx, s)
}

// Override forwards to rawURL for this run without saving it (hooklens serve --forward-to).
// It returns an EINVALID error for a URL that is not http(s) or that is the receiver itself.
func (f *Forwarder) Override(rawURL string) error {
	return f.apply(context.Background(), ForwardSettings{URL: rawURL, Enabled: true})
}

// Set checks, applies and saves s; EINVALID for an unusable URL.
func (f *Forwarder) Set(ctx context.Context, s ForwardSettings) error {
	s.URL = strings.TrimSpace(s.URL)
	if err := f.apply(ctx, s); err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	return f.Store.SetSetting(ctx, SettingForward, string(b))
}

func (f *Forwarder) apply(ctx context.Context, s ForwardSettings) error {
	var target *url.URL
	if s.URL != "" || s.Enabled {
		var err error
		if target, err = ParseTarget(s.URL); err != nil {
			return err
		}
		if f.isSelf(target) {
			return backend.Errorf(backend.EINVALID, "%s is Hooklens's own receiver: forwarding there would capture every delivery again, forever", s.URL)
		}
	}
	f.mu.Lock()
	was := f.settings.Enabled && f.target != nil
	f.mu.Unlock()
	var from int64
	if !was && s.Enabled && f.Store != nil { // (no store: not started yet, Start notes the latest)
		// Forwarding starts with the deliveries stored from now on.
		var err error
		if from, err = f.Store.LastSeq(ctx); err != nil {
			return fmt.Errorf("forward: %w", err)
		}
	}
	f.mu.Lock()
	if !was && s.Enabled {
		f.from = from
	}
	f.settings, f.target = s, target
	f.mu.Unlock()
	return nil
}

// on reports whether forwarding is switched on, and from which delivery on it started.
func (f *Forwarder) on() (bool, int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings.Enabled && f.target != nil, f.from
}

func (f *Forwarder) isSelf(u *url.URL) bool {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	host := u.Hostname()
	local := host == "localhost" || net.ParseIP(host) != nil && (net.ParseIP(host).IsLoopback() || net.ParseIP(host).IsUnspecified())
	for _, s := range f.Self {
		sh, sp, err := net.SplitHostPort(s)
		if err != nil || sp != port {
			continue
		}
		ip := net.ParseIP(sh)
		if sh == host || local && (ip == nil || ip.IsLoopback() || ip.IsUnspecified()) {
			return true
		}
	}
	return false
}

// Status returns the settings and counters.
func (f *Forwarder) Status() ForwardStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.stats
	s.ForwardSettings = f.settings
	if f.queue != nil {
		s.Queued = len(f.queue)
	}
	return s
}

// Running reports whether the forwarder was started and is taking deliveries.
func (f *Forwarder) Running() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queue != nil
}

// Start notes the latest stored delivery, then forwards, in the background, every delivery
// stored after it until ctx is done; the returned channel is closed once it has stopped. It
// returns an error when the store cannot be read.
func (f *Forwarder) Start(ctx context.Context) (<-chan struct{}, error) {
	if f.Log == nil {
		f.Log = slog.Default()
	}
	size := f.Queue
	if size <= 0 {
		size = DefaultQueue
	}
	sub := f.Store.Subscribe(backend.NewsCaptured)
	after, err := f.Store.LastSeq(ctx)
	if err != nil {
		sub.Close()
		return nil, fmt.Errorf("forward: %w", err)
	}
	q := make(chan queued, size)
	f.mu.Lock()
	f.queue = q
	f.mu.Unlock()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		defer sub.Close()
		worked := make(chan struct{})
		go func() { defer close(worked); f.work(ctx, q) }()
		f.watch(ctx, sub, q, after)
		f.mu.Lock()
		f.queue = nil
		f.mu.Unlock()
		close(q)
		<-worked
	}()
	return stopped, nil
}

// watch queues the deliveries stored after seq after, as the store announces them. While
// forwarding is off it reads nothing (captures cost nothing extra); once it is switched on again
// it starts after the delivery that was the latest at that moment.
func (f *Forwarder) watch(ctx context.Context, sub backend.Subscription, q chan queued, after int64) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.C():
			sub.Take()
		case <-time.After(5 * time.Second): // in case the store failed to notify
		}
		on, from := f.on()
		if !on {
			continue
		}
		after = max(after, from) // nothing stored before forwarding was switched on
		for {
			arrived, err := f.Store.ArrivedAfter(ctx, after, 256)
			if err != nil {
				if ctx.Err() == nil {
					f.Log.Error("forward: read new deliveries", "err", err)
				}
				break
			}
			for _, a := range arrived {
				after = a.Seq
				f.offer(ctx, q, a)
			}
			if len(arrived) < 256 {
				break
			}
		}
	}
}

// offer queues a newly captured delivery when forwarding is on, or records that it was dropped.
func (f *Forwarder) offer(ctx context.Context, q chan queued, a backend.Arrival) {
	f.mu.Lock()
	target, on := f.target, f.settings.Enabled
	f.mu.Unlock()
	if !on || target == nil || a.Source != backend.SourceReceiver {
		return
	}
	select {
	case q <- queued{a, target}:
		return
	default:
	}
	f.mu.Lock()
	f.stats.Dropped++
	f.stats.LastError = "the forward queue was full"
	f.mu.Unlock()
	rec := backend.ReplayRecord{DeliveryID: a.ID, Kind: backend.KindForward, Target: target.String(), StartedAt: time.Now().UTC(),
		Error: fmt.Sprintf("dropped: %d deliveries were already waiting to be forwarded", cap(q))}
	if err := f.Store.AddReplays(ctx, []backend.ReplayRecord{rec}); err != nil && ctx.Err() == nil {
		f.Log.Error("forward: record a drop", "delivery", a.ID, "err", err)
	}
}

// work sends queued deliveries one at a time, in arrival order.
func (f *Forwarder) work(ctx context.Context, q chan queued) {
	for item := range q {
		if ctx.Err() != nil {
			continue // drain
		}
		rec := f.forward(ctx, item)
		f.mu.Lock()
		if rec.Error != "" {
			f.stats.Failed++
			f.stats.LastError = rec.Error
		} else {
			f.stats.Forwarded++
		}
		f.mu.Unlock()
		if err := f.Store.AddReplays(context.WithoutCancel(ctx), []backend.ReplayRecord{rec}); err != nil {
			f.Log.Error("forward: record the answer", "delivery", item.arrival.ID, "err", err)
		}
	}
}

func (f *Forwarder) forward(ctx context.Context, item queued) backend.ReplayRecord {
	d, err := f.Store.FindDeliveryByID(ctx, item.arrival.ID)
	if err != nil {
		return backend.ReplayRecord{DeliveryID: item.arrival.ID, Kind: backend.KindForward, Target: item.target.String(),
			StartedAt: time.Now().UTC(), Error: "not forwarded: " + backend.ErrorMessage(err)}
	}
	if d.Refused != "" {
		return backend.ReplayRecord{DeliveryID: d.ID, Kind: backend.KindForward, Target: TargetURL(item.target, &d.Delivery),
			StartedAt: time.Now().UTC(), Error: "not forwarded: the receiver did not keep its body (" + strings.ReplaceAll(d.Refused, "_", " ") + ")"}
	}
	if d.Headers.Get(HeaderForwarded) != "" {
		return backend.ReplayRecord{DeliveryID: d.ID, Kind: backend.KindForward, Target: TargetURL(item.target, &d.Delivery),
			StartedAt: time.Now().UTC(), Error: "not forwarded: Hooklens forwarded it here itself; forwarding it again would loop"}
	}
	out := d.Delivery
	out.Headers = append(append(backend.Headers(nil), d.Headers...), backend.Header{Name: HeaderForwarded, Value: d.ID})
	return record(d.ID, backend.KindForward, "", f.Sender.Send(ctx, &out, item.target))
}
