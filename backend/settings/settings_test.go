package settings_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/receiver"
	"hooklens/backend/settings"
	"hooklens/backend/sqlite"
)

// secrets is an in-memory Secrets.
type secrets map[string]string

func (s secrets) Secret(v string) string { return s[v] }
func (s secrets) SetSecret(_ context.Context, v, secret string) error {
	s[v] = secret
	return nil
}

func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func patch(tb testing.TB, js string) settings.Patch {
	tb.Helper()
	var p settings.Patch
	dec := json.NewDecoder(strings.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		tb.Fatalf("patch %s: %v", js, err)
	}
	return p
}

func TestLoad_Defaults(t *testing.T) {
	s, err := settings.Load(context.Background(), MustOpenDB(t), secrets{})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Get()
	if got.Theme != "system" || !got.Notifications || got.Responses == nil || len(got.Responses) != 0 ||
		got.Retention.Enabled() || got.Ports != (settings.Ports{}) {
		t.Errorf("defaults = %+v", got)
	}
}

func TestUpdate(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	s, _ := settings.Load(ctx, db, secrets{})
	var seen []settings.Settings
	s.OnChange(func(st settings.Settings) { seen = append(seen, st) })

	got, err := s.Update(ctx, patch(t, `{"ports":{"listen":"127.0.0.1:9000"},"retention":{"max_deliveries":1000},
		"responses":[{"prefix":"/iadvize","status":500,"body":"nope","delay_ms":1500}],"theme":"dark","notifications":false}`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Ports.Listen != "127.0.0.1:9000" || got.Ports.UI != "" || got.Retention.MaxDeliveries != 1000 ||
		len(got.Responses) != 1 || got.Theme != "dark" || got.Notifications {
		t.Errorf("Update = %+v", got)
	}
	// Partial: what is not named stays.
	got, err = s.Update(ctx, patch(t, `{"retention":{"max_bytes":1048576},"ports":{"ui":"localhost:9001"}}`))
	if err != nil || got.Retention.MaxDeliveries != 1000 || got.Retention.MaxBytes != 1<<20 ||
		got.Ports.Listen != "127.0.0.1:9000" || got.Ports.UI != "localhost:9001" || got.Theme != "dark" {
		t.Errorf("partial Update = %+v, %v", got, err)
	}
	if len(seen) != 2 {
		t.Errorf("OnChange called %d times; want 2", len(seen))
	}

	// Everything survives a restart.
	s2, err := settings.Load(ctx, db, secrets{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := s2.Get(), s.Get(); a.Ports != b.Ports || a.Retention != b.Retention || a.Theme != b.Theme ||
		a.Notifications != b.Notifications || len(a.Responses) != 1 || a.Responses[0] != b.Responses[0] {
		t.Errorf("after Load: %+v; want %+v", a, b)
	}
}

func TestUpdate_Invalid(t *testing.T) {
	ctx := context.Background()
	s, _ := settings.Load(ctx, MustOpenDB(t), secrets{})
	before := s.Get()
	for _, tt := range []struct{ name, patch, msg string }{
		{"ErrPort", `{"ports":{"listen":"127.0.0.1:70000"}}`, "1 to 65535"},
		{"ErrPortZero", `{"ports":{"listen":"127.0.0.1:0"}}`, "1 to 65535"},
		{"ErrHost", `{"ports":{"ui":"my host:80"}}`, "IP address or localhost"},
		{"ErrNoPort", `{"ports":{"ui":"localhost"}}`, "host:port"},
		{"ErrSamePorts", `{"ports":{"listen":"127.0.0.1:9000","ui":"127.0.0.1:9000"}}`, "different"},
		{"ErrRetention", `{"retention":{"max_deliveries":-1}}`, "negative"},
		{"ErrTheme", `{"theme":"sepia"}`, "light, dark or system"},
		{"ErrSync", `{"sync":"never"}`, "always or os"},
		{"ErrStatus", `{"responses":[{"prefix":"/","status":100}]}`, "responses[0]"},
		{"ErrDelay", `{"responses":[{"prefix":"/","status":200,"delay_ms":61000}]}`, "delay_ms"},
		// One bad part rejects the whole patch.
		{"ErrMixed", `{"theme":"dark","retention":{"max_bytes":-5}}`, "negative"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Update(ctx, patch(t, tt.patch))
			if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), tt.msg) {
				t.Errorf("Update(%s) = %v; want invalid containing %q", tt.patch, err, tt.msg)
			}
		})
	}
	if after := s.Get(); after.Theme != before.Theme || after.Retention != before.Retention {
		t.Errorf("invalid updates changed settings: %+v", after)
	}
}

func TestLoad_BadStoredValues(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	db.SetSetting(ctx, settings.KeyTheme, `"neon"`)
	db.SetSetting(ctx, settings.KeyResponses, `[{"prefix":"x","status":1}]`)
	db.SetSetting(ctx, settings.KeyRetention, `not json`)
	db.SetSetting(ctx, settings.KeySync, `"sometimes"`)
	s, err := settings.Load(ctx, db, secrets{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Get(); got.Theme != "system" || len(got.Responses) != 0 || got.Retention.Enabled() || got.Sync != backend.SyncAlways {
		t.Errorf("bad stored values should fall back to defaults: %+v", got)
	}
}

// TestThroughReceiver wires settings to a real receiver and pruner as the app does, and checks
// that an update changes what senders get and what the store keeps.
func TestThroughReceiver(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	s, _ := settings.Load(ctx, db, secrets{})
	h := receiver.NewHandler(db)
	pruner := sqlite.NewPruner(db, func() backend.Retention { return s.Get().Retention })
	pruner.Settle = 10 * time.Millisecond
	s.OnChange(func(st settings.Settings) { _ = h.SetResponses(st.Responses); pruner.Wake() })
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { pruner.Run(pctx); close(done) }()
	defer func() { cancel(); <-done }()
	srv := &receiver.Server{Handler: h}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(ctx)
	url := "http://" + srv.Addr().String()

	for i := 0; i < 12; i++ {
		post(t, url+"/livechat")
	}
	if _, err := s.Update(ctx, patch(t, `{"retention":{"max_deliveries":4},
		"responses":[{"prefix":"/livechat","status":429,"body":"{\"slow\":true}","content_type":"application/json","delay_ms":200}]}`)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	status, body := post(t, url+"/livechat/x")
	if status != 429 || body != `{"slow":true}` || time.Since(start) < 200*time.Millisecond {
		t.Errorf("POST after the update = %d %s after %v; want 429 after ≥200ms", status, body, time.Since(start))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, err := s.View(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Retention.Stored.Deliveries == 4 && v.Retention.LastPrune != nil {
			// 13 captured, 4 kept: one run or two (before and after the last capture).
			if p := v.Retention.LastPrune.Deliveries; p != 9 && p != 8 && p != 1 || v.Retention.MaxDeliveries != 4 || v.Ports.AppliesAt != "next_start" {
				t.Errorf("View = %+v", v.Retention)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("store holds %d deliveries; want 4 (last prune %+v)", v.Retention.Stored.Deliveries, v.Retention.LastPrune)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func post(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(`{"action":"incoming_chat"}`))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestUpdate_Sync: the sync policy defaults to always, is stored for the next start, and the view
// shows it beside the policy in use.
func TestUpdate_Sync(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	s, _ := settings.Load(ctx, db, secrets{})
	if got := s.Get().Sync; got != backend.SyncAlways {
		t.Fatalf("default sync = %q; want always", got)
	}
	s.SetActiveSync(backend.SyncAlways)
	if _, err := s.Update(ctx, patch(t, `{"sync":"os"}`)); err != nil {
		t.Fatal(err)
	}
	v, err := s.View(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (settings.SyncView{Policy: backend.SyncOS, Active: backend.SyncAlways, AppliesAt: "next_start"}); v.Sync != want {
		t.Errorf("View().Sync = %+v; want %+v", v.Sync, want)
	}
	s2, _ := settings.Load(ctx, db, secrets{})
	if got := s2.Get().Sync; got != backend.SyncOS {
		t.Errorf("after Load: sync = %q; want os", got)
	}
}
