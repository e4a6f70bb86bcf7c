package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

// bulkDeliveries returns the vendor samples of the decoders' testdata as deliveries, in a stream
// with vendor retries (within and beyond the dedupe window), one second apart.
// versionedSample names a sample of one dated version: "conversation.chat.started.2017-08.json".
var versionedSample = regexp.MustCompile(`\.\d{4}-\d{2}\.(json|form)$`)

func bulkDeliveries(t testing.TB) []*backend.Delivery {
	t.Helper()
	var out []*backend.Delivery
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	add := func(path, ctype string, body []byte) {
		at = at.Add(time.Second)
		out = append(out, &backend.Delivery{ID: fmt.Sprintf("0196a000-0000-7000-8000-%012d", len(out)+1),
			ReceivedAt: at, Method: "POST", Path: path, Body: body, Size: int64(len(body)), ContentType: ctype,
			Headers:    backend.Headers{{Name: "Host", Value: "hooks.example"}, {Name: "Content-Type", Value: ctype}},
			RemoteAddr: "127.0.0.1:40000", Status: 200, Source: backend.SourceReceiver})
	}
	for _, g := range []struct{ glob, path, ctype string }{
		{"../decode/livechat/testdata/*.json", "/livechat", "application/json"},
		{"../decode/iadvize/testdata/*.json", "/iadvize", "application/json"},
		{"../decode/iadvize/testdata/*.form", "/iadvize", "application/x-www-form-urlencoded"},
	} {
		files, err := filepath.Glob(g.glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("Glob(%q) = %v, %v; want sample files", g.glob, files, err)
		}
		for _, f := range files {
			if versionedSample.MatchString(filepath.Base(f)) {
				// The samples of dated vendor versions (issue 17) came after
				// testdata/pre0005.db.gz was made from this list, which the migration test
				// compares with; they are decoded by their packages' own tests.
				continue
			}
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			add(g.path, g.ctype, body)
		}
	}
	n := len(out)
	for i := 0; i < n; i += 3 { // retries a few seconds later: duplicates of the first
		add(out[i].Path, out[i].ContentType, out[i].Body)
	}
	at = at.Add(time.Hour) // beyond LiveChat's window, within iAdvize's (none)
	for i := 1; i < n; i += 4 {
		add(out[i].Path, out[i].ContentType, out[i].Body)
	}
	add("/nowhere", "text/plain", []byte("not a webhook"))
	return out
}

func openStore(t *testing.T, name string) *sqlite.DB {
	t.Helper()
	db := newDB(filepath.Join(t.TempDir(), name, "hooklens.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestBulkLoader_StoresWhatTheDecoderStores(t *testing.T) {
	ctx := context.Background()
	ds := bulkDeliveries(t)
	reg := all.Registry()

	// The normal path: the receiver's AddDelivery, then the background decoder.
	normal := openStore(t, "normal")
	dctx, cancel := context.WithCancel(ctx)
	dec := ingest.New(normal, reg)
	done := make(chan struct{})
	go func() { dec.Run(dctx); close(done) }()
	for _, d := range ds {
		c := *d
		if err := normal.AddDelivery(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	waitDecoded(t, normal, dec, len(ds))
	cancel()
	<-done
	normal.Close()

	// The bulk path, in two batches so that retries span them.
	bulk := openStore(t, "bulk")
	loader := bulk.NewBulkLoader(decode.Version)
	var items []sqlite.BulkItem
	for _, d := range ds {
		c := *d
		ev, text := ingest.Decode(reg, sqlite.ForDecode(&c), nil)
		items = append(items, sqlite.BulkItem{Delivery: &c, Event: ev, Text: text, Paths: ingest.BodyPaths(sqlite.ForDecode(&c))})
	}
	half := len(items) / 2
	for _, batch := range [][]sqlite.BulkItem{items[:half], items[half:]} {
		if err := loader.Add(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := loader.Close(ctx); err != nil {
		t.Fatal(err)
	}
	bulk.Close()

	a, b := dump(t, normal.Path), dump(t, bulk.Path)
	for table, rows := range a {
		if !reflect.DeepEqual(rows, b[table]) {
			t.Errorf("table %s: bulk load stored\n%v\nwant (decoder)\n%v", table, head(b[table]), head(rows))
		}
	}
	dups := rawCount(t, normal, `SELECT count(*) FROM events WHERE duplicate_of IS NOT NULL AND t IS NOT NULL`)
	if dups == 0 || len(a["conversations"]) == 0 || len(a["agents"]) == 0 {
		t.Errorf("decoder stored %d retries, %d conversations, %d agents; want some of each", dups,
			len(a["conversations"]), len(a["agents"]))
	}
	if len(a["events"]) != len(ds) || len(a["search_docsize"]) != len(ds) {
		t.Errorf("decoder stored %d events, %d search rows; want %d each", len(a["events"]), len(a["search_docsize"]), len(ds))
	}
	for _, q := range []string{"transferred", `"PJ0MRSHTDG"`, "smith", "conversation"} {
		if x, y := match(t, normal.Path, q), match(t, bulk.Path, q); x != y {
			t.Errorf("search %s: bulk finds %s; want %s", q, y, x)
		}
	}
}

func waitDecoded(t *testing.T, db *sqlite.DB, dec *ingest.Decoder, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		dec.Wake()
		through, err := db.DecodedThrough(context.Background(), decode.Version)
		if err == nil && through >= int64(n) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("decoder did not decode %d deliveries in time", n)
}

// dump returns every row of every table but FTS5's own segments, in a stable order.
func dump(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]string{}
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT IN ('search', 'search_data', 'search_idx', 'search_config')`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, table := range tables {
		cols := "*"
		where := ""
		switch table {
		case "search_docsize":
			cols = "id, sz" // origin numbers FTS5's segment flushes, not what is indexed
		case "events":
			// A path set's id numbers the order sets were first seen, not what they hold.
			cols = eventColumns(t, db) + ", (SELECT paths FROM path_sets p WHERE p.id = path_set)"
		case "path_sets":
			// Sets no event uses any more (their events pruned) are kept; only those in use count.
			cols, where = "paths", " WHERE id IN (SELECT path_set FROM events)"
		}
		r, err := db.Query(`SELECT ` + cols + ` FROM "` + table + `"` + where)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = sorted(rowStrings(t, r))
	}
	return out
}

// rowStrings reads and closes r: each row as one string of its values.
func rowStrings(t *testing.T, r *sql.Rows) []string {
	t.Helper()
	defer r.Close()
	columns, _ := r.Columns()
	var out []string
	for r.Next() {
		vals := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func match(t *testing.T, path, q string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids string
	err = db.QueryRow(`SELECT coalesce(group_concat(rowid), '') FROM (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid)`, q).Scan(&ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func head(rows []string) string {
	if len(rows) > 6 {
		rows = append(rows[:6:6], fmt.Sprintf("… %d rows", len(rows)))
	}
	return strings.Join(rows, "\n")
}

// eventColumns lists the columns of events but path_set, comma-separated.
func eventColumns(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM pragma_table_info('events') WHERE name != 'path_set'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, n)
	}
	return strings.Join(cols, ", ")
}
