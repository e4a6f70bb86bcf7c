package simulate_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/ingest"
	"hooklens/backend/receiver"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
	"hooklens/backend/sqlite"
)

// The events the issue asks each conversation scenario to cover.
var wantEvents = map[string][]string{
	livechat.Name: {"routing_status_set", "incoming_chat", "incoming_event", "incoming_event", "chat_transferred",
		"incoming_event", "thread_tagged", "chat_deactivated", "routing_status_set"},
	iadvize.Name: {"user.connected", "user.availability.updated", "v2.conversation.pushed", "v2.conversation.pushed",
		"v2.conversation.closed", "satisfaction.answered", "satisfaction.answered"},
	closer.Name: {"login", "status_change", "created", "assignee_change", "message_sent", "message_sent",
		"tag_change", "closed", "reopened"},
}

// TestScenarios_Decode decodes every simulated body through the real decoders: documented, no
// drift flag, verified with the secret it was signed with and not with another.
// reg is the registry of every vendor.
var reg = all.Registry()

func TestScenarios_Decode(t *testing.T) {
	reg := all.Registry()
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	for _, sc := range simulate.Scenarios(reg) {
		t.Run(sc.Vendor+"/"+sc.Name, func(t *testing.T) {
			reqs := sc.Build(now, "sim-secret")
			if sc.Name == simulate.ScenarioConversation && !slices.Equal(sc.Events, wantEvents[sc.Vendor]) {
				t.Errorf("events = %v; want %v", sc.Events, wantEvents[sc.Vendor])
			}
			convs := map[string]bool{}
			var last time.Time
			for i, r := range reqs {
				d := r.Delivery
				ev := reg.Decode(&d, func(string) string { return "sim-secret" })
				if ev.Vendor != sc.Vendor || ev.EventType != r.EventType || !ev.Documented {
					t.Errorf("%d: decoded %s %s (documented %v); want %s %s", i, ev.Vendor, ev.EventType, ev.Documented, sc.Vendor, r.EventType)
				}
				if len(ev.Flags) > 0 {
					t.Errorf("%d %s: flags %+v\n%s", i, r.EventType, ev.Flags, d.Body)
				}
				if ev.Verification.Status != backend.VerifyVerified {
					t.Errorf("%d %s: verification %+v; want verified", i, r.EventType, ev.Verification)
				}
				if bad := reg.Decode(&d, func(string) string { return "other" }); bad.Verification.Status != backend.VerifyMismatch {
					t.Errorf("%d %s: with another secret = %+v; want mismatch", i, r.EventType, bad.Verification)
				}
				// LiveChat dates events and chats, not transfers, tags or status changes.
				if dated := ev.OccurredAt != nil; dated || sc.Vendor != livechat.Name {
					if !dated || ev.OccurredAt.Before(last) || ev.OccurredAt.After(now.Add(time.Second)) {
						t.Errorf("%d %s: occurred at %v; want in order, not after now", i, r.EventType, ev.OccurredAt)
					} else {
						last = *ev.OccurredAt
					}
				}
				if ev.Conversation != nil {
					convs[ev.Conversation.ID] = true
				}
				if !strings.HasPrefix(d.Path, "/"+sc.Vendor) {
					t.Errorf("%d: path %s", i, d.Path)
				}
			}
			if sc.Name == simulate.ScenarioConversation && len(convs) != 1 {
				t.Errorf("conversations %v; want one", convs)
			}
			again := sc.Build(now, "")
			if string(again[0].Delivery.Body) == string(reqs[0].Delivery.Body) {
				t.Errorf("two runs gave the same body: ids must be fresh")
			}
		})
	}
	if _, err := simulate.Find(reg, "livechat", "nope"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("Find(nope) = %v", err)
	}
}

// TestSend_EndToEnd sends every vendor's conversation into a real receiver and store and
// checks what was stored and decoded.
func TestSend_EndToEnd(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := &receiver.Server{Handler: receiver.NewHandler(db)}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	ctx := context.Background()
	dec := ingest.New(db, all.Registry())
	secrets := map[string]string{iadvize.Name: "ia-secret", livechat.Name: "lc-secret", closer.Name: "cl-token"}
	for v, s := range secrets {
		if err := dec.SetSecret(ctx, v, s); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for _, vendor := range []string{livechat.Name, iadvize.Name, closer.Name} {
		sc, err := simulate.Find(reg, vendor, "")
		if err != nil {
			t.Fatal(err)
		}
		sent, err := simulate.Send(ctx, &replay.Sender{}, "http://"+srv.Addr().String(), sc.Build(time.Now(), dec.Secret(vendor)), 0)
		if err != nil || len(sent) != len(sc.Events) {
			t.Fatalf("Send(%s) = %d, %v", vendor, len(sent), err)
		}
		for _, s := range sent {
			if s.Status != 200 || s.ID == "" || s.Error != "" {
				t.Errorf("%s %s: %+v", vendor, s.EventType, s)
			}
		}
		total += len(sent)
	}
	dctx, cancel := context.WithCancel(ctx)
	idle := dec.Idle()
	done := make(chan struct{})
	go func() { dec.Run(dctx); close(done) }()
	<-idle
	cancel()
	<-done
	views, _, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Limit: 100})
	if err != nil || len(views) != total {
		t.Fatalf("stored %d deliveries, %v; want %d", len(views), err, total)
	}
	for _, v := range views {
		if v.Event == nil || len(v.Event.Flags) > 0 || v.Event.Verification.Status != backend.VerifyVerified || v.DuplicateOf != "" {
			t.Errorf("%s %s: event %+v", v.Path, v.ID, v.Event)
		}
	}
}
