package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/simulate"
	"hooklens/backend/sqlite/sqlitetest"
)

// newExportAPI is the API handler the desktop serves in-process (no guard), with its export
// service, over a real store holding the simulated LiveChat conversation and agent scenarios,
// decoded. It returns the handler and a conversation reference ("livechat/ID").
func newExportAPI(tb testing.TB) (http.Handler, string) {
	tb.Helper()
	env := sqlitetest.Open(tb)
	db, reg, dec := env.DB, env.Registry, env.Decoder
	chat := ""
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	for _, name := range []string{simulate.ScenarioConversation, simulate.ScenarioAgent} {
		sc, err := simulate.Find(reg, livechat.Name, name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range sc.Build(now, "") {
			d := r.Delivery
			d.Size, d.Status, d.Source, d.ReceivedAt = int64(len(d.Body)), 200, backend.SourceReceiver, now
			if err := db.AddDelivery(context.Background(), &d); err != nil {
				tb.Fatal(err)
			}
			var body struct {
				Payload struct{ Chat struct{ ID string } }
			}
			if json.Unmarshal(d.Body, &body) == nil && chat == "" && body.Payload.Chat.ID != "" {
				chat = "livechat/" + body.Payload.Chat.ID
			}
		}
	}
	idle := dec.Idle()
	dec.Wake()
	select {
	case <-idle:
	case <-time.After(5 * time.Second):
		tb.Fatal("decoder did not catch up")
	}
	if chat == "" {
		tb.Fatal("no chat id in the simulated conversation")
	}
	s := &api.Server{Store: db, Registry: reg, Settings: env.Settings, Version: "test",
		Exports: &api.ExportService{Store: db, Vendors: reg, Secret: dec.Secret, Generator: "hooklens test"}}
	return s.Handler(), chat
}

// download is the browser's download of GET /api/v1/export?query.
func download(tb testing.TB, h http.Handler, query url.Values) []byte {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, exportPath+"?"+query.Encode(), nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s?%s = %d %s", exportPath, query.Encode(), rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// TestExportToPathSameBytesAsDownload: for every format and kind of selection, the file holds
// exactly what the browser downloads, and the count is the API's.
func TestExportToPathSameBytesAsDownload(t *testing.T) {
	h, chat := newExportAPI(t)
	all := len(bytes.Split(bytes.TrimSpace(download(t, h, url.Values{"format": {"ndjson"}})), []byte("\n")))
	ids := []string{}
	for i, line := range bytes.Split(bytes.TrimSpace(download(t, h, url.Values{"format": {"ndjson"}})), []byte("\n")) {
		var rec struct{ ID string }
		if err := json.Unmarshal(line, &rec); err != nil || rec.ID == "" {
			t.Fatalf("NDJSON line %d: %v %s", i, err, line)
		}
		if i%3 == 0 {
			ids = append(ids, rec.ID)
		}
	}
	selections := map[string]url.Values{
		"All":          {},
		"Search":       {"q": {"type:routing_status_set"}},
		"Conversation": {"conversation": {chat}},
		"Agent":        {"agent": {"livechat/anna.kowalska@example.com"}},
		"Chosen":       {"id": ids},
	}
	for name, sel := range selections {
		for _, format := range []string{"fixtures", "ndjson", "har"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				q := url.Values{"format": {format}}
				for k, v := range sel {
					q[k] = v
				}
				if format == "fixtures" {
					q.Set("pretty", "true")
				}
				want := download(t, h, q)
				path := filepath.Join(t.TempDir(), "out")
				var last exportProgress
				n, err := exportToPath(context.Background(), h, path, q, func(p exportProgress) { last = p })
				if err != nil {
					t.Fatalf("exportToPath(%s) = %v", q.Encode(), err)
				}
				got, _ := os.ReadFile(path)
				if !bytes.Equal(got, want) {
					t.Fatalf("exportToPath(%s) wrote %d bytes, not the %d of the download", q.Encode(), len(got), len(want))
				}
				if n == 0 || n > all || (name != "All" && n == all) {
					t.Errorf("exportToPath(%s) = %d deliveries (of %d)", q.Encode(), n, all)
				}
				if last.Bytes != int64(len(want)) || last.Deliveries != int64(n) || last.BodyBytes == 0 {
					t.Errorf("last progress %+v; want %d bytes, %d deliveries and their body bytes", last, len(want), n)
				}
			})
		}
	}
	t.Run("Scrubbed", func(t *testing.T) {
		// Pseudonyms are keyed at random per export, so only the shape can be compared.
		path := filepath.Join(t.TempDir(), "out.ndjson")
		q := url.Values{"format": {"ndjson"}, "scrub": {"true"}, "conversation": {chat}}
		n, err := exportToPath(context.Background(), h, path, q, nil)
		got, _ := os.ReadFile(path)
		if err != nil || n == 0 || bytes.Contains(got, []byte("anna.kowalska")) {
			t.Errorf("scrubbed export = %d, %v; the agent's e-mail address left: %v", n, err, bytes.Contains(got, []byte("anna.kowalska")))
		}
	})
	t.Run("ErrBadSelection", func(t *testing.T) {
		dir := t.TempDir()
		_, err := exportToPath(context.Background(), h, filepath.Join(dir, "x.ndjson"), url.Values{"format": {"ndjson"}, "q": {"vendor:"}}, nil)
		if err == nil || strings.Contains(err.Error(), "EINVALID") || strings.Contains(err.Error(), "{") {
			t.Errorf("bad query: %v; want the API's message alone", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("left behind: %v", entries)
		}
	})
}

// slowAPI serves an export in chunks, waiting for next before each one after the first.
func slowAPI(chunks int, next <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Hooklens-Deliveries", "40")
		w.Header().Set("X-Hooklens-Body-Bytes", "4000")
		for i := 0; i < chunks; i++ {
			if i > 0 {
				select {
				case <-next:
				case <-r.Context().Done():
				}
			}
			if _, err := w.Write(bytes.Repeat([]byte("x"), 100)); err != nil {
				panic(http.ErrAbortHandler) // what the API does when an export fails half way
			}
		}
	})
}

func TestExportToPathProgress(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 0
	next := make(chan struct{})
	close(next)
	var seen []int64
	path := filepath.Join(t.TempDir(), "a.ndjson")
	n, err := exportToPath(context.Background(), slowAPI(5, next), path, url.Values{"format": {"ndjson"}}, func(p exportProgress) {
		if p.Deliveries != 40 || p.BodyBytes != 4000 {
			t.Errorf("progress %+v; want the API's counts", p)
		}
		seen = append(seen, p.Bytes)
	})
	if err != nil || n != 40 {
		t.Fatalf("exportToPath = %d, %v", n, err)
	}
	if len(seen) < 5 || seen[0] != 0 || seen[len(seen)-1] != 500 {
		t.Errorf("progress bytes %v; want 0 first, rising to 500", seen)
	}
}

// TestExportToPathLeavesNoFile: a canceled export, one the API aborts and one that cannot write
// leave nothing under the chosen name nor beside it.
func TestExportToPathLeavesNoFile(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 0
	noFiles := func(t *testing.T, dir string) {
		t.Helper()
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("left behind: %v", entries)
		}
	}
	t.Run("Canceled", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		next := make(chan struct{})
		var once sync.Once
		_, err := exportToPath(ctx, slowAPI(5, next), filepath.Join(dir, "a.har"), url.Values{"format": {"har"}}, func(p exportProgress) {
			if p.Bytes > 0 {
				once.Do(cancel) // canceled half way
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("canceled export = %v; want context.Canceled", err)
		}
		noFiles(t, dir)
	})
	t.Run("Aborted", func(t *testing.T) {
		dir := t.TempDir()
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "half")
			panic(http.ErrAbortHandler)
		})
		_, err := exportToPath(context.Background(), h, filepath.Join(dir, "a.zip"), url.Values{}, nil)
		if err == nil || !strings.Contains(err.Error(), "before the end") {
			t.Errorf("aborted export = %v", err)
		}
		noFiles(t, dir)
	})
	t.Run("ErrWrite", func(t *testing.T) {
		// What a full disk does: the file takes no more bytes.
		dir := t.TempDir()
		var resp *exportResponse
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			resp = w.(*exportResponse)
			resp.w = failingWriter{&os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}}
			if _, err := io.WriteString(w, "data"); err != nil {
				panic(http.ErrAbortHandler)
			}
		})
		path := filepath.Join(dir, "a.ndjson")
		_, err := exportToPath(context.Background(), h, path, url.Values{}, nil)
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("export to a full disk = %v; want ENOSPC", err)
		}
		if got := notWritten(path, err); got != path+" was not written: the disk is full." {
			t.Errorf("notWritten = %q", got)
		}
		noFiles(t, dir)
	})
	t.Run("ErrPermission", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root may write anywhere")
		}
		dir := filepath.Join(t.TempDir(), "locked")
		os.Mkdir(dir, 0o500)
		path := filepath.Join(dir, "a.ndjson")
		_, err := exportToPath(context.Background(), slowAPI(1, nil), path, url.Values{}, nil)
		if got := notWritten(path, err); !strings.Contains(got, "permission denied") {
			t.Errorf("notWritten = %q; want permission denied", got)
		}
	})
	for err, want := range map[error]string{
		&os.PathError{Op: "open", Path: "/x/a", Err: syscall.EACCES}: "/x/a was not written: permission denied: Hooklens may not write in /x.",
		&os.PathError{Op: "open", Path: "/x/a", Err: syscall.EROFS}:  "/x/a was not written: the disk is read-only.",
		errors.New("unknown vendor."):                                "/x/a was not written: unknown vendor.",
	} {
		if got := notWritten("/x/a", err); got != want {
			t.Errorf("notWritten(%v) = %q; want %q", err, got, want)
		}
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }
