package export_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/export"
)

// validateHAR checks the fields HAR 1.2 requires, with their types.
func validateHAR(doc map[string]any) []string {
	var errs []string
	need := func(obj map[string]any, where string, fields ...string) {
		for _, f := range fields {
			name, kind, _ := strings.Cut(f, ":")
			v, ok := obj[name]
			if !ok {
				errs = append(errs, where+"."+name+" is missing")
				continue
			}
			var good bool
			switch kind {
			case "s":
				_, good = v.(string)
			case "n":
				_, good = v.(float64)
			case "o":
				_, good = v.(map[string]any)
			case "a":
				_, good = v.([]any)
			}
			if !good {
				errs = append(errs, fmt.Sprintf("%s.%s = %v is not of type %s", where, name, v, kind))
			}
		}
	}
	nvList := func(list any, where string) {
		items, _ := list.([]any)
		for i, it := range items {
			o, _ := it.(map[string]any)
			need(o, fmt.Sprintf("%s[%d]", where, i), "name:s", "value:s")
		}
	}
	log, _ := doc["log"].(map[string]any)
	need(doc, "", "log:o")
	need(log, "log", "version:s", "creator:o", "entries:a")
	if log["version"] != "1.2" {
		errs = append(errs, "log.version is not 1.2")
	}
	creator, _ := log["creator"].(map[string]any)
	need(creator, "log.creator", "name:s", "version:s")
	entries, _ := log["entries"].([]any)
	for i, e := range entries {
		w := fmt.Sprintf("entries[%d]", i)
		entry, _ := e.(map[string]any)
		need(entry, w, "startedDateTime:s", "time:n", "request:o", "response:o", "cache:o", "timings:o")
		if _, err := time.Parse(time.RFC3339Nano, fmt.Sprint(entry["startedDateTime"])); err != nil {
			errs = append(errs, w+".startedDateTime is not ISO 8601")
		}
		req, _ := entry["request"].(map[string]any)
		need(req, w+".request", "method:s", "url:s", "httpVersion:s", "cookies:a", "headers:a", "queryString:a", "headersSize:n", "bodySize:n")
		nvList(req["headers"], w+".request.headers")
		nvList(req["queryString"], w+".request.queryString")
		nvList(req["cookies"], w+".request.cookies")
		if pd, ok := req["postData"].(map[string]any); ok {
			need(pd, w+".request.postData", "mimeType:s", "text:s")
		}
		resp, _ := entry["response"].(map[string]any)
		need(resp, w+".response", "status:n", "statusText:s", "httpVersion:s", "cookies:a", "headers:a", "content:o", "redirectURL:s", "headersSize:n", "bodySize:n")
		content, _ := resp["content"].(map[string]any)
		need(content, w+".response.content", "size:n", "mimeType:s")
		timings, _ := entry["timings"].(map[string]any)
		need(timings, w+".timings", "send:n", "wait:n", "receive:n")
		sum := 0.0
		for _, k := range []string{"blocked", "dns", "connect", "send", "wait", "receive"} {
			if v, ok := timings[k].(float64); ok && v >= 0 {
				sum += v
			} else if ok && v < 0 && (k == "send" || k == "wait" || k == "receive") {
				errs = append(errs, w+".timings."+k+" is negative")
			}
		}
		if entry["time"] != sum {
			errs = append(errs, fmt.Sprintf("%s.time = %v; want the sum of timings %v", w, entry["time"], sum))
		}
	}
	return errs
}

func TestHAR_Valid(t *testing.T) {
	db := MustOpenDB(t)
	seeded := seed(t, db)
	path := exportTo(t, db, export.FormatHAR, t.TempDir(), "x.har", export.Options{})
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	for _, e := range validateHAR(doc) {
		t.Error(e)
	}
	entries := doc["log"].(map[string]any)["entries"].([]any)
	if len(entries) != len(seeded) {
		t.Fatalf("%d entries; want %d", len(entries), len(seeded))
	}
	bin := entries[2].(map[string]any)["request"].(map[string]any)["postData"].(map[string]any)
	if got, _ := base64.StdEncoding.DecodeString(bin["text"].(string)); bin["encoding"] != "base64" || !bytes.Equal(got, seeded[2].Body) {
		t.Errorf("binary postData = %v; want the body in base64", bin)
	}
	get := entries[6].(map[string]any)["request"].(map[string]any)
	if get["url"] != "http://x/closer/ping?token=t0k3n&b=2&a=1&a=%20" || len(get["queryString"].([]any)) != 4 {
		t.Errorf("GET request = %v", get)
	}
}

// TestHAR_ImportForeign imports a HAR written by another tool: no _hooklens fields.
func TestHAR_ImportForeign(t *testing.T) {
	har := `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[
	{"startedDateTime":"2026-01-02T03:04:05.678Z","time":12,"request":{"method":"POST","url":"https://hooks.example.com/iadvize/x?a=1",
	"httpVersion":"h2","cookies":[],"headers":[{"name":":authority","value":"hooks.example.com"},{"name":"content-type","value":"application/json"}],
	"queryString":[{"name":"a","value":"1"}],"postData":{"mimeType":"application/json","text":"{\"eventId\":\"e\",\"eventType\":\"user.connected\"}"},
	"headersSize":-1,"bodySize":45},"response":{"status":200,"statusText":"","httpVersion":"h2","cookies":[],"headers":[],
	"content":{"size":0,"mimeType":"x-unknown"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":1,"wait":10,"receive":1}}]}}`
	db := MustOpenDB(t)
	res, err := export.ImportReader(context.Background(), db, strings.NewReader(har), "", "devtools.har")
	if err != nil || res.Imported != 1 || res.Format != export.FormatHAR {
		t.Fatalf("ImportReader = %+v, %v; want 1 imported from a HAR", res, err)
	}
	views, _, err := db.FindDeliveries(context.Background(), backend.DeliveryFilter{})
	if err != nil || len(views) != 1 {
		t.Fatalf("FindDeliveries = %d, %v", len(views), err)
	}
	d, _ := db.FindDeliveryByID(context.Background(), views[0].ID)
	if d.Path != "/iadvize/x" || d.Query != "a=1" || d.Method != "POST" || d.ContentType != "application/json" ||
		string(d.Body) != `{"eventId":"e","eventType":"user.connected"}` || len(d.Headers) != 1 || d.Source != backend.SourceImport ||
		!d.ReceivedAt.Equal(time.Date(2026, 1, 2, 3, 4, 5, 678000000, time.UTC)) {
		t.Errorf("imported = %+v", d.Delivery)
	}
}
