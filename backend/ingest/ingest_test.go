package ingest_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

const livechatBody = `{"webhook_id":"w1","secret_key":"good","action":"thread_tagged","organization_id":"o1",` +
	`"payload":{"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8","tag":"bug"}}`

func waitIdle(t *testing.T, d *ingest.Decoder) {
	t.Helper()
	idle := d.Idle()
	d.Wake()
	select {
	case <-idle:
	case <-time.After(5 * time.Second):
		t.Fatal("decoder did not catch up")
	}
}

func event(t *testing.T, db *sqlite.DB, id string) *backend.Event {
	t.Helper()
	v, err := db.FindDeliveryByID(context.Background(), id)
	if err != nil || v.Event == nil {
		t.Fatalf("FindDeliveryByID(%s) = %+v, %v; want a decoded delivery", id, v, err)
	}
	return v.Event
}

func TestDecoder_DecodesAndReverifies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooklens.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dec := ingest.New(db, all.Registry())
	go dec.Run(ctx)

	d := &backend.Delivery{Method: "POST", Path: "/livechat", Body: []byte(livechatBody), Status: 200,
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
	if err := db.AddDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, dec)
	ev := event(t, db, d.ID)
	if ev.Vendor != "livechat" || ev.EventType != "thread_tagged" || ev.Verification.Status != backend.VerifyNoSecret {
		t.Fatalf("event = %s %s %+v; want livechat thread_tagged no_secret", ev.Vendor, ev.EventType, ev.Verification)
	}
	for secret, want := range map[string]string{"good": backend.VerifyVerified, "bad": backend.VerifyMismatch} {
		if err := dec.SetSecret(ctx, "livechat", secret); err != nil {
			t.Fatal(err)
		}
		got := ""
		for i := 0; i < 50 && got != want; i++ { // re-verification runs in the background
			waitIdle(t, dec)
			got = event(t, db, d.ID).Verification.Status
		}
		if got != want {
			t.Errorf("after SetSecret(%q) verification = %q; want %q", secret, got, want)
		}
	}
	if err := dec.SetSecret(ctx, "nope", "x"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("SetSecret(unknown vendor) = %v; want invalid", err)
	}
}

// TestDecoder_RedecodesOldVersion: events written by an older decoder are rebuilt at start.
func TestDecoder_RedecodesOldVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooklens.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	d := &backend.Delivery{Method: "POST", Path: "/livechat", Body: []byte(livechatBody), Status: 200}
	if err := db.AddDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	seq, _ := db.SeqOf(ctx, d.ID)
	stale := backend.Decoded{Seq: seq, Version: decode.Version - 1, Event: backend.Event{DeliveryID: d.ID, Vendor: "unknown", Summary: "stale"}}
	if err := db.PutEvents(ctx, []backend.Decoded{stale}, decode.Version-1, seq); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dec := ingest.New(db, all.Registry())
	go dec.Run(rctx)
	waitIdle(t, dec)
	if ev := event(t, db, d.ID); ev.Vendor != "livechat" || ev.Summary == "stale" {
		t.Errorf("after restart event = %s %q; want re-decoded livechat", ev.Vendor, ev.Summary)
	}
}

// TestDecoder_VersionPin: pinning a version decodes the vendor's deliveries again against it,
// the pin survives a restart, and unpinning goes back to the detected version.
func TestDecoder_VersionPin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooklens.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dec := ingest.New(db, all.Registry())
	go dec.Run(ctx)
	body := `{"webhook_id":"w1","secret_key":"good","action":"agent_deleted","payload":{"agent_id":"a@example.com"}}`
	d := &backend.Delivery{Method: "POST", Path: "/livechat", Body: []byte(body), Status: 200,
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
	if err := db.AddDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, dec)
	if ev := event(t, db, d.ID); ev.APIVersion != "3.1–3.3" || len(ev.Flags) != 0 {
		t.Fatalf("unpinned: version %q flags %v; want 3.1–3.3 and none", ev.APIVersion, ev.Flags)
	}
	if err := dec.SetVersionPin(ctx, "livechat", "3.6"); err != nil {
		t.Fatal(err)
	}
	var flags []backend.Flag
	for i := 0; i < 50 && len(flags) == 0; i++ { // decoding again runs in the background
		waitIdle(t, dec)
		flags = event(t, db, d.ID).Flags
	}
	if len(flags) != 1 || flags[0].Code != decode.FlagOtherVersion {
		t.Errorf("pinned 3.6: flags %v; want one other_version", flags)
	}
	again := ingest.New(db, all.Registry())
	if err := again.LoadSecrets(ctx); err != nil || again.VersionPin("livechat") != "3.6" {
		t.Errorf("after a restart the pin is %q, %v; want 3.6", again.VersionPin("livechat"), err)
	}
	if err := dec.SetVersionPin(ctx, "livechat", "9.9"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("SetVersionPin(9.9) = %v; want invalid", err)
	}
	if err := dec.SetVersionPin(ctx, "livechat", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50 && len(flags) != 0; i++ {
		waitIdle(t, dec)
		flags = event(t, db, d.ID).Flags
	}
	if len(flags) != 0 {
		t.Errorf("unpinned again: flags %v; want none", flags)
	}
}
