package export_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/export"
	"hooklens/backend/sqlite"
)

// seedMany stores n LiveChat-like deliveries with a message of textLen bytes (2 KiB bodies for
// 1300), fast (import batches).
func seedMany(tb testing.TB, db *sqlite.DB, n, textLen int) {
	tb.Helper()
	text := strings.Repeat("Hello, where is my order? ", textLen/26+1)[:textLen]
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	batch := make([]backend.Import, 0, 512)
	for i := 0; i < n; i++ {
		body := fmt.Sprintf(`{"webhook_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","secret_key":"s3cr3t","action":"incoming_event",`+
			`"organization_id":"390e44e6-f1e6-4368-a6dd-74a14508c2ec","payload":{"chat_id":"CHAT%06d","thread_id":"T%06d",`+
			`"event":{"id":"T%06d_%d","type":"message","text":%q,"author_id":"agent%d@example.com",`+
			`"created_at":"2026-03-01T09:00:00.000000Z","visibility":"all"}}}`, i/10, i/10, i/10, i, text, i%7)
		batch = append(batch, backend.Import{Delivery: &backend.Delivery{
			ReceivedAt: t0.Add(time.Duration(i) * time.Second), Method: "POST", Path: "/livechat",
			Headers: backend.Headers{{Name: "Host", Value: "x.trycloudflare.com"}, {Name: "Content-Type", Value: "application/json"},
				{Name: "User-Agent", Value: "LiveChat-Webhooks/3.6"}, {Name: "X-Forwarded-For", Value: "203.0.113.7"}},
			Body: []byte(body), Size: int64(len(body)), ContentType: "application/json", RemoteAddr: "127.0.0.1:5000",
			Status: 200, Source: backend.SourceReceiver}, Origin: backend.SourceReceiver})
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := db.ImportDeliveries(context.Background(), batch); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// cpuTime is the CPU time (user and system) the process used so far.
func cpuTime() time.Duration { return time.Duration(processCPU()) }

// reportCPU adds MB per CPU second: on a shared machine, wall-clock MB/s depends on the load.
func reportCPU(b *testing.B, bytes int64, cpu time.Duration) {
	b.ReportMetric(float64(bytes)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkExportNDJSON measures NDJSON export from a store of 20,000 deliveries; MB/s is output.
func BenchmarkExportNDJSON(b *testing.B) {
	db := MustOpenDB(b)
	seedMany(b, db, 20000, 1300)
	decodeAll(b, db, nil)
	var c counter
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		c.n = 0
		if _, err := export.Write(context.Background(), db, &c, export.Options{Format: export.FormatNDJSON}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c.n, cpuTime()-cpu)
	b.SetBytes(c.n)
}

// BenchmarkImportNDJSON measures NDJSON import of 20,000 deliveries into an empty store; MB/s is input.
func BenchmarkImportNDJSON(b *testing.B) {
	db := MustOpenDB(b)
	seedMany(b, db, 20000, 1300)
	dir := b.TempDir()
	path := filepath.Join(dir, "all.ndjson")
	if _, err := export.WriteFile(context.Background(), db, path, export.Options{Format: export.FormatNDJSON}); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		to := sqlite.NewDB(filepath.Join(dir, fmt.Sprintf("to%d.db", i)))
		if err := to.Open(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := cpuTime()
		res, err := export.ImportPath(context.Background(), to, path, "")
		if err != nil || res.Imported != 20000 {
			b.Fatalf("ImportPath = %+v, %v", res, err)
		}
		cpu += cpuTime() - start
		b.StopTimer()
		to.Close()
		b.StartTimer()
	}
	reportCPU(b, fi.Size(), cpu)
	b.SetBytes(fi.Size())
}

// TestExport_100k exports and imports 100,000 deliveries as NDJSON (skipped with -short or -race).
func TestExport_100k(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("100,000 deliveries: run without -short and without -race")
	}
	db := MustOpenDB(t)
	seedMany(t, db, 100000, 100)
	path := filepath.Join(t.TempDir(), "all.ndjson")
	res, err := export.WriteFile(context.Background(), db, path, export.Options{Format: export.FormatNDJSON})
	if err != nil || res.Deliveries != 100000 {
		t.Fatalf("WriteFile = %+v, %v", res, err)
	}
	to := MustOpenDB(t)
	in, err := export.ImportPath(context.Background(), to, path, "")
	if err != nil || in.Imported != 100000 {
		t.Fatalf("ImportPath = %+v, %v", in, err)
	}
	var n int
	err = to.EachDelivery(context.Background(), backend.Selection{}, backend.ByArrival, func(*backend.Item) error { n++; return nil })
	if err != nil || n != 100000 {
		t.Fatalf("EachDelivery saw %d, %v", n, err)
	}
}
