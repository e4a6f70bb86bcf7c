// Package loadgen posts webhook deliveries over keep-alive connections and times the answers.
package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one timed run at one concurrency against one server measured.
type Result struct {
	Requests  int           // answers received
	OK        int           // 2xx answers
	Errors    int           // connection or protocol errors
	Statuses  map[int]int   // answers by status
	Elapsed   time.Duration // from start to the last answer
	Latencies []time.Duration
}

// RPS returns answers per second.
func (r *Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Run posts the request of tmpl over conns keep-alive connections to addr for d, each
// connection waiting for its answer before sending again (as a vendor's sender does). It never
// runs longer than d plus the time to answer the requests in flight (bounded by a 30 s deadline).
func Run(ctx context.Context, addr string, tmpl *Template, conns int, d time.Duration) *Result {
	var wg sync.WaitGroup
	parts := make([]*Result, conns)
	ready := make(chan struct{})
	var start time.Time
	for i := range conns {
		parts[i] = &Result{Statuses: map[int]int{}, Latencies: make([]time.Duration, 0, 4096)}
		wg.Add(1)
		go func(r *Result) {
			defer wg.Done()
			worker(ctx, addr, tmpl, r, ready, &start, d)
		}(parts[i])
	}
	time.Sleep(50 * time.Millisecond) // let every worker connect before the clock starts
	start = time.Now()
	close(ready)
	wg.Wait()
	total := &Result{Statuses: map[int]int{}, Elapsed: time.Since(start)}
	for _, p := range parts {
		total.Requests += p.Requests
		total.OK += p.OK
		total.Errors += p.Errors
		for s, n := range p.Statuses {
			total.Statuses[s] += n
		}
		total.Latencies = append(total.Latencies, p.Latencies...)
	}
	return total
}

// counter numbers requests so every body is a distinct event (no dedupe of identical bodies).
var counter atomic.Int64

func worker(ctx context.Context, addr string, tmpl *Template, r *Result, ready chan struct{}, start *time.Time, d time.Duration) {
	req := tmpl.clone()
	var conn net.Conn
	var br *bufio.Reader
	dial := func() error {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return err
		}
		conn, br = c, bufio.NewReaderSize(c, 8192)
		return nil
	}
	if err := dial(); err != nil {
		<-ready
		r.Errors++
		return
	}
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	<-ready
	deadline := start.Add(d)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if conn == nil {
			if err := dial(); err != nil {
				r.Errors++
				time.Sleep(10 * time.Millisecond)
				continue
			}
		}
		req.Number(counter.Add(1))
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		t0 := time.Now()
		status, keep, err := roundTrip(conn, br, req.buf)
		lat := time.Since(t0)
		if err != nil {
			r.Errors++
			conn.Close()
			conn = nil
			continue
		}
		r.Requests++
		r.Statuses[status]++
		if status >= 200 && status < 300 {
			r.OK++
		}
		r.Latencies = append(r.Latencies, lat)
		if !keep {
			conn.Close()
			conn = nil
		}
	}
}

// roundTrip writes req and reads one HTTP/1.1 response; keep is false when the server closes.
func roundTrip(conn net.Conn, br *bufio.Reader, req []byte) (status int, keep bool, err error) {
	if _, err := conn.Write(req); err != nil {
		return 0, false, err
	}
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, chunked, keep := int64(-1), false, true
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			length, _ = strconv.ParseInt(string(value), 10, 64)
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.Contains(bytes.ToLower(value), []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		err = skipChunked(br)
	case length >= 0:
		_, err = br.Discard(int(length))
	default:
		_, err = io.Copy(io.Discard, br)
		keep = false
	}
	return status, keep, err
}

func skipChunked(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		hex, _, _ := bytes.Cut(bytes.TrimSpace(line), []byte(";"))
		n, err := strconv.ParseInt(string(hex), 16, 64)
		if err != nil {
			return errors.New("bad chunk size")
		}
		if n == 0 {
			for { // trailers up to the blank line
				line, err = br.ReadSlice('\n')
				if err != nil || len(bytes.TrimSpace(line)) == 0 {
					return err
				}
			}
		}
		if _, err := br.Discard(int(n) + 2); err != nil {
			return err
		}
	}
}

// Paced posts rate requests per second for d (open loop: requests are due on a clock, whatever
// the answers take) over a pool of keep-alive connections; it returns what was sent and answered.
func Paced(ctx context.Context, addr string, tmpl *Template, rate int, d time.Duration, conns int) *Result {
	due := make(chan struct{}, rate*int(d/time.Second+1))
	parts := make([]*Result, conns)
	var wg sync.WaitGroup
	for i := range parts {
		parts[i] = &Result{Statuses: map[int]int{}}
		wg.Add(1)
		go func(r *Result) {
			defer wg.Done()
			pacedWorker(ctx, addr, tmpl.clone(), r, due)
		}(parts[i])
	}
	start := time.Now()
	sent := 0
	tick := time.NewTicker(10 * time.Millisecond)
	for now := range tick.C {
		if ctx.Err() != nil || now.Sub(start) >= d {
			break
		}
		for target := int(float64(rate) * now.Sub(start).Seconds()); sent < target; sent++ {
			due <- struct{}{}
		}
	}
	tick.Stop()
	close(due)
	wg.Wait()
	total := &Result{Statuses: map[int]int{}, Elapsed: time.Since(start)}
	for _, p := range parts {
		total.Requests += p.Requests
		total.OK += p.OK
		total.Errors += p.Errors
		total.Latencies = append(total.Latencies, p.Latencies...)
	}
	return total
}

func pacedWorker(ctx context.Context, addr string, req *Template, r *Result, due <-chan struct{}) {
	var conn net.Conn
	var br *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for range due {
		if ctx.Err() != nil {
			r.Errors++
			continue
		}
		if conn == nil {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				r.Errors++
				continue
			}
			conn, br = c, bufio.NewReaderSize(c, 8192)
		}
		req.Number(counter.Add(1))
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		t0 := time.Now()
		status, keep, err := roundTrip(conn, br, req.buf)
		if err != nil {
			r.Errors++
			conn.Close()
			conn = nil
			continue
		}
		r.Requests++
		r.Latencies = append(r.Latencies, time.Since(t0))
		if status >= 200 && status < 300 {
			r.OK++
		}
		if !keep {
			conn.Close()
			conn = nil
		}
	}
}
