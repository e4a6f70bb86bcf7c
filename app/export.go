package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// exportPath is the API route of an export download; the desktop writes what it serves to a file.
const exportPath = "/api/v1/export"

// progressEvery is the shortest time between two progress reports of an export.
var progressEvery = 100 * time.Millisecond

// exportProgress is how far an export to a file got: bytes written so far, and the deliveries
// and body bytes the export holds (the API's X-Hooklens-Deliveries and X-Hooklens-Body-Bytes).
type exportProgress struct {
	ID         string `json:"id,omitempty"`
	Bytes      int64  `json:"bytes"`
	Deliveries int64  `json:"deliveries"`
	BodyBytes  int64  `json:"body_bytes"`
}

// exportToPath writes to path exactly what GET /api/v1/export?query serves (the browser's
// download of the same selection and format), through api in-process, calling progress (when
// not nil) at most every progressEvery as bytes are written. Nothing is left at path, nor
// beside it, when the API refuses, the export fails or ctx is canceled. It returns the number
// of deliveries exported; the error is the API's message, ctx.Err() or the file system's error.
func exportToPath(ctx context.Context, api http.Handler, path string, query url.Values,
	progress func(exportProgress)) (int, error) {
	var n int
	err := writeExport(path, func(w io.Writer) error {
		var err error
		n, err = serveExport(ctx, api, w, query, progress)
		return err
	})
	return n, err
}

// serveExport serves GET /api/v1/export?query into w.
func serveExport(ctx context.Context, api http.Handler, w io.Writer, query url.Values,
	progress func(exportProgress)) (n int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, exportPath+"?"+query.Encode(), nil)
	if err != nil {
		return 0, err
	}
	resp := &exportResponse{ctx: ctx, w: w, header: http.Header{}, progress: progress}
	aborted := func() (aborted bool) {
		// The API aborts a download that fails half way (http.ErrAbortHandler), so that a
		// browser does not take it for complete.
		defer func() {
			if p := recover(); p != nil {
				if p != http.ErrAbortHandler { //nolint:errorlint // a sentinel panic value
					panic(p)
				}
				aborted = true
			}
		}()
		api.ServeHTTP(resp, req)
		return false
	}()
	switch {
	case resp.err != nil:
		return 0, resp.err
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case aborted:
		return 0, errors.New("the export stopped before the end")
	case resp.status != 0 && resp.status != http.StatusOK:
		return 0, apiError(resp.status, resp.errBody.Bytes())
	}
	resp.report(true)
	return int(resp.deliveries()), nil
}

// apiError is the message of an API error answer.
func apiError(status int, body []byte) error {
	var e struct {
		Error struct{ Message string } `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return errors.New(e.Error.Message)
	}
	return fmt.Errorf("the export was refused (%d %s)", status, http.StatusText(status))
}

// exportResponse is the http.ResponseWriter of an export to a file: a 200 body goes to w, any
// other answer is kept to be reported.
type exportResponse struct {
	ctx      context.Context
	w        io.Writer
	header   http.Header
	status   int
	errBody  bytes.Buffer
	written  int64
	err      error // the first write error, or ctx.Err() when canceled
	progress func(exportProgress)
	last     time.Time
}

func (r *exportResponse) Header() http.Header { return r.header }

func (r *exportResponse) WriteHeader(code int) {
	if r.status != 0 {
		return
	}
	r.status = code
	if code == http.StatusOK {
		r.report(true)
	}
}

func (r *exportResponse) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	if r.status != http.StatusOK {
		if r.errBody.Len() < 64<<10 {
			r.errBody.Write(p)
		}
		return len(p), nil
	}
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return 0, err
	}
	n, err := r.w.Write(p)
	r.written += int64(n)
	if err != nil {
		r.err = err
		return n, err
	}
	r.report(false)
	return n, nil
}

func (r *exportResponse) header64(name string) int64 {
	v, _ := strconv.ParseInt(r.header.Get(name), 10, 64)
	return v
}

func (r *exportResponse) deliveries() int64 { return r.header64("X-Hooklens-Deliveries") }

// report calls progress, unless it was called less than progressEvery ago and now is false.
func (r *exportResponse) report(now bool) {
	if r.progress == nil || (!now && time.Since(r.last) < progressEvery) {
		return
	}
	r.last = time.Now()
	r.progress(exportProgress{Bytes: r.written, Deliveries: r.deliveries(), BodyBytes: r.header64("X-Hooklens-Body-Bytes")})
}

// notWritten says in plain words why an export was not written to path.
func notWritten(path string, err error) string {
	var reason string
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		reason = "the disk is full"
	case errors.Is(err, syscall.EROFS):
		reason = "the disk is read-only"
	case errors.Is(err, os.ErrPermission):
		reason = "permission denied: Hooklens may not write in " + filepath.Dir(path)
	case errors.Is(err, os.ErrNotExist):
		reason = "the folder " + filepath.Dir(path) + " does not exist"
	default:
		reason = err.Error()
	}
	return fmt.Sprintf("%s was not written: %s.", path, strings.TrimSuffix(reason, "."))
}

// exportFile writes the export the API serves for query to path (see exportToPath), one export
// or import at a time: errBusy while another runs.
func (d *desktop) exportFile(ctx context.Context, path string, query url.Values, progress func(exportProgress)) (int, error) {
	if !d.transfer.TryLock() {
		return 0, errBusy
	}
	defer d.transfer.Unlock()
	return exportToPath(ctx, d.opts.API, path, query, progress)
}
