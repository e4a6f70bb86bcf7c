package gen_test

import (
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/bench/internal/gen"
)

// The generator must not lie: the real decoders read what it makes as documented events of the
// three vendors, with conversations, agents and retries.
func TestGenerator_DecodesCleanly(t *testing.T) {
	cfg := gen.Defaults(6000)
	cfg.Conversations, cfg.BigConv, cfg.UIConv, cfg.UISpan = 200, 100, 300, 3000
	g := gen.New(cfg)
	reg := all.Registry()
	vendors, types, flagged, convs, dups := map[string]int{}, map[string]bool{}, 0, 0, map[string]int{}
	for d := g.Next(); d != nil; d = g.Next() {
		ev := reg.Decode(d, nil)
		vendors[ev.Vendor]++
		types[ev.Vendor+" "+ev.EventType] = true
		if len(ev.Flags) > 0 || !ev.Documented {
			flagged++
			if flagged < 5 {
				t.Logf("%s %s flags %v: %s", ev.Vendor, ev.EventType, ev.Flags, d.Body)
			}
		}
		if ev.Conversation != nil {
			convs++
		}
		dups[ev.Vendor+ev.DedupeKey]++
	}
	for _, v := range []string{livechat.Name, iadvize.Name, closer.Name} {
		if vendors[v] < 500 {
			t.Errorf("%s deliveries = %d; want a realistic share of 6000", v, vendors[v])
		}
	}
	if vendors[backend.VendorUnknown] > 0 || flagged > 60 || convs < 4500 || len(types) < 20 {
		t.Errorf("unknown %d, flagged %d, with a conversation %d, event types %d; want 0, ≤ 1%%, most, ≥ 20",
			vendors[backend.VendorUnknown], flagged, convs, len(types))
	}
	retries := 0
	for _, n := range dups {
		retries += n - 1
	}
	if retries < 10 {
		t.Errorf("retries = %d; want some (0.5%% of deliveries)", retries)
	}
	if g.RawBytes() < 6000*700 {
		t.Errorf("RawBytes() = %d; want realistic requests (headers and body) of about 1 KB", g.RawBytes())
	}
}
