package tunnel

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"hooklens/backend"
	"hooklens/backend/registration"
)

// registeredKey holds vendor → the URL last registered with it.
const registeredKey = "tunnel.registered"

type registrationRecord struct {
	URL string    `json:"url"`
	At  time.Time `json:"at"`
}

func (m *Manager) loadRegistered(ctx context.Context) error {
	v, err := m.cfg.Store.Setting(ctx, registeredKey)
	if err != nil || v == "" {
		return err
	}
	recs := map[string]registrationRecord{}
	if err := json.Unmarshal([]byte(v), &recs); err != nil {
		return fmt.Errorf("tunnel: %s: %w", registeredKey, err)
	}
	m.mu.Lock()
	m.registered = recs
	m.mu.Unlock()
	return nil
}

// MarkRegistered records that vendor was registered with url ("" means the vendor URL of the
// current public URL), so the status says url_changed once the public URL moves on. Errors:
// ENOTFOUND for an unknown vendor, EINVALID for a bad URL, ECONFLICT without URL or tunnel.
func (m *Manager) MarkRegistered(ctx context.Context, vendor, url string) (Status, error) {
	if !slices.Contains(m.cfg.Vendors, vendor) {
		return m.Status(), backend.Errorf(backend.ENOTFOUND, "no vendor %q", vendor)
	}
	if url == "" {
		url = registration.VendorURL(m.PublicURL(), vendor)
		if url == "" {
			return m.Status(), backend.Errorf(backend.ECONFLICT, "no public URL: start a tunnel, or say which URL you registered")
		}
	} else if u, err := ValidPublicURL(url); err != nil {
		return m.Status(), backend.Errorf(backend.EINVALID, "url: %s", backend.ErrorMessage(err))
	} else {
		url = u
	}
	return m.saveRegistered(ctx, vendor, &registrationRecord{URL: url, At: m.cfg.Now().UTC()})
}

// ForgetRegistered drops what was recorded for vendor (ENOTFOUND for an unknown vendor).
func (m *Manager) ForgetRegistered(ctx context.Context, vendor string) (Status, error) {
	if !slices.Contains(m.cfg.Vendors, vendor) {
		return m.Status(), backend.Errorf(backend.ENOTFOUND, "no vendor %q", vendor)
	}
	return m.saveRegistered(ctx, vendor, nil)
}

// saveRegistered sets (rec != nil) or removes the record of vendor and persists them all.
func (m *Manager) saveRegistered(ctx context.Context, vendor string, rec *registrationRecord) (Status, error) {
	m.mu.Lock()
	recs := make(map[string]registrationRecord, len(m.registered)+1)
	for k, v := range m.registered {
		recs[k] = v
	}
	if rec != nil {
		recs[vendor] = *rec
	} else {
		delete(recs, vendor)
	}
	m.mu.Unlock()
	b, _ := json.Marshal(recs)
	v := string(b)
	if len(recs) == 0 {
		v = ""
	}
	if err := m.cfg.Store.SetSetting(ctx, registeredKey, v); err != nil {
		return m.Status(), err
	}
	m.mu.Lock()
	m.registered = recs
	m.mu.Unlock()
	m.notify()
	return m.Status(), nil
}
