// Package ingest decodes stored deliveries in the background, off the receiver's hot path, and
// keeps their events current when the decoder version or a vendor secret changes.
package ingest

import (
	"context"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// batchSize is how many deliveries are decoded per store write while captures arrive: each write
// holds the store's writer (captures wait behind it), about 15 ms for 32 deliveries.
// With no capture arriving (catching up, import) writes take catchUpSize: fewer commits.
const (
	batchSize   = 32
	catchUpSize = 512
)

// gather is how long the decoder lets new deliveries pile up after the first one before it
// decodes them: a burst is decoded (and indexed) in a few big writes rather than one per delivery.
const gather = 50 * time.Millisecond

// While captures arrive, decoding takes at most a share of the time, so that the receiver keeps
// the store's writer and the CPU: busyShare below burstRate captures a second (a busy
// integration, the UI's live view: enough to keep up), burstShare above it (a load test: the
// receiver acknowledges first, the decoder catches up once the burst is over). With no capture
// it decodes as fast as it can. The share is capped rather than switched off below a rate because
// a decoder at full speed starves captures, whose rate then drops below any threshold.
const (
	burstRate  = 1000
	busyShare  = 0.5
	burstShare = 0.2
	rateEvery  = 250 * time.Millisecond // how often the capture rate is sampled
)

// maxIndexedBody bounds how much of a body free-text search indexes.
const maxIndexedBody = 64 << 10

// Store is what the decoder needs of the store.
type Store interface {
	backend.DecodeService
	backend.Notifier
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
	CountDeliveries(ctx context.Context) (int64, error)
}

// Decoder runs the decode loop.
type Decoder struct {
	Store    Store
	Registry *decode.Registry
	Log      *slog.Logger

	// stepMu makes a batch (read secrets, decode, write) and a secret change exclusive: a batch
	// decoded with the old secret must not land after the change invalidated that vendor's events.
	stepMu  sync.Mutex
	mu      sync.RWMutex
	secrets map[string]string
	pins    decode.Pins // API version pinned per vendor (Settings → Vendor versions, --vendor-version)
	wake    chan struct{}
	rescan  bool
	idle    chan struct{} // closed and replaced each time the loop has nothing left to do

	sampled  time.Time // when the capture rate was last sampled
	captured int64     // deliveries stored then
	share    float64   // of the time decoding may take now (see busyShare)
	quiet    bool      // no capture since the sample before
}

// New returns a decoder over store with the vendors of reg.
func New(store Store, reg *decode.Registry) *Decoder {
	return &Decoder{Store: store, Registry: reg, Log: slog.Default(), secrets: map[string]string{}, pins: decode.Pins{},
		wake: make(chan struct{}, 1), idle: make(chan struct{}), share: 1}
}

func secretKey(vendor string) string { return "secret." + vendor }

func pinKey(vendor string) string { return "version_pin." + vendor }

// LoadSecrets reads the stored vendor secrets; call it before Run.
func (d *Decoder) LoadSecrets(ctx context.Context) error {
	for _, v := range d.Registry.Vendors() {
		s, err := d.Store.Setting(ctx, secretKey(v.Name()))
		if err != nil {
			return err
		}
		pin, err := d.Store.Setting(ctx, pinKey(v.Name()))
		if err != nil {
			return err
		}
		if pin != "" && d.Registry.CheckPin(v.Name(), pin) != nil {
			pin = "" // a version the catalog no longer knows: unpinned
		}
		d.mu.Lock()
		d.secrets[v.Name()] = s
		if pin != "" {
			d.pins[v.Name()] = pin
		}
		d.mu.Unlock()
	}
	return nil
}

// VersionPin returns the API version pinned for vendor, "" when none.
func (d *Decoder) VersionPin(vendor string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.pins[vendor]
}

// SetVersionPin pins vendor's API version ("" unpins): drift is then checked against that
// version's catalog, and the vendor's deliveries are decoded again. It returns EINVALID for an
// unknown vendor or a version its catalog does not have.
func (d *Decoder) SetVersionPin(ctx context.Context, vendor, version string) error {
	if version != "" {
		if err := d.Registry.CheckPin(vendor, version); err != nil {
			return backend.Errorf(backend.EINVALID, "%s", err.Error())
		}
	} else if d.Registry.Vendor(vendor) == nil {
		return backend.Errorf(backend.EINVALID, "unknown vendor %q", vendor)
	}
	d.stepMu.Lock()
	defer d.stepMu.Unlock()
	if d.VersionPin(vendor) == version {
		return nil
	}
	if err := d.Store.SetSetting(ctx, pinKey(vendor), version); err != nil {
		return err
	}
	d.mu.Lock()
	if version == "" {
		delete(d.pins, vendor)
	} else {
		d.pins[vendor] = version
	}
	d.rescan = true
	d.mu.Unlock()
	if err := d.Store.InvalidateEvents(ctx, vendor); err != nil {
		return err
	}
	d.Wake()
	return nil
}

// registry returns the registry with the current pins.
func (d *Decoder) registry() *decode.Registry {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if len(d.pins) == 0 {
		return d.Registry
	}
	return d.Registry.WithPins(d.pins)
}

// Secret returns the configured secret of vendor, "" when none.
func (d *Decoder) Secret(vendor string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.secrets[vendor]
}

// SetSecret stores the secret of vendor ("" removes it) and re-verifies that vendor's deliveries.
// It returns EINVALID for an unknown vendor.
func (d *Decoder) SetSecret(ctx context.Context, vendor, secret string) error {
	if d.Registry.Vendor(vendor) == nil {
		return backend.Errorf(backend.EINVALID, "unknown vendor %q", vendor)
	}
	d.stepMu.Lock()
	defer d.stepMu.Unlock()
	if d.Secret(vendor) == secret {
		return nil
	}
	if err := d.Store.SetSetting(ctx, secretKey(vendor), secret); err != nil {
		return err
	}
	d.mu.Lock()
	d.secrets[vendor] = secret
	d.mu.Unlock()
	if err := d.Store.InvalidateEvents(ctx, vendor); err != nil {
		return err
	}
	d.mu.Lock()
	d.rescan = true
	d.mu.Unlock()
	d.Wake()
	return nil
}

// Wake makes the loop look for work now.
func (d *Decoder) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Idle returns a channel closed the next time the loop has decoded everything it knows of.
func (d *Decoder) Idle() <-chan struct{} {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.idle
}

// Run decodes until ctx is done. New deliveries wake it through the store's subscription.
func (d *Decoder) Run(ctx context.Context) {
	sub := d.Store.Subscribe(backend.NewsCaptured) // not its own news: what it decoded
	defer sub.Close()
	after, err := d.Store.DecodedThrough(ctx, decode.Version)
	if err != nil && ctx.Err() == nil {
		d.Log.Error("decode: read progress", "err", err)
	}
	for {
		d.mu.Lock()
		if d.rescan {
			d.rescan, after = false, 0
		}
		d.mu.Unlock()
		select { // keep the subscription empty: ids pile up in it while the loop is busy
		case <-sub.C():
			sub.Take()
		default:
		}
		t0 := time.Now()
		n, last, err := d.step(ctx, after)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("decode", "err", err)
		}
		if n > 0 && err == nil {
			after = last
			if share := d.sample(ctx); share < 1 { // yield: sleep so that decoding takes share of the time
				pause := min(time.Duration(float64(time.Since(t0))*(1-share)/share), time.Second)
				select {
				case <-time.After(pause):
				case <-ctx.Done():
					return
				}
			}
			continue
		}
		select { // news arrived while this batch was written: no idle in between
		case <-sub.C():
			sub.Take()
			continue
		case <-d.wake:
			continue
		default:
		}
		d.mu.Lock()
		close(d.idle)
		d.idle = make(chan struct{})
		d.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-sub.C():
			select { // let a burst gather
			case <-time.After(gather):
			case <-d.wake:
			case <-ctx.Done():
				return
			}
			sub.Take()
		case <-d.wake:
		case <-time.After(5 * time.Second): // retry after a store fault
		}
	}
}

// sample measures the capture rate (every rateEvery at most) and returns the share of the time
// decoding may take.
func (d *Decoder) sample(ctx context.Context) float64 {
	if time.Since(d.sampled) < rateEvery {
		return d.share
	}
	n, err := d.Store.CountDeliveries(ctx)
	if err != nil {
		return 1
	}
	if !d.sampled.IsZero() {
		rate := float64(n-d.captured) / time.Since(d.sampled).Seconds()
		d.quiet = n == d.captured
		switch {
		case d.quiet:
			d.share = 1
		case rate > burstRate:
			d.share = burstShare
		default:
			d.share = busyShare
		}
	}
	d.sampled, d.captured = time.Now(), n
	return d.share
}

// step decodes one batch after seq; it returns how many it decoded and the last seq.
func (d *Decoder) step(ctx context.Context, after int64) (int, int64, error) {
	d.stepMu.Lock()
	defer d.stepMu.Unlock()
	limit := batchSize
	if d.sample(ctx); d.quiet {
		limit = catchUpSize
	}
	pend, err := d.Store.PendingDecode(ctx, after, decode.Version, limit)
	if err != nil || len(pend) == 0 {
		return 0, after, err
	}
	out := make([]backend.Decoded, len(pend))
	reg := d.registry()
	for i, p := range pend {
		ev, text := Decode(reg, p.Delivery, d.Secret)
		out[i] = backend.Decoded{Seq: p.Seq, Version: decode.Version, Event: ev, Text: text, Paths: BodyPaths(p.Delivery)}
	}
	last := pend[len(pend)-1].Seq
	// Decoding is background work: captures commit first (backend.Background).
	if err := d.Store.PutEvents(backend.Background(ctx), out, decode.Version, last); err != nil {
		return 0, after, err
	}
	return len(pend), last, nil
}

// Decode decodes a stored delivery as the decoder does; it returns the event and the text that
// free-text search indexes. secret may be nil (no secrets configured).
func Decode(reg *decode.Registry, del *backend.Delivery, secret func(vendor string) string) (backend.Event, string) {
	ev := reg.Decode(del, secret)
	ev.DeliveryID = del.ID
	return ev, searchText(del, &ev)
}

// searchText is what free-text search indexes for a delivery: path, query, summary, actors and the
// body's text (decompressed, bounded; of a JSON body its values, not its keys: jsonValues).
func searchText(del *backend.Delivery, ev *backend.Event) string {
	body := del.Body
	if del.Headers.Get("Content-Encoding") != "" {
		if b, _, err := decode.Decompress(del.Headers, body, maxIndexedBody); err == nil {
			body = b
		}
	}
	if len(body) > maxIndexedBody {
		body = body[:maxIndexedBody]
	}
	text := del.Path + " " + del.Query + " " + ev.EventType + " " + ev.Summary
	for _, a := range ev.Actors {
		text += " " + a.ID + " " + a.Name
	}
	if utf8.Valid(body) {
		text += " " + string(jsonValues(body))
	}
	return text
}

// BodyPaths lists the field paths of a delivery's body (none for a refused one or a body that
// is not an object or array).
func BodyPaths(del *backend.Delivery) []string {
	if del == nil || del.Refused != "" {
		return nil
	}
	return decode.Paths(decode.Prepare(del).Doc)
}
