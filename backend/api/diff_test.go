package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
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
