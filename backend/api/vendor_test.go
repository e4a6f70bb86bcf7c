package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/receiver"
	"hooklens/backend/replay"
	"hooklens/backend/simulate/scenario"
	"hooklens/backend/sqlite/sqlitetest"
)

// echo is a fourth vendor that exists only in this test: it proves that a vendor is one unit.
// Nothing outside this file knows it, yet it is detected, decoded, searched, simulated,
// documented and exported (signed again when scrubbed) like the real ones.
type echo struct{}

const echoSignature = "X-Echo-Signature"

func (echo) Name() string       { return "echo" }
func (echo) PathPrefix() string { return "/echo" }
func (echo) Info() decode.Info {
	return decode.Info{DisplayName: "Echo", Badge: decode.Badge{BG: "#eee", FG: "#111", DarkBG: "#111", DarkFG: "#eee"}}
}
func (echo) Rules() backend.Rules {
	return backend.Rules{DedupeWindow: time.Minute, StartName: "opened"}
}
func (echo) Match(in *decode.Input) bool {
	_, ok := in.Object()["echo"]
	return ok
}
func (echo) Decode(in *decode.Input, ev *backend.Event) {
	ev.EventType = decode.Str(in.Doc, "echo")
	ev.Conversation = &backend.ConversationRef{ID: decode.Str(in.Doc, "room")}
	ev.Summary = "echo " + ev.EventType + " in " + ev.Conversation.ID
}
func (echo) Verify(in *decode.Input, secret string) backend.Verification {
	if secret == "" {
		return backend.Verification{Status: backend.VerifyNoSecret}
	}
	if sig := (echo{}).Signature(in.Delivery, secret); in.Delivery.Headers.Get(echoSignature) == sig {
		return backend.Verification{Status: backend.VerifyVerified}
	}
	return backend.Verification{Status: backend.VerifyMismatch, Reason: "signature differs"}
}
func (echo) Catalog() *decode.Catalog { return echoCatalog }
func (echo) SignatureHeader() string  { return echoSignature }
func (echo) Signature(d *backend.Delivery, secret string) string {
	return fmt.Sprintf("%s:%d", secret, len(d.Body))
}
func (echo) Scenarios() []scenario.Scenario {
	return []scenario.Scenario{{Name: scenario.Conversation, Description: "Two words in one room.",
		Make: func(g *scenario.Gen) []scenario.Request {
			var out []scenario.Request
			for _, typ := range []string{"opened", "said"} {
				r := scenario.JSON("echo", typ, "/echo", scenario.O{"echo", typ, "room", "ROOM-1", "who", "Jane Doe"})
				r.Delivery.Headers = append(r.Delivery.Headers, backend.Header{Name: echoSignature,
					Value: (echo{}).Signature(&r.Delivery, g.Secret)})
				out = append(out, r)
			}
			return out
		}}}
}

var echoCatalog = &decode.Catalog{Vendor: "echo",
	Common: []decode.Field{{Path: "echo", Type: "string", Required: true, Description: "What happened."},
		{Path: "room", Type: "string", Description: "The room."}, {Path: "who", Type: "string", Description: "Who."}},
	Events: []decode.EventType{{Name: "opened", Description: "A room opens."}, {Name: "said", Description: "Someone speaks."}}}

func TestFourthVendor(t *testing.T) {
	reg := decode.New(livechat.New(), iadvize.New(), closer.New(), echo{})
	env := sqlitetest.OpenWith(t, reg)
	db, dec := env.DB, env.Decoder
	if err := dec.SetSecret(env.Ctx, "echo", "s3"); err != nil {
		t.Fatal(err)
	}
	rcv := &receiver.Server{Handler: receiver.NewHandler(db)}
	if err := rcv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rcv.Shutdown(env.Ctx) })
	s := &api.Server{Store: db, Registry: reg, Settings: env.Settings, Version: "test", Timelines: db,
		Exports:     &api.ExportService{Store: db, Vendors: reg, Secret: dec.Secret},
		Simulations: &api.SimulateService{Vendors: reg, Secret: dec.Secret, Sender: &replay.Sender{}, ReceiverURL: "http://" + rcv.Addr().String()}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	h := &harness{db: db, decoder: dec, srv: srv}

	// Simulate: the echo scenario goes through the real receiver.
	if resp, b := h.do(t, "POST", "/api/v1/simulate", `{"vendor":"echo"}`); resp.StatusCode != 200 {
		t.Fatalf("simulate echo = %d %s", resp.StatusCode, b)
	}
	// Detection by shape: no vendor path.
	h.add(t, "/hooks", `{"echo":"said","room":"ROOM-2"}`)
	h.decoded(t)

	var page struct {
		Items []struct {
			Vendor       string `json:"vendor"`
			EventType    string `json:"event_type"`
			Verification struct {
				Status string `json:"status"`
			} `json:"verification"`
		} `json:"items"`
	}
	for q, want := range map[string]int{"vendor:echo": 3, "conv:ROOM-1": 2, "conv:ROOM-2": 1} {
		if _, b := h.do(t, "GET", "/api/v1/deliveries?q="+q, ""); json.Unmarshal(b, &page) != nil || len(page.Items) != want {
			t.Errorf("deliveries?q=%s = %s; want %d echo deliveries", q, b, want)
		}
		for _, it := range page.Items {
			if it.Vendor != "echo" {
				t.Errorf("q=%s: vendor %q; want echo", q, it.Vendor)
			}
		}
	}
	if _, b := h.do(t, "GET", "/api/v1/deliveries?q=conv:ROOM-1", ""); !strings.Contains(string(b), `"verified"`) {
		t.Errorf("simulated echo deliveries are not verified with the configured secret: %s", b)
	}

	var vendors api.VendorList
	if _, b := h.do(t, "GET", "/api/v1/vendors", ""); json.Unmarshal(b, &vendors) != nil || len(vendors.Vendors) != 4 ||
		vendors.Vendors[3].Name != "echo" || vendors.Vendors[3].DisplayName != "Echo" || vendors.Vendors[3].Path != "/echo" ||
		fmt.Sprint(vendors.Vendors[3].Scenarios) != "[conversation]" || vendors.Vendors[3].APIRegistration {
		t.Errorf("vendors = %s; want echo fourth, with its name, path and scenario", b)
	}
	if resp, b := h.do(t, "GET", "/api/v1/catalog/echo", ""); resp.StatusCode != 200 || !strings.Contains(string(b), "Someone speaks.") {
		t.Errorf("catalog/echo = %d %s", resp.StatusCode, b)
	}
	// its schemas and types come from its catalog alone
	if resp, b := h.do(t, "GET", "/api/v1/schema/echo?format=typescript", ""); resp.StatusCode != 200 ||
		!strings.Contains(string(b), "export interface Said") || !strings.Contains(string(b), " * Someone speaks.") {
		t.Errorf("schema/echo = %d %s", resp.StatusCode, b)
	}
	if resp, b := h.do(t, "GET", "/api/v1/conversations/echo/ROOM-1/timeline", ""); resp.StatusCode != 200 || !strings.Contains(string(b), `"said"`) {
		t.Errorf("echo timeline = %d %s", resp.StatusCode, b)
	}

	// Export, scrubbed: the echo signature is computed again over the scrubbed body.
	resp, b := h.do(t, "GET", "/api/v1/export?format=ndjson&scrub=1&q=vendor:echo", "")
	if resp.StatusCode != 200 {
		t.Fatalf("export = %d %s", resp.StatusCode, b)
	}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var rec struct {
			Headers [][2]string `json:"headers"`
			Body    string      `json:"body"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) != nil || rec.Body == "" {
			continue
		}
		lines++
		for _, hd := range rec.Headers {
			if hd[0] == echoSignature && !strings.HasSuffix(hd[1], fmt.Sprintf(":%d", len(rec.Body))) {
				t.Errorf("scrubbed %s = %q; want it recomputed over the %d-byte scrubbed body", echoSignature, hd[1], len(rec.Body))
			}
		}
	}
	if lines != 3 {
		t.Errorf("export has %d echo deliveries; want 3:\n%s", lines, b)
	}
}
