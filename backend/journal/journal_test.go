package journal_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/journal"
)

func sample(i int) *backend.Delivery {
	return &backend.Delivery{
		ID: "0190c0de-0000-7000-8000-00000000000" + string(rune('0'+i%10)), ReceivedAt: time.UnixMicro(1700000000123456 + int64(i)).UTC(),
		Method: "POST", Path: "/livechat/webhook", Query: "a=1&b=é",
		Headers:     backend.Headers{{Name: "Host", Value: "x"}, {Name: "X-Dup", Value: "1"}, {Name: "X-Dup", Value: ""}},
		Body:        bytes.Repeat([]byte{0, 0xff, '{', byte(i)}, 100),
		Size:        400,
		ContentType: "application/json", RemoteAddr: "127.0.0.1:5000", ForwardedFor: "1.2.3.4",
		ForwardedProto: "https", ForwardedHost: "t.example", ConnectingIP: "5.6.7.8",
		Status: 200, Source: backend.SourceReceiver, Hidden: i%2 == 1,
	}
}

func TestRecord_RoundTrip(t *testing.T) {
	refused := sample(3)
	refused.Body, refused.Refused, refused.Status = nil, "body_too_large", 413
	empty := sample(4)
	empty.Body, empty.Headers = []byte{}, nil
	for _, d := range []*backend.Delivery{sample(1), sample(2), refused, empty} {
		got, err := journal.ParseDelivery(journal.AppendDelivery(nil, d))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, d)
		}
	}
	rec := journal.AppendDelivery(nil, sample(1))
	for _, cut := range []int{0, 1, 10, len(rec) - 1} {
		if _, err := journal.ParseDelivery(rec[:cut]); err == nil {
			t.Errorf("a record cut at %d parsed", cut)
		}
	}
	if _, err := journal.ParseDelivery(append(rec, 0)); err == nil {
		t.Error("a record with a trailing byte parsed")
	}
}

func sealed(d *backend.Delivery) []byte {
	return journal.Seal(journal.AppendDelivery(journal.Frame(nil), d))
}

func appendAll(t *testing.T, j *journal.File, n int) []int64 {
	t.Helper()
	var ends []int64
	for i := range n {
		j.Lock()
		end, err := j.AppendLocked(sealed(sample(i)))
		j.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		ends = append(ends, end)
	}
	return ends
}

func scanAll(t *testing.T, j *journal.File, from int64) ([]*backend.Delivery, int64) {
	t.Helper()
	var ds []*backend.Delivery
	j.Lock()
	defer j.Unlock()
	valid, err := j.Scan(from, func(rec []byte, end int64) error {
		d, err := journal.ParseDelivery(rec)
		ds = append(ds, d)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ds, valid
}

// TestFile_ReopenScan: records survive closing and reopening; a scan from an offset sees the
// ones after it; a torn tail is found, dropped, and the next append goes where it started.
func TestFile_ReopenScan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, err := journal.Open(path, 6)
	if err != nil {
		t.Fatal(err)
	}
	if j.Gen() != 7 || j.Size() != journal.HeaderSize {
		t.Fatalf("new journal: gen %d size %d; want 7 %d", j.Gen(), j.Size(), journal.HeaderSize)
	}
	ends := appendAll(t, j, 5)
	j.Close()

	j, err = journal.Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if j.Gen() != 7 || j.Size() != ends[4] {
		t.Fatalf("reopened: gen %d size %d; want 7 %d", j.Gen(), j.Size(), ends[4])
	}
	ds, valid := scanAll(t, j, ends[1])
	if len(ds) != 3 || valid != ends[4] || ds[0].ID != sample(2).ID {
		t.Fatalf("scan from the second end: %d records to %d", len(ds), valid)
	}
	j.Close()

	// A write cut short: half of a sixth record, then a damaged one.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	rec := journal.AppendDelivery(nil, sample(5))
	f.Write([]byte{byte(len(rec)), byte(len(rec) >> 8), 0, 0, 1, 2, 3, 4})
	f.Write(rec[:len(rec)/2])
	f.Close()
	j, err = journal.Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	ds, valid = scanAll(t, j, journal.HeaderSize)
	if len(ds) != 5 || valid != ends[4] {
		t.Fatalf("scan with a torn tail: %d records to %d; want 5 to %d", len(ds), valid, ends[4])
	}
	j.Lock()
	if err := j.TruncateLocked(valid); err != nil {
		t.Fatal(err)
	}
	end, err := j.AppendLocked(sealed(sample(5)))
	j.Unlock()
	if err != nil || end != ends[4]+(ends[4]-ends[3]) {
		t.Fatalf("append after the torn tail ends at %d (%v)", end, err)
	}
	if ds, _ := scanAll(t, j, journal.HeaderSize); len(ds) != 6 {
		t.Fatalf("after repair: %d records; want 6", len(ds))
	}

	// A damaged checksum in the middle stops the scan there: nothing after it is trusted.
	j.Close()
	raw, _ := os.ReadFile(path)
	raw[ends[2]+4] ^= 0xff
	os.WriteFile(path, raw, 0o600)
	j, _ = journal.Open(path, 0)
	if ds, valid := scanAll(t, j, journal.HeaderSize); len(ds) != 3 || valid != ends[2] {
		t.Fatalf("damaged fourth record: %d records to %d; want 3 to %d", len(ds), valid, ends[2])
	}

	j.Lock()
	if err := j.ResetLocked(); err != nil {
		t.Fatal(err)
	}
	j.Unlock()
	if j.Gen() != 8 || j.Size() != journal.HeaderSize {
		t.Fatalf("after reset: gen %d size %d", j.Gen(), j.Size())
	}
	j.Close()
	if st, _ := os.Stat(path); st.Size() != journal.HeaderSize || st.Mode().Perm() != 0o600 {
		t.Fatalf("reset file: %d bytes, mode %v", st.Size(), st.Mode())
	}
}

// TestFile_NotAJournal: another file at the path is refused, not overwritten.
func TestFile_NotAJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	os.WriteFile(path, []byte("SQLite format 3\x00 and more"), 0o600)
	if _, err := journal.Open(path, 0); err == nil {
		t.Fatal("opened a file that is not a journal")
	}
	if raw, _ := os.ReadFile(path); string(raw[:6]) != "SQLite" {
		t.Fatal("the file was changed")
	}
}

func FuzzParseDelivery(f *testing.F) {
	f.Add(journal.AppendDelivery(nil, sample(1)))
	f.Add([]byte{1, 200, 200, 200})
	f.Fuzz(func(t *testing.T, rec []byte) {
		d, err := journal.ParseDelivery(rec)
		if err != nil {
			return
		}
		if again := journal.AppendDelivery(nil, d); !bytes.Equal(again, rec) {
			// Varints have one shortest form; a parsed record re-encodes to itself or to its
			// shortest form, which parses to the same delivery.
			d2, err := journal.ParseDelivery(again)
			if err != nil || !reflect.DeepEqual(d, d2) {
				t.Fatalf("re-encoded record differs: %v", err)
			}
		}
	})
}
