// Package sqlite is the Hooklens store: one SQLite file in WAL mode, a group-commit writer, queries.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hooklens/backend"
	"hooklens/backend/journal"

	msqlite "modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the store. Writes go through one writer goroutine that group-commits; reads use a pool.
type DB struct {
	Path string
	// Now is the clock; tests may replace it before Open.
	Now func() time.Time
	// Rules are the registered vendors' retry and lifecycle rules (decode.Registry.Rulebook);
	// set before Open. Nil gives every vendor the default rules.
	Rules *backend.Rulebook
	// JournalFS is where the capture journal's file lives; nil is the real file system. Tests
	// replace it before Open with one that can cut the power (journaltest.CrashFS).
	JournalFS journal.FS

	syncOS         atomic.Bool   // SyncOS: captures do not wait for the journal's sync (durable.go)
	onDurable      func() error  // tests: called when syncStore made the database durable; its error fails the sync
	journalResetAt int64         // tests: a smaller journalResetSize
	gatherFor      time.Duration // tests: a shorter captureGather

	wdb *sql.DB // exactly one connection, used only by the writer goroutine
	rdb *sql.DB // read-only pool

	wmu     sync.Mutex // held while a transaction is written, by the writer or inline (see write)
	ops     chan op    // captures and other foreground writes
	lows    chan op    // background writes (decoding), see backend.Background
	stop    chan struct{}
	stopped chan struct{}
	closing sync.Once

	hub    hub
	annMu  sync.Mutex
	annIDs []string // committed deliveries not announced yet (see announce)

	cap *captures // the capture journal and what is not moved from it yet (capture.go)

	packMu sync.Mutex
	packs  map[int64]packed // packed forms of pending deliveries, by seq, until PutEvents (event.go)

	ckpt     *sql.DB       // the checkpointer's connection; nil: SQLite checkpoints in the writer
	ckptWake chan struct{} // a commit happened
	ckptDone chan struct{}
	// ckptMu lets one checkpoint run at a time: SQLite answers a second one busy at once,
	// which would fail a capture that needs syncStore's.
	ckptMu sync.Mutex
	// unlockJournal releases the lock that makes this process the journal's owner; shared is
	// true when another process owns it (see openCaptures).
	unlockJournal func() error
	shared        bool

	mu       sync.Mutex
	writeErr error // last commit error; nil when the last commit worked
}

// NewDB returns a store for the file at path; call Open before use.
func NewDB(path string) *DB {
	return &DB{Path: path, Now: time.Now, packs: map[int64]packed{}}
}

// Open creates the file (user-only permissions) if needed, applies migrations and starts the writer.
// It returns an EUNAVAILABLE error when the file cannot be opened or is not a database.
func (db *DB) Open() error {
	if err := os.MkdirAll(filepath.Dir(db.Path), 0o700); err != nil {
		return backend.Errorf(backend.EUNAVAILABLE, "create data directory: %v", err)
	}
	if f, err := os.OpenFile(db.Path, os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return backend.Errorf(backend.EUNAVAILABLE, "open store: %v", err)
	} else {
		f.Close()
	}
	var err error
	if db.wdb, err = openPool(db.Path, false); err != nil {
		return err
	}
	db.wdb.SetMaxOpenConns(1)
	if db.rdb, err = openPool(db.Path, true); err != nil {
		db.wdb.Close()
		return err
	}
	db.rdb.SetMaxOpenConns(4)
	if err := db.migrate(); err != nil {
		db.wdb.Close()
		db.rdb.Close()
		return err
	}
	if err := db.openCaptures(); err != nil {
		db.wdb.Close()
		db.rdb.Close()
		return err
	}
	db.ops = make(chan op, 1024)
	db.lows = make(chan op, 64)
	db.stop = make(chan struct{})
	db.stopped = make(chan struct{})
	db.startCheckpointer()
	go db.writer()
	if db.cap != nil {
		go db.capturer()
	}
	return nil
}

// cacheSizeKiB is each connection's page cache (SQLite's default).
const cacheSizeKiB = 2000

// pageSize is the page size of new stores. A delivery row is 1.5–3 KB: with SQLite's default
// 4 KiB pages most rows take a page of their own (half of it empty), and a commit writes one WAL
// frame per delivery; 16 KiB pages hold several rows, so the file is smaller and a group commit
// writes a few frames.
const pageSize = 16384

func openPool(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize)) // new stores only
	q.Set("_journal_mode", "WAL")                            // after the _pragma list: after page_size
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -cacheSizeKiB))
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	q.Set("_time_format", "sqlite")
	db := sql.OpenDB(stmtCacheConnector{dsn: "file:" + path + "?" + q.Encode()})
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, backend.Errorf(backend.EUNAVAILABLE, "open store %s: %v", path, err)
	}
	return db, nil
}

// Close stops the writer after it has committed every accepted write, then closes the file.
func (db *DB) Close() error {
	var errs []error
	db.closing.Do(func() {
		errs = append(errs, db.closeCaptures()) // while the writer still runs
		db.releaseJournal()
		if db.stop != nil {
			close(db.stop)
			<-db.stopped
		}
	})
	db.wmu.Lock() // an inline commit in progress finishes first; later ones see stop
	defer db.wmu.Unlock()
	if db.ckpt != nil {
		<-db.ckptDone
		errs = append(errs, db.ckpt.Close())
	}
	if db.rdb != nil {
		errs = append(errs, db.rdb.Close())
	}
	if db.wdb != nil {
		_, _ = db.wdb.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		errs = append(errs, db.wdb.Close())
	}
	return errors.Join(errs...)
}

// migrate applies every embedded migration not yet recorded, each in its own transaction.
func (db *DB) migrate() error {
	if _, err := db.wdb.Exec(`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return backend.Errorf(backend.EUNAVAILABLE, "migrate: %v", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	applied := false
	for _, name := range names {
		ran, err := db.migrateFile(name)
		if err != nil {
			return backend.Errorf(backend.EUNAVAILABLE, "migrate %s: %v", name, err)
		}
		applied = applied || ran
	}
	if applied {
		db.compactSmall()
	}
	return nil
}

func (db *DB) migrateFile(name string) (bool, error) {
	tx, err := db.wdb.Begin()
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return false, err
	} else if n > 0 {
		return false, nil
	}
	buf, err := fs.ReadFile(migrations, name)
	if err != nil {
		return false, err
	}
	if _, err := tx.Exec(string(buf)); err != nil {
		return false, err
	}
	if _, err := tx.Exec(`INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// compactMax is the largest store compacted after a migration: a new store, whose migrations
// dropped what earlier ones made, or a small one. A bigger store keeps the freed pages for what
// it stores next rather than wait at start for a rewrite of the whole file.
const compactMax = 64 << 20

// compactSmall rewrites a small store that has free pages (VACUUM). It is best effort: a store
// that cannot be rewritten now works as well with its free pages.
func (db *DB) compactSmall() {
	var free, pages, size int64
	err := db.wdb.QueryRow(`SELECT f.freelist_count, c.page_count, s.page_size
		FROM pragma_freelist_count f, pragma_page_count c, pragma_page_size s`).Scan(&free, &pages, &size)
	if err == nil && free > 0 && pages*size <= compactMax {
		_, _ = db.wdb.Exec(`VACUUM`)
	}
}

// IntegrityCheck runs PRAGMA integrity_check and returns an error unless it says "ok".
func (db *DB) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := db.rdb.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	} else if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

// Health returns nil when the last commit worked and the capture journal can be synced, else
// why writes fail.
func (db *DB) Health() error {
	if err := db.storeErr(); err != nil {
		return err
	}
	if db.cap != nil {
		if err := db.cap.j.Failed(); err != nil {
			return backend.Errorf(backend.EUNAVAILABLE, "%v; captures are committed directly until a fresh journal is open", err)
		}
	}
	return nil
}

// storeErr returns nil when the last commit worked, else its error.
func (db *DB) storeErr() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.writeErr
}

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// LimitPages caps the database at n pages (0 lifts the cap), as a full disk would. Writes past
// it fail with "database or disk is full" until the cap is lifted; fault tests use it.
func (db *DB) LimitPages(ctx context.Context, n int64) error {
	if n == 0 {
		n = 4294967294
	}
	_, err := db.wdb.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", n))
	return err
}

// maxCachedStmts bounds the prepared statements kept per connection.
const maxCachedStmts = 256

// stmtCacheConnector opens driver connections that keep a prepared statement per SQL text: the
// driver otherwise parses and plans every Exec and Query anew, which costs more than running
// most of the store's statements.
type stmtCacheConnector struct{ dsn string }

func (c stmtCacheConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := (&msqlite.Driver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (c stmtCacheConnector) Driver() driver.Driver { return &msqlite.Driver{} }

type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	st   driver.Stmt
	busy bool // rows of a query are open on it
}

// stmt returns the cached statement of query, or nil when it must not be cached or is in use.
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	if len(c.stmts) >= maxCachedStmts || strings.Contains(strings.TrimRight(query, "; \t\n"), ";") {
		return nil, nil // a script, or too many
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{st: st}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	} else if s == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return s.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	} else if s == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := s.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, s: s}, nil
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *cachingConn) Close() error {
	for q, s := range c.stmts {
		s.st.Close()
		delete(c.stmts, q)
	}
	return c.Conn.Close()
}

// cachedRows gives its statement back when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	return err
}

// The services DB implements, declared in the domain.
var (
	_ backend.DeliveryReader   = (*DB)(nil)
	_ backend.DeliveryWriter   = (*DB)(nil)
	_ backend.TimelineReader   = (*DB)(nil)
	_ backend.DecodeService    = (*DB)(nil)
	_ backend.ExportService    = (*DB)(nil)
	_ backend.ImportService    = (*DB)(nil)
	_ backend.ReplayService    = (*DB)(nil)
	_ backend.ArrivalService   = (*DB)(nil)
	_ backend.RetentionService = (*DB)(nil)
	_ backend.Notifier         = (*DB)(nil)
)
