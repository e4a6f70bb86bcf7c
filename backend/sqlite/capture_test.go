package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"hooklens/backend"
	"hooklens/backend/journal"
)

func sealed(d *backend.Delivery) []byte {
	return journal.Seal(journal.AppendDelivery(journal.Frame(nil), d))
}

func capture(i int) *backend.Delivery {
	body := []byte(fmt.Sprintf(`{"n":%d,"bin":"\u0000"}`, i))
	return &backend.Delivery{Method: "POST", Path: "/livechat", Headers: backend.Headers{{Name: "Host", Value: "x"}},
		Body: body, Size: int64(len(body)), Status: 200}
}

// TestCapture_ReadsSeeAcknowledged: 32 clients capture concurrently; reads made right after
// (no waiting, no Close) see every acknowledged capture, byte for byte.
func TestCapture_ReadsSeeAcknowledged(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make([][]string, 32)
	for c := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				d := capture(c*1000 + i)
				if err := db.Capture(ctx, d); err != nil {
					t.Error(err)
					return
				}
				ids[c] = append(ids[c], d.ID)
			}
		}()
	}
	wg.Wait()
	if n, err := db.CountDeliveries(ctx); err != nil || n != 3200 {
		t.Fatalf("count right after = %d, %v; want 3200", n, err)
	}
	d := capture(31*1000 + 99)
	db.Capture(ctx, d)
	got, err := db.FindDeliveryByID(ctx, d.ID)
	if err != nil || !bytes.Equal(got.Body, d.Body) || got.Headers[0].Value != "x" {
		t.Fatalf("read right after a capture: %v %+v", err, got)
	}
	if got, _ := db.FindDeliveryByID(ctx, ids[7][42]); got == nil || !bytes.Equal(got.Body, capture(7042).Body) {
		t.Fatalf("capture 7/42 not stored as sent")
	}
}

// TestCapture_Recovery: records the process journaled but did not move before it died are stored
// at the next Open, byte for byte and once; a torn tail is dropped; the journal is emptied.
func TestCapture_Recovery(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooklens.db")
	db := newDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first := capture(0)
	if err := db.Capture(ctx, first); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// What a killed process leaves: records after the stored position, one already stored
	// (as if the position had been lost), and half a record.
	j, err := journal.Open(path+"-captures", 0)
	if err != nil {
		t.Fatal(err)
	}
	var lost []*backend.Delivery
	j.Lock()
	for i := 1; i <= 3; i++ {
		d := capture(i)
		d.ID = fmt.Sprintf("0190c0de-0000-7000-8000-00000000000%d", i)
		d.Source = backend.SourceReceiver
		lost = append(lost, d)
		if _, err := j.AppendLocked(sealed(d)); err != nil {
			t.Fatal(err)
		}
	}
	first.Source = backend.SourceReceiver
	j.AppendLocked(sealed(first))
	j.Unlock()
	size := j.Size()
	j.Close()
	f, _ := os.OpenFile(path+"-captures", os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte{200, 0, 0, 0, 1, 2, 3, 4, '{'})
	f.Close()
	if st, _ := os.Stat(path + "-captures"); st.Size() != size+9 {
		t.Fatalf("journal size %d", st.Size())
	}

	db = newDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, _ := db.CountDeliveries(ctx); n != 4 {
		t.Fatalf("deliveries after recovery = %d; want 4", n)
	}
	for _, d := range lost {
		got, err := db.FindDeliveryByID(ctx, d.ID)
		if err != nil || !bytes.Equal(got.Body, d.Body) || got.Path != d.Path {
			t.Fatalf("recovered %s: %v", d.ID, err)
		}
	}
	if st, _ := os.Stat(path + "-captures"); st.Size() != journal.HeaderSize {
		t.Fatalf("journal after recovery: %d bytes; want it emptied", st.Size())
	}
	// Captures after the recovery go on normally.
	if err := db.Capture(ctx, capture(9)); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountDeliveries(ctx); n != 5 {
		t.Fatalf("deliveries after one more capture = %d; want 5", n)
	}
}
