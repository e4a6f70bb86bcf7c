package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklens/backend/api"
	"hooklens/backend/contract"
	"hooklens/backend/receiver"
	"hooklens/backend/replay"
	"hooklens/backend/sqlite/sqlitetest"
)

// newFixtureHarness is the API with its fixture routes, a receiver and a forwarder, over a real store.
func newFixtureHarness(tb testing.TB) *harness {
	tb.Helper()
	env := sqlitetest.Open(tb)
	db, reg, dec, ctx := env.DB, env.Registry, env.Decoder, env.Ctx
	rcv := &receiver.Server{Handler: receiver.NewHandler(db)}
	if err := rcv.Listen("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	sender := &replay.Sender{Timeout: 5 * time.Second}
	fwd := &replay.Forwarder{Store: db, Sender: sender, Self: []string{rcv.Addr().String()}}
	s := &api.Server{Store: db, Registry: reg, Settings: env.Settings, Version: "test",
		Exports: &api.ExportService{Store: db, Vendors: reg, Secret: dec.Secret, Generator: "hooklens test"},
		Imports: &api.ImportService{Store: db},
		Replays: &api.ReplayService{Store: db, Base: ctx,
			Runs: &replay.Runs{Replayer: &replay.Replayer{Store: db, Sender: sender}}},
		Forwarding: fwd,
		Tests: &api.TestService{Base: ctx, Runs: &contract.Runs{Store: db, Registry: reg, Secret: dec.Secret,
			Sender: sender}},
		Simulations: &api.SimulateService{Vendors: reg, Secret: dec.Secret, Sender: sender, ReceiverURL: "http://" + rcv.Addr().String()}}
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	s.Guard = &api.Guard{Token: token, Hosts: api.LoopbackHosts(srv.Listener.Addr().String())}
	srv.Config.Handler = s.Handler()
	tb.Cleanup(func() { srv.Close(); rcv.Shutdown(context.Background()) })
	return &harness{db: db, decoder: dec, srv: srv}
}

func TestFixtures_ExportImport(t *testing.T) {
	h := newFixtureHarness(t)
	resp, body := h.do(t, "POST", "/api/v1/simulate", `{"vendor":"all"}`)
	var sim struct {
		Count, Failed int
	}
	if json.Unmarshal(body, &sim); resp.StatusCode != 200 || sim.Count != 25 || sim.Failed != 0 {
		t.Fatalf("POST simulate = %d %s", resp.StatusCode, body)
	}
	h.decoded(t)
	resp, body = h.do(t, "GET", "/api/v1/export/count?q=vendor:iadvize", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"deliveries":7`) {
		t.Errorf("GET export/count = %d %s", resp.StatusCode, body)
	}
	resp, _ = h.do(t, "GET", "/api/v1/export?format=ndjson&q=vendor:", "")
	if resp.StatusCode != 400 {
		t.Errorf("GET export with a bad query = %d; want 400", resp.StatusCode)
	}
	resp, nd := h.do(t, "GET", "/api/v1/export?format=ndjson&q=vendor:closer&scrub=1", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" ||
		resp.Header.Get("X-Hooklens-Deliveries") != "9" || !strings.Contains(resp.Header.Get("Content-Disposition"), ".ndjson") {
		t.Fatalf("GET export = %d %v", resp.StatusCode, resp.Header)
	}
	lines := strings.Split(strings.TrimSpace(string(nd)), "\n")
	if len(lines) != 10 || !strings.HasPrefix(lines[9], `{"_hooklens"`) || strings.Contains(string(nd), "lena.martin@example.com") {
		t.Errorf("scrubbed NDJSON has %d lines:\n%s", len(lines), nd)
	}
	resp, zip := h.do(t, "GET", "/api/v1/export?format=fixtures", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" || !bytes.HasPrefix(zip, []byte("PK")) {
		t.Errorf("GET export fixtures = %d %v", resp.StatusCode, resp.Header)
	}

	other := newFixtureHarness(t)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "closer.ndjson")
	fw.Write(nd)
	fw, _ = mw.CreateFormFile("file", "all.zip")
	fw.Write(zip)
	mw.Close()
	resp, body = other.do(t, "POST", "/api/v1/import", mp.String(), "Content-Type", mw.FormDataContentType())
	var out struct {
		Imported, Duplicates, Failed int
		Files                        []struct {
			Name, Format string
			Imported     int
		}
	}
	json.Unmarshal(body, &out)
	if resp.StatusCode != 200 || out.Imported != 25 || out.Duplicates != 9 || out.Failed != 0 || len(out.Files) != 2 || out.Files[1].Format != "zip" {
		t.Errorf("POST import = %d %s; want 25 imported, the 9 closer deliveries twice", resp.StatusCode, body)
	}
	resp, body = other.do(t, "POST", "/api/v1/import?format=har&name=x.har", `{"log":{"version":"1.2","entries":[]}}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"imported":0`) {
		t.Errorf("POST import raw HAR = %d %s", resp.StatusCode, body)
	}
	resp, body = other.do(t, "POST", "/api/v1/import?format=ndjson", "not json\n")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"failed":1`) || !strings.Contains(string(body), `"code":"invalid"`) {
		t.Errorf("POST import of garbage = %d %s", resp.StatusCode, body)
	}
}

func TestFixtures_ReplayAndForward(t *testing.T) {
	h := newFixtureHarness(t)
	var got []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		w.WriteHeader(201)
		io.WriteString(w, "created")
	}))
	defer target.Close()
	id := h.add(t, "/livechat/x", `{"a":1}`)
	resp, body := h.do(t, "POST", "/api/v1/replay", `{"to":"`+target.URL+`/in"}`)
	if resp.StatusCode != 400 {
		t.Errorf("POST replay without a selection = %d %s; want 400", resp.StatusCode, body)
	}
	resp, body = h.do(t, "POST", "/api/v1/replay", `{"ids":["`+id+`"],"to":"`+target.URL+`/in","wait":true}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":201`) || len(got) != 1 || got[0] != `POST /in/livechat/x {"a":1}` {
		t.Fatalf("POST replay = %d %s; target got %q", resp.StatusCode, body, got)
	}
	resp, body = h.do(t, "POST", "/api/v1/replay", `{"ids":["`+id+`"],"to":"`+target.URL+`"}`)
	var run struct{ ID string }
	json.Unmarshal(body, &run)
	if resp.StatusCode != 202 || run.ID == "" {
		t.Fatalf("POST replay (background) = %d %s", resp.StatusCode, body)
	}
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, body = h.do(t, "GET", "/api/v1/replay/"+run.ID, "")
		if strings.Contains(string(body), `"done":true`) || time.Now().After(end) {
			break
		}
	}
	if !strings.Contains(string(body), `"sent":1`) {
		t.Errorf("GET replay run = %s", body)
	}
	resp, body = h.do(t, "GET", "/api/v1/deliveries/"+id+"/replays", "")
	var recs struct {
		Items []struct {
			Kind   string
			Answer struct {
				Status  int
				Excerpt string
			}
		}
	}
	json.Unmarshal(body, &recs)
	if resp.StatusCode != 200 || len(recs.Items) != 2 || recs.Items[0].Answer.Status != 201 || recs.Items[0].Answer.Excerpt != "created" {
		t.Errorf("GET replays = %d %s", resp.StatusCode, body)
	}

	resp, body = h.do(t, "PUT", "/api/v1/settings/forward", `{"url":"ftp://x","enabled":true}`)
	if resp.StatusCode != 400 {
		t.Errorf("PUT forward ftp = %d %s", resp.StatusCode, body)
	}
	resp, body = h.do(t, "PUT", "/api/v1/settings/forward", `{"url":"`+target.URL+`","enabled":true}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"enabled":true`) {
		t.Errorf("PUT forward = %d %s", resp.StatusCode, body)
	}
	if v, _ := h.db.Setting(context.Background(), replay.SettingForward); !strings.Contains(v, target.URL) {
		t.Errorf("forward setting = %q", v)
	}
	resp, body = h.do(t, "GET", "/api/v1/simulate", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"v2.conversation.pushed"`) {
		t.Errorf("GET simulate = %d %s", resp.StatusCode, body)
	}
}
