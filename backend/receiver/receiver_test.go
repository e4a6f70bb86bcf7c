package receiver_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/receiver"
	"hooklens/backend/sqlite"
)

// harness is a receiver on loopback over a real SQLite file.
type harness struct {
	db  *sqlite.DB
	url string
	srv *receiver.Server
}

func newHarness(tb testing.TB, maxBody int64) *harness {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	h := receiver.NewHandler(db)
	if maxBody > 0 {
		h.MaxBody = maxBody
	}
	srv := &receiver.Server{Handler: h, HeaderTimeout: 2 * time.Second, BodyTimeout: 2 * time.Second}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		srv.Shutdown(context.Background())
		db.Close()
	})
	return &harness{db: db, url: "http://" + srv.Addr().String(), srv: srv}
}

type ack struct {
	ID     string `json:"id"`
	Stored bool   `json:"stored"`
	Error  string `json:"error"`
}

func post(tb testing.TB, req *http.Request) (int, ack) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var a ack
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		tb.Fatalf("%s %s: answer is not JSON: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, a
}

func (h *harness) find(tb testing.TB, id string) *backend.DeliveryView {
	tb.Helper()
	v, err := h.db.FindDeliveryByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("FindDeliveryByID(%s) = %v", id, err)
	}
	return v
}

func TestReceiver_StoresExactly(t *testing.T) {
	h := newHarness(t, 0)
	body := []byte("{\"a\":1,\"bad\":\"\xff\xfe\",\"nul\":\"\x00\"}")
	req, _ := http.NewRequest("POST", h.url+"/livechat/hook%20x?b=2&a=1&a=", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header["X-Forwarded-For"] = []string{"203.0.113.7"}
	req.Header["CF-Connecting-IP"] = []string{"198.51.100.1"}
	status, a := post(t, req)
	if status != 200 || !a.Stored || a.ID == "" {
		t.Fatalf("POST = %d %+v; want 200 stored with id", status, a)
	}
	v := h.find(t, a.ID)
	if !bytes.Equal(v.Body, body) || v.Size != int64(len(body)) {
		t.Errorf("Body = %q (size %d); want %q", v.Body, v.Size, body)
	}
	if v.Path != "/livechat/hook%20x" || v.Query != "b=2&a=1&a=" || v.Method != "POST" {
		t.Errorf("request line = %s %s ? %s", v.Method, v.Path, v.Query)
	}
	if v.ForwardedFor != "203.0.113.7" || v.ConnectingIP != "198.51.100.1" || v.ContentType != "application/json" {
		t.Errorf("forwarding = %q %q %q", v.ForwardedFor, v.ConnectingIP, v.ContentType)
	}
	if !strings.HasPrefix(v.RemoteAddr, "127.0.0.1:") || v.ReceivedAt.Nanosecond()%1000 != 0 {
		t.Errorf("remote %q, received %v", v.RemoteAddr, v.ReceivedAt)
	}
}

// TestReceiver_HeaderOrder sends a raw request whose headers net/http would reorder.
func TestReceiver_HeaderOrder(t *testing.T) {
	h := newHarness(t, 0)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	send := func(raw string) ack {
		if _, err := io.WriteString(conn, raw); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var a ack
		json.NewDecoder(resp.Body).Decode(&a)
		return a
	}
	// Two requests on one keep-alive connection, the first chunked, the second with a length.
	a1 := send("POST /one HTTP/1.1\r\nHost: x\r\nzeta: 1\r\nAlpha: 2\r\nzeta: 3\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer-A: t\r\n\r\n")
	a2 := send("PUT /two HTTP/1.1\r\nHost: x\r\nB: 1\r\nA: 2\r\nContent-Length: 3\r\n\r\nabc")
	want1 := "[{Host x} {zeta 1} {Alpha 2} {zeta 3} {Transfer-Encoding chunked}]"
	if v := h.find(t, a1.ID); fmt.Sprint(v.Headers) != want1 || string(v.Body) != "hello world" {
		t.Errorf("chunked: headers %v body %q; want %s \"hello world\"", v.Headers, v.Body, want1)
	}
	want2 := "[{Host x} {B 1} {A 2} {Content-Length 3}]"
	if v := h.find(t, a2.ID); fmt.Sprint(v.Headers) != want2 || string(v.Body) != "abc" {
		t.Errorf("second: headers %v body %q; want %s \"abc\"", v.Headers, v.Body, want2)
	}
}

func TestReceiver_ErrBodyTooLarge(t *testing.T) {
	h := newHarness(t, 1024)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprint("chunked=", chunked), func(t *testing.T) {
			var r io.Reader = bytes.NewReader(make([]byte, 4096))
			if chunked {
				r = io.MultiReader(r) // hides the length: sent chunked
			}
			req, _ := http.NewRequest("POST", h.url+"/big", r)
			status, a := post(t, req)
			if status != http.StatusRequestEntityTooLarge || a.Stored {
				t.Fatalf("POST 4 KiB = %d %+v; want 413 not stored", status, a)
			}
			v := h.find(t, a.ID)
			if v.Refused != receiver.RefusedTooLarge || len(v.Body) != 0 || v.Status != 413 || v.Size < 1024 {
				t.Errorf("refusal record = refused %q body %d status %d size %d", v.Refused, len(v.Body), v.Status, v.Size)
			}
		})
	}
}

func TestReceiver_GzipKeptRaw(t *testing.T) {
	h := newHarness(t, 0)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"eventId":"x"}`))
	zw.Close()
	req, _ := http.NewRequest("POST", h.url+"/iadvize", bytes.NewReader(buf.Bytes()))
	req.Header.Set("Content-Encoding", "gzip")
	_, a := post(t, req)
	if v := h.find(t, a.ID); !bytes.Equal(v.Body, buf.Bytes()) {
		t.Errorf("gzip body stored as %q; want the raw compressed bytes", v.Body)
	}
}

// TestReceiver_NeverServesAPI: the receiver captures /api/... like any path.
func TestReceiver_NeverServesAPI(t *testing.T) {
	h := newHarness(t, 0)
	for _, path := range []string{"/api/v1/health", "/api/v1/deliveries", "/", "/index.html", "/api/v1/stream"} {
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		var a ack
		json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if resp.StatusCode != 200 || !a.Stored || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s = %d %+v; want a capture acknowledgement", path, resp.StatusCode, a)
		}
		if v := h.find(t, a.ID); v.Path != path || v.Method != "GET" {
			t.Errorf("GET %s stored as %s %s", path, v.Method, v.Path)
		}
	}
}

// TestReceiver_503WhenStoreCannotCommit: nothing is acknowledged that was not stored.
func TestReceiver_503WhenStoreCannotCommit(t *testing.T) {
	h := newHarness(t, 0)
	h.db.Close()
	req, _ := http.NewRequest("POST", h.url+"/x", strings.NewReader("{}"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("POST with a closed store = %d; want 503 with Retry-After", resp.StatusCode)
	}
}

// TestReceiver_ConcurrentAcks posts 2,000 deliveries from 64 clients: every 200 is stored.
func TestReceiver_ConcurrentAcks(t *testing.T) {
	h := newHarness(t, 0)
	const total, workers = 2000, 64
	var acked sync.Map
	var n, failed atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := n.Add(1)
				if i > total {
					return
				}
				body := fmt.Sprintf(`{"n":%d}`, i)
				resp, err := client.Post(h.url+"/load", "application/json", strings.NewReader(body))
				if err != nil {
					failed.Add(1)
					continue
				}
				var a ack
				json.NewDecoder(resp.Body).Decode(&a)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					acked.Store(a.ID, body)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	count := 0
	acked.Range(func(id, body any) bool {
		count++
		if v := h.find(t, id.(string)); string(v.Body) != body.(string) {
			t.Errorf("delivery %s body = %q; want %q", id, v.Body, body)
		}
		return true
	})
	stored, _ := h.db.CountDeliveries(context.Background())
	t.Logf("acknowledged %d, stored %d, failed %d", count, stored, failed.Load())
	if count != total || stored != total {
		t.Errorf("acknowledged %d, stored %d; want %d each", count, stored, total)
	}
}

// TestReceiver_SlowClient: a client that never finishes its head is cut off by the header timeout.
func TestReceiver_SlowClient(t *testing.T) {
	h := newHarness(t, 0)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /slow HTTP/1.1\r\nHost: x\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	_, err = conn.Read(make([]byte, 1))
	if err == nil || time.Since(start) > 8*time.Second {
		t.Errorf("slow client was not cut off: err %v after %v", err, time.Since(start))
	}
}

// TestReceiver_SlowBody: a client that sends its head but dribbles its body is cut off by the body
// timeout, and nothing is acknowledged for it.
func TestReceiver_SlowBody(t *testing.T) {
	h := newHarness(t, 0) // header and body timeouts of 2 s each
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
	start := time.Now()
	var werr error
	for i := 0; i < 40 && werr == nil; i++ { // one byte every 250 ms: 10 s at most
		_, werr = conn.Write([]byte("a"))
		time.Sleep(250 * time.Millisecond)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	n, _ := conn.Read(buf)
	if time.Since(start) > 9*time.Second && werr == nil && n == 0 {
		t.Fatalf("slow body was not cut off after %v", time.Since(start))
	}
	if strings.Contains(string(buf[:n]), `"stored":true`) {
		t.Errorf("slow body was acknowledged as stored: %s", buf[:n])
	}
}
