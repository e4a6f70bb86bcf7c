package api_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestTests_RunVerdictsAndJUnit(t *testing.T) {
	h := newFixtureHarness(t)
	var n atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		n.Add(1)
		if strings.Contains(string(b), `"fail"`) {
			http.Error(w, "no", 500)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer target.Close()
	ok := h.add(t, "/livechat/x", `{"a":"pass"}`)
	bad := h.add(t, "/livechat/x", `{"a":"fail"}`)
	resp, body := h.do(t, "POST", "/api/v1/tests", `{"to":"`+target.URL+`"}`)
	if resp.StatusCode != 400 {
		t.Errorf("POST tests without a selection = %d %s; want 400", resp.StatusCode, body)
	}
	resp, body = h.do(t, "POST", "/api/v1/tests", `{"ids":["`+ok+`"],"to":"`+target.URL+`","expect":"default:\n  statuz: 200\n"}`)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "line 2, column 3: unknown key") {
		t.Errorf("POST tests with a bad expectation = %d %s; want 400 with the line", resp.StatusCode, body)
	}
	resp, body = h.do(t, "POST", "/api/v1/tests", `{"ids":["`+ok+`","`+bad+`"],"to":"`+target.URL+`","retries":true,"speed":1000,
		"expect":"default:\n  body:\n    - {path: ok, equals: true}\n"}`)
	var run struct {
		ID            string
		Done          bool
		Total, Passed int
		Failed        int
		Results       []struct {
			DeliveryID string `json:"delivery_id"`
			Passed     bool
			Failures   []string
			Attempts   []struct {
				Kind   string
				Answer struct{ Status int }
			}
		}
	}
	json.Unmarshal(body, &run)
	if resp.StatusCode != 202 || run.ID == "" || run.Total != 2 {
		t.Fatalf("POST tests = %d %s", resp.StatusCode, body)
	}
	for end := time.Now().Add(10 * time.Second); !run.Done && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		_, body = h.do(t, "GET", "/api/v1/tests/"+run.ID, "")
		json.Unmarshal(body, &run)
	}
	if !run.Done || run.Passed != 1 || run.Failed != 1 || len(run.Results) != 2 {
		t.Fatalf("GET test run = %s", body)
	}
	for _, r := range run.Results {
		if len(r.Attempts) != 4 { // the first and LiveChat's three retries
			t.Errorf("%s: %d attempts, want 4", r.DeliveryID, len(r.Attempts))
		}
		if r.DeliveryID == bad && (r.Passed || !strings.Contains(strings.Join(r.Failures, "|"), "status 500, want 2xx")) {
			t.Errorf("the failing delivery: %+v", r)
		}
	}
	resp, body = h.do(t, "GET", "/api/v1/tests/"+run.ID+"/junit", "")
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if resp.StatusCode != 200 || xml.Unmarshal(body, &junit) != nil || junit.Tests != 2 || junit.Failures != 1 ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), run.ID) {
		t.Errorf("GET junit = %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.do(t, "GET", "/api/v1/tests/test-nope", ""); resp.StatusCode != 404 {
		t.Errorf("GET unknown run = %d", resp.StatusCode)
	}
	if resp, _ := h.do(t, "DELETE", "/api/v1/tests/"+run.ID, ""); resp.StatusCode != 404 {
		t.Errorf("DELETE a finished run = %d, want 404", resp.StatusCode)
	}
}
