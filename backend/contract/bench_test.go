package contract_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"hooklens/backend/contract"
	"hooklens/backend/decode/all"
	"hooklens/backend/replay"
)

// many returns n deliveries: the simulated conversations of every vendor, again and again.
func many(b *testing.B, n int) []contract.Input {
	var base []contract.Input
	for _, v := range []string{"livechat", "iadvize", "closer"} {
		base = append(base, inputs(b, v)...)
	}
	out := make([]contract.Input, 0, n)
	for i := 0; len(out) < n; i++ {
		x := base[i%len(base)]
		d := *x.Delivery
		d.ID = fmt.Sprintf("d%06d", i)
		out = append(out, contract.Input{Delivery: &d})
	}
	return out
}

// BenchmarkPlan plans 1000 deliveries with a --set, a --map and signing for every vendor.
func BenchmarkPlan(b *testing.B) {
	reg := all.Registry()
	in := many(b, 1000)
	opts := contract.Options{To: "http://127.0.0.1:1", Sets: []string{"payload.chat.id=TEST-1"},
		IDMap: map[string]string{"abc": "def"}, Secrets: map[string]string{"livechat": "s", "iadvize": "s", "closer": "s"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := contract.NewPlan(reg, in, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/delivery")
}

// BenchmarkRun sends 200 deliveries to a handler on loopback, one at a time and four at once.
func BenchmarkRun(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	reg := all.Registry()
	in := many(b, 200)
	for _, c := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", c), func(b *testing.B) {
			for b.Loop() {
				p, err := contract.NewPlan(reg, in, contract.Options{To: srv.URL, Concurrency: c})
				if err != nil {
					b.Fatal(err)
				}
				if rep := (&contract.Runner{Sender: &replay.Sender{}}).Run(context.Background(), p, nil); rep.Failed > 0 {
					b.Fatalf("%d failed", rep.Failed)
				}
			}
			b.ReportMetric(float64(b.N*len(in))/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}
