// Package settings keeps Hooklens's preferences in the store (settings table, key → JSON): ports,
// retention, custom responses, the sync policy, theme and notifications. Vendor secrets stay with the decoder,
// which re-verifies deliveries when one changes; the service passes them through.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"sync"

	"hooklens/backend"
	"hooklens/backend/receiver"
)

// Keys in the settings table.
const (
	KeyPorts         = "ports"
	KeyRetention     = "retention"
	KeyResponses     = "responses"
	KeyTheme         = "theme"
	KeyNotifications = "notifications"
	KeySync          = "sync"
)

// Themes.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Store is where settings live.
type Store interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Secrets holds vendor secrets (the decoder).
type Secrets interface {
	Secret(vendor string) string
	SetSecret(ctx context.Context, vendor, secret string) error
}

// Ports are the listen addresses to use at the next start; "" means the default (or the flag).
type Ports struct {
	Listen string `json:"listen"` // receiver
	UI     string `json:"ui"`     // headless UI/API (the desktop face opens no port)
}

// Settings are the non-secret settings.
type Settings struct {
	Ports         Ports               `json:"ports"`
	Retention     backend.Retention   `json:"retention"`
	Responses     []receiver.Response `json:"responses"`
	Theme         string              `json:"theme"`
	Notifications bool                `json:"notifications"`
	// Sync is when the receiver acknowledges a capture, from the next start on (a --sync flag
	// wins over it).
	Sync backend.SyncPolicy `json:"sync"`
}

// Defaults returns the settings of a new store.
func Defaults() Settings {
	return Settings{Responses: []receiver.Response{}, Theme: ThemeSystem, Notifications: true,
		Sync: backend.SyncAlways}
}

// Patch is a partial update: nil fields (and nil fields inside Ports and Retention) are kept.
// Responses, when present, replaces the whole list.
type Patch struct {
	Ports *struct {
		Listen *string `json:"listen"`
		UI     *string `json:"ui"`
	} `json:"ports"`
	Retention *struct {
		MaxDeliveries *int64 `json:"max_deliveries"`
		MaxBytes      *int64 `json:"max_bytes"`
	} `json:"retention"`
	Responses     *[]receiver.Response `json:"responses"`
	Theme         *string              `json:"theme"`
	Notifications *bool                `json:"notifications"`
	Sync          *string              `json:"sync"` // "always" or "os"
}

// Service reads and writes settings and tells listeners about changes.
type Service struct {
	store   Store
	secrets Secrets

	mu        sync.RWMutex
	cur       Settings
	active    Ports
	sync      backend.SyncPolicy // the policy in use ("": not told)
	listeners []func(Settings)
	update    sync.Mutex // one Update at a time
}

// Load reads the settings from store; stored values that no longer validate fall back to their
// defaults. It returns the store's error.
func Load(ctx context.Context, store Store, secrets Secrets) (*Service, error) {
	s := &Service{store: store, secrets: secrets, cur: Defaults()}
	read := func(key string, v any) error {
		raw, err := store.Setting(ctx, key)
		if err != nil || raw == "" {
			return err
		}
		_ = json.Unmarshal([]byte(raw), v) // unreadable values fail validation below and fall back
		return nil
	}
	cur := Defaults()
	for key, v := range map[string]any{KeyPorts: &cur.Ports, KeyRetention: &cur.Retention,
		KeyResponses: &cur.Responses, KeyTheme: &cur.Theme, KeyNotifications: &cur.Notifications,
		KeySync: &cur.Sync} {
		if err := read(key, v); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
	}
	def := Defaults()
	if validPorts(cur.Ports) != nil {
		cur.Ports = def.Ports
	}
	if validRetention(cur.Retention) != nil {
		cur.Retention = def.Retention
	}
	if cur.Responses == nil || receiver.ValidateResponses(cur.Responses) != nil {
		cur.Responses = def.Responses
	}
	if validTheme(cur.Theme) != nil {
		cur.Theme = def.Theme
	}
	if _, err := backend.ParseSyncPolicy(string(cur.Sync)); err != nil {
		cur.Sync = def.Sync
	}
	s.cur = cur
	return s, nil
}

// Get returns a copy of the current settings.
func (s *Service) Get() Settings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.cur
	c.Responses = append([]receiver.Response{}, s.cur.Responses...)
	return c
}

// OnChange registers fn, called with the new settings after every successful Update.
func (s *Service) OnChange(fn func(Settings)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, fn)
}

// Update applies p: it validates everything first (EINVALID, nothing stored, when anything is
// wrong), then stores each changed key and tells the listeners. A store failure is returned as is
// (keys stored before it stay stored).
func (s *Service) Update(ctx context.Context, p Patch) (Settings, error) {
	s.update.Lock()
	defer s.update.Unlock()
	next := s.Get()
	changed := map[string]any{}
	if p.Ports != nil {
		if p.Ports.Listen != nil {
			next.Ports.Listen = *p.Ports.Listen
		}
		if p.Ports.UI != nil {
			next.Ports.UI = *p.Ports.UI
		}
		if err := validPorts(next.Ports); err != nil {
			return s.Get(), err
		}
		changed[KeyPorts] = next.Ports
	}
	if p.Retention != nil {
		if p.Retention.MaxDeliveries != nil {
			next.Retention.MaxDeliveries = *p.Retention.MaxDeliveries
		}
		if p.Retention.MaxBytes != nil {
			next.Retention.MaxBytes = *p.Retention.MaxBytes
		}
		if err := validRetention(next.Retention); err != nil {
			return s.Get(), err
		}
		changed[KeyRetention] = next.Retention
	}
	if p.Responses != nil {
		rs := *p.Responses
		if rs == nil {
			rs = []receiver.Response{}
		}
		if err := receiver.ValidateResponses(rs); err != nil {
			return s.Get(), err
		}
		next.Responses = rs
		changed[KeyResponses] = rs
	}
	if p.Theme != nil {
		if err := validTheme(*p.Theme); err != nil {
			return s.Get(), err
		}
		next.Theme = *p.Theme
		changed[KeyTheme] = next.Theme
	}
	if p.Notifications != nil {
		next.Notifications = *p.Notifications
		changed[KeyNotifications] = next.Notifications
	}
	if p.Sync != nil {
		policy, err := backend.ParseSyncPolicy(*p.Sync)
		if err != nil {
			return s.Get(), err
		}
		next.Sync = policy
		changed[KeySync] = policy
	}
	for _, key := range []string{KeyPorts, KeyRetention, KeyResponses, KeyTheme, KeyNotifications, KeySync} {
		v, ok := changed[key]
		if !ok {
			continue
		}
		b, _ := json.Marshal(v)
		if err := s.store.SetSetting(ctx, key, string(b)); err != nil {
			return s.Get(), err
		}
	}
	s.mu.Lock()
	s.cur = next
	listeners := append([]func(Settings){}, s.listeners...)
	s.mu.Unlock()
	if len(changed) > 0 {
		for _, fn := range listeners {
			fn(s.Get())
		}
	}
	return s.Get(), nil
}

// VersionPins holds the API version pinned per vendor (Settings → Vendor versions); the
// decoder implements it, like Secrets.
type VersionPins interface {
	VersionPin(vendor string) string
	SetVersionPin(ctx context.Context, vendor, version string) error
}

// VersionPin returns the API version pinned for vendor, "" when none (or when the secrets
// holder keeps no pins).
func (s *Service) VersionPin(vendor string) string {
	if p, ok := s.secrets.(VersionPins); ok {
		return p.VersionPin(vendor)
	}
	return ""
}

// SetVersionPin pins vendor's API version ("" unpins); the decoder decodes its deliveries again.
func (s *Service) SetVersionPin(ctx context.Context, vendor, version string) error {
	p, ok := s.secrets.(VersionPins)
	if !ok {
		return backend.Errorf(backend.EINVALID, "API versions cannot be pinned here")
	}
	return p.SetVersionPin(ctx, vendor, version)
}

// Secret returns the configured secret of vendor, "" when none.
func (s *Service) Secret(vendor string) string { return s.secrets.Secret(vendor) }

// SetSecret stores the secret of vendor ("" removes it); the decoder re-verifies its deliveries.
func (s *Service) SetSecret(ctx context.Context, vendor, secret string) error {
	return s.secrets.SetSecret(ctx, vendor, secret)
}

func validPorts(p Ports) error {
	for _, f := range []struct{ name, addr string }{{"ports.listen", p.Listen}, {"ports.ui", p.UI}} {
		if err := validAddr(f.addr); err != nil {
			return backend.Errorf(backend.EINVALID, "%s: %s", f.name, err.Error())
		}
	}
	if p.Listen != "" && p.Listen == p.UI {
		return backend.Errorf(backend.EINVALID, "ports: the receiver and the UI need different addresses (%s)", p.Listen)
	}
	return nil
}

// validAddr accepts "" (the default) and host:port with a port of 1–65535 and an IP or
// "localhost" (or nothing: every interface) as host.
func validAddr(a string) error {
	if a == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("%q is not host:port (e.g. 127.0.0.1:8787)", a)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q: the port must be a number from 1 to 65535", a)
	}
	if host != "" && host != "localhost" && net.ParseIP(host) == nil {
		return fmt.Errorf("%q: the host must be an IP address or localhost", a)
	}
	return nil
}

func validRetention(r backend.Retention) error {
	if r.MaxDeliveries < 0 || r.MaxBytes < 0 {
		return backend.Errorf(backend.EINVALID, "retention: limits cannot be negative (0 means no limit)")
	}
	return nil
}

func validTheme(t string) error {
	switch t {
	case ThemeSystem, ThemeLight, ThemeDark:
		return nil
	}
	return backend.Errorf(backend.EINVALID, "theme %q is not known: use light, dark or system", t)
}

// Totals are what the store holds.
type Totals struct {
	Deliveries int64 `json:"deliveries"`
	Bytes      int64 `json:"bytes"`
}

// View is every non-secret setting with what goes with it: the addresses in use, the last
// pruning and the store's totals.
type View struct {
	Ports         PortsView           `json:"ports"`
	Retention     RetentionView       `json:"retention"`
	Responses     []receiver.Response `json:"responses"`
	Theme         string              `json:"theme"`
	Notifications bool                `json:"notifications"`
	Sync          SyncView            `json:"sync"`
}

// SyncView is the stored sync policy and the one in use (they differ until the next start, or
// while a --sync flag overrides the stored one).
type SyncView struct {
	Policy    backend.SyncPolicy `json:"policy"`     // "always" or "os"
	Active    backend.SyncPolicy `json:"active"`     // "" when the receiver is not running
	AppliesAt string             `json:"applies_at"` // always "next_start"
}

// PortsView are the stored ports, the ones in use, and when stored ones apply.
type PortsView struct {
	Ports
	Active    Ports  `json:"active"`
	AppliesAt string `json:"applies_at"` // always "next_start": listeners are not moved while running
}

// RetentionView is the policy, the last pruning (nil if none) and the store's totals.
type RetentionView struct {
	backend.Retention
	LastPrune *backend.Prune `json:"last_prune"`
	Stored    Totals         `json:"stored"`
}

// StatsStore is the store's side of View.
type StatsStore interface {
	Stats(ctx context.Context) (deliveries, bytes int64, err error)
	LastPrune(ctx context.Context) (*backend.Prune, error)
}

// SetActive records the addresses the listeners use now ("" for one that is not open).
func (s *Service) SetActive(p Ports) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Listen != "" {
		s.active.Listen = p.Listen
	}
	if p.UI != "" {
		s.active.UI = p.UI
	}
}

// SetActiveSync records the sync policy the receiver follows now.
func (s *Service) SetActiveSync(p backend.SyncPolicy) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync = p
}

// View returns the settings with the addresses in use, the last pruning and the totals (when the
// store can tell them). It returns the store's error.
func (s *Service) View(ctx context.Context) (View, error) {
	cur := s.Get()
	s.mu.RLock()
	active, sync := s.active, s.sync
	s.mu.RUnlock()
	v := View{Ports: PortsView{Ports: cur.Ports, Active: active, AppliesAt: "next_start"},
		Retention: RetentionView{Retention: cur.Retention}, Responses: cur.Responses,
		Theme: cur.Theme, Notifications: cur.Notifications,
		Sync: SyncView{Policy: cur.Sync, Active: sync, AppliesAt: "next_start"}}
	if st, ok := s.store.(StatsStore); ok {
		n, bytes, err := st.Stats(ctx)
		if err != nil {
			return v, err
		}
		v.Retention.Stored = Totals{Deliveries: n, Bytes: bytes}
		if v.Retention.LastPrune, err = st.LastPrune(ctx); err != nil {
			return v, err
		}
	}
	return v, nil
}
