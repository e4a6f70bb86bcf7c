package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
)

// chatRun captures one run of a small chat (start, messages, close) under chat id, and returns
// the ids of its deliveries.
func chatRun(t *testing.T, h *harness, chat string, base time.Time, transfer bool) []string {
	iso := func(d time.Duration) string { return base.Add(d).Format(time.RFC3339Nano) }
	var ids []string
	add := func(d time.Duration, action, payload string) {
		ids = append(ids, h.addAt(t, "/livechat", base.Add(d), lcBody(action, payload)))
	}
	add(time.Second, "incoming_chat", fmt.Sprintf(`{"chat":{"id":%q,"users":[{"id":"cust-1","type":"customer","name":"Jane"},
		{"id":"smith@example.com","type":"agent","name":"Smith"}],"thread":{"id":"T-%s","events":[],"created_at":%q}}}`, chat, chat, iso(0)))
	add(11*time.Second, "incoming_event", fmt.Sprintf(`{"chat_id":%q,"thread_id":"T-%s","event":{"id":"E-%s-1","type":"message",
		"text":"Hello","author_id":"smith@example.com","created_at":%q}}`, chat, chat, chat, iso(10*time.Second)))
	if transfer {
		add(21*time.Second, "chat_transferred", fmt.Sprintf(`{"chat_id":%q,"thread_id":"T-%s","requester_id":"smith@example.com",
			"reason":"manual","transferred_to":{"agent_ids":["jones@example.com"]}}`, chat, chat))
	}
	add(31*time.Second, "chat_deactivated", fmt.Sprintf(`{"chat_id":%q,"thread_id":"T-%s","user_id":"smith@example.com"}`, chat, chat))
	return ids
}

func TestDiffAPI(t *testing.T) {
	h := newTimelineHarness(t)
	day1 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	a := chatRun(t, h, "CHAT1", day1, true)
	b := chatRun(t, h, "CHAT2", day1.AddDate(0, 0, 1), false)
	h.decoded(t)

	var dd struct {
		Verdict      string           `json:"verdict"`
		Fields       []map[string]any `json:"fields"`
		HiddenFields int              `json:"hidden_fields"`
	}
	if st := h.getJSON(t, "/api/v1/diff?a="+a[1]+"&b="+b[1]+"&ignore_volatile=1", &dd); st != 200 {
		t.Fatalf("GET /diff = %d %+v", st, dd)
	}
	if len(dd.Fields) != 0 || dd.HiddenFields == 0 || !strings.HasPrefix(dd.Verdict, "same body apart from") {
		t.Errorf("diff of the same message on two days = %+v; want only volatile changes", dd)
	}
	if st := h.getJSON(t, "/api/v1/diff?a="+a[1]+"&b="+b[1], &dd); st != 200 || len(dd.Fields) == 0 || dd.Fields[0]["volatile"] != true {
		t.Errorf("diff without ignore_volatile = %d %+v; want the volatile fields shown, marked", st, dd)
	}
	for _, tt := range []struct{ path, status, msg string }{
		{"/api/v1/diff?a=" + a[0], "400", "b is required"},
		{"/api/v1/diff?a=" + a[0] + "&b=nope", "404", "b: no delivery nope"},
		{"/api/v1/diff/conversations?a=CHAT1&b=livechat/CHAT2", "400", "not VENDOR/ID"},
		{"/api/v1/diff/conversations?a=livechat/CHAT1&b=livechat/NOPE", "404", ""},
	} {
		resp, body := h.do(t, "GET", tt.path, "")
		if fmt.Sprint(resp.StatusCode) != tt.status || !strings.Contains(string(body), tt.msg) {
			t.Errorf("GET %s = %d %s; want %s with %q", tt.path, resp.StatusCode, body, tt.status, tt.msg)
		}
	}

	var cd struct {
		Steps []struct {
			Kind string            `json:"kind"`
			A    map[string]string `json:"a"`
		} `json:"steps"`
		Missing int    `json:"missing"`
		Verdict string `json:"verdict"`
	}
	if st := h.getJSON(t, "/api/v1/diff/conversations?a=livechat/CHAT1&b=livechat/CHAT2", &cd); st != 200 {
		t.Fatalf("GET /diff/conversations = %d", st)
	}
	var kinds []string
	for _, s := range cd.Steps {
		kinds = append(kinds, s.Kind)
	}
	if strings.Join(kinds, ",") != "same,same,missing,same" || cd.Missing != 1 || cd.Steps[2].A["event_type"] != "chat_transferred" {
		t.Errorf("conversation diff = %v (%s); want the transfer missing from the second run", kinds, cd.Verdict)
	}

	var cc struct {
		Documented bool             `json:"documented"`
		Present    int              `json:"present"`
		Rows       []map[string]any `json:"rows"`
	}
	if st := h.getJSON(t, "/api/v1/deliveries/"+a[1]+"/catalog", &cc); st != 200 || !cc.Documented || cc.Present == 0 {
		t.Fatalf("GET /catalog = %d %+v", st, cc)
	}
}

// TestGapsSearchable: a conversation whose start was never captured, and a LiveChat thread that
// appears without its incoming_chat, are marked on the timeline and found with has:gap.
func TestGapsSearchable(t *testing.T) {
	h := newTimelineHarness(t)
	base := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	iso := func(d time.Duration) string { return base.Add(d).Format(time.RFC3339Nano) }
	full := chatRun(t, h, "FULL", base, false)
	gapped := h.addAt(t, "/livechat", base.Add(2*time.Second), lcBody("incoming_event", fmt.Sprintf(`{"chat_id":"HALF","thread_id":"T1",
		"event":{"id":"E1","type":"message","text":"Hi","author_id":"smith@example.com","created_at":%q}}`, iso(time.Second))))
	h.addAt(t, "/livechat", base.Add(3*time.Second), lcBody("chat_deactivated", `{"chat_id":"HALF","thread_id":"T1","user_id":"smith@example.com"}`))
	thread := h.addAt(t, "/livechat", base.Add(50*time.Second), lcBody("incoming_event", fmt.Sprintf(`{"chat_id":"FULL","thread_id":"T-NEW",
		"event":{"id":"E9","type":"message","text":"Back again","author_id":"cust-1","created_at":%q}}`, iso(49*time.Second))))
	h.decoded(t)

	var tl timelineBody
	if st := h.getJSON(t, "/api/v1/conversations/livechat/HALF/timeline", &tl); st != 200 || len(tl.Items) != 2 {
		t.Fatalf("timeline = %d %+v", st, tl)
	}
	if got := codes(tl.Items[0]); got != "missing_start" {
		t.Errorf("first event of HALF: checks %q; want missing_start", got)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if st := h.getJSON(t, "/api/v1/deliveries?q=has:gap", &page); st != 200 {
		t.Fatalf("has:gap = %d", st)
	}
	var ids []string
	for _, it := range page.Items {
		ids = append(ids, it["id"].(string))
	}
	// newest first: the thread gap, the close without start, the missing start
	if len(ids) != 3 || ids[0] != thread || ids[2] != gapped {
		t.Errorf("has:gap = %v; want %s (thread_gap), the close of HALF, %s (missing_start); not %v", ids, thread, gapped, full)
	}
	if resp, body := h.do(t, "GET", "/api/v1/deliveries?q=has:holes", ""); resp.StatusCode != 400 || !strings.Contains(string(body), "has:gap") {
		t.Errorf("has:holes = %d %s; want 400 naming has:gap", resp.StatusCode, body)
	}
}

// TestIdleSearchable: an iAdvize conversation with no close for longer than iAdvize closes
// inactive ones after (7 days) is found with has:gap from the clock, not from stored checks;
// one idle for a shorter time is not.
func TestIdleSearchable(t *testing.T) {
	h := newTimelineHarness(t)
	pushed := func(conv string, ago time.Duration) string {
		at := time.Now().Add(-ago).UTC()
		return h.addAt(t, "/iadvize", at, fmt.Sprintf(`{"eventId":"e-%s","eventType":"v2.conversation.pushed","platform":"ha",
			"projectId":1,"clientId":3,"conversationId":%q,"operatorId":7,"channel":"SMS","createdAt":%q,"sentAt":%q}`,
			conv, conv, at.Format(time.RFC3339Nano), at.Format(time.RFC3339Nano)))
	}
	old := pushed("c-old", 8*24*time.Hour)
	pushed("c-new", 2*24*time.Hour)
	h.decoded(t)
	var tl timelineBody
	if st := h.getJSON(t, "/api/v1/conversations/iadvize/c-old/timeline", &tl); st != 200 || len(tl.Items) != 1 {
		t.Fatalf("timeline = %d %+v", st, tl)
	}
	if got := codes(tl.Items[0]); got != "no_close" {
		t.Errorf("checks of c-old = %q; want no_close", got)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if st := h.getJSON(t, "/api/v1/deliveries?q=has:gap", &page); st != 200 {
		t.Fatalf("has:gap = %d", st)
	}
	if len(page.Items) != 1 || page.Items[0]["id"] != old {
		t.Errorf("has:gap = %v; want only %s, the last event of c-old", page.Items, old)
	}
	if st := h.getJSON(t, "/api/v1/conversations?q=has:gap", &page); st != 200 || len(page.Items) != 1 || page.Items[0]["external_id"] != "c-old" {
		t.Errorf("conversations has:gap = %d %v; want c-old only", st, page.Items)
	}
}

// TestRetryOnlySaysWhy: a delivery that arrived only as iAdvize's third attempt says that
// Hooklens was killed when the first was sent (from the recorded runs), and a retry of a delivery
// Hooklens answered with an error says which.
func TestRetryOnlySaysWhy(t *testing.T) {
	h := newTimelineHarness(t)
	ctx := context.Background()
	base := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	run, err := h.db.StartRun(ctx, base.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.SeeRun(ctx, run, base.Add(-5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.StartRun(ctx, base.Add(25*time.Second)); err != nil { // the first run was killed
		t.Fatal(err)
	}
	body := func(id, typ string, at time.Duration) string {
		iso := base.Add(at).Format(time.RFC3339Nano)
		return fmt.Sprintf(`{"eventId":%q,"eventType":%q,"platform":"ha","projectId":1,"clientId":3,
			"conversationId":"c-1","operatorId":7,"channel":"CHAT","createdAt":%q,"sentAt":%q}`, id, typ, iso, iso)
	}
	late := h.addAt(t, "/iadvize", base.Add(31*time.Second), body("e-1", "v2.conversation.pushed", 0))
	d := &backend.Delivery{Method: "POST", Path: "/iadvize", Status: 500, ReceivedAt: base.Add(40 * time.Second),
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}, Body: []byte(body("e-2", "v2.conversation.closed", 40*time.Second))}
	d.Size = int64(len(d.Body))
	if err := h.db.AddDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	retry := h.addAt(t, "/iadvize", base.Add(50*time.Second), body("e-2", "v2.conversation.closed", 40*time.Second))
	h.decoded(t)

	var tl timelineBody
	if st := h.getJSON(t, "/api/v1/conversations/iadvize/c-1/timeline", &tl); st != 200 || len(tl.Items) != 3 {
		t.Fatalf("timeline = %d %+v", st, tl)
	}
	for _, tt := range []struct{ id, code, want string }{
		{late, "retry_only", "never reached Hooklens: Hooklens was killed or crashed"},
		{retry, "duplicate", "which Hooklens answered 500 Internal Server Error"},
	} {
		var got any
		for _, it := range tl.Items {
			if it["delivery_id"] == tt.id {
				got = it["checks"]
			}
		}
		if s := fmt.Sprint(got); !strings.Contains(s, tt.code) || !strings.Contains(s, tt.want) {
			t.Errorf("checks of %s = %s; want %s saying %q", tt.id, s, tt.code, tt.want)
		}
	}
}
