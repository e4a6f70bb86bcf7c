package closer_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
)

// input builds a decode.Input from strict JSON, as the registry would.
func input(t testing.TB, body string) *decode.Input {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("bad test body %s: %v", body, err)
	}
	return &decode.Input{Delivery: delivery("d", "/closer", []byte(body)), Body: []byte(body), Doc: doc}
}

// business returns a business event body with the given action, event fields and times.
func business(action, event string, ts string) string {
	return `{"@timestamp": "2024-03-05T09:14:02.118+0000", "message": {"event": ` + event +
		`, "description": {"kind": "event", "category": ["conversation"], "type": ["business_event"], "action": "` +
		action + `", "outcome": "success"}` + ts + `}}`
}

const ts = `, "timestamp": 1709630041953`

func TestMatch(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{business("login", `{"agentId": "a"}`, ts), true},
		{`{"customer": {"id": "c"}, "eventType": "ThreadCreatedEvent", "timestamp": 1}`, true},
		{`{"@timestamp": "2024-03-05T09:14:02.118+0000", "message": "plain log line"}`, false},
		{`{"eventId": "e", "eventType": "v2.conversation.pushed", "platform": "sd"}`, false},
		{`{"action": "incoming_chat", "secret_key": "s", "webhook_id": "w"}`, false},
		{`[{"customer": {}, "eventType": "x"}]`, false},
		{`"text"`, false},
	}
	for _, tt := range tests {
		if got := closer.New().Match(input(t, tt.body)); got != tt.want {
			t.Errorf("Match(%s) = %v; want %v", tt.body, got, tt.want)
		}
	}
	if closer.New().Match(nil) || closer.New().Match(&decode.Input{}) {
		t.Errorf("Match(nil or empty input) = true; want false")
	}
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestDecode(t *testing.T) {
	agent := func(id, role string) backend.Actor { return backend.Actor{ID: id, Kind: backend.KindAgent, Role: role} }
	cust := func(id, role string) backend.Actor {
		return backend.Actor{ID: id, Kind: backend.KindCustomer, Role: role}
	}
	tests := []struct {
		name    string
		body    string
		typ     string
		at      *time.Time
		conv    *backend.ConversationRef
		actors  []backend.Actor
		summary string
		status  string
	}{
		{"StatusLowercaseWithReason", business("status_change", `{"agentId": "a1", "orgId": "o", "status": "away", "unavailableReason": "lunch"}`, ts),
			"status_change", at("2024-03-05T09:14:01.953Z"), nil, []backend.Actor{agent("a1", "subject")}, "Agent a1 is now AWAY: lunch", "away"},
		{"NoMessageTimestampUsesEnvelope", business("created", `{"roomId": "r1", "guestId": "g1"}`, ""),
			"created", at("2024-03-05T09:14:02.118Z"), &backend.ConversationRef{ID: "r1"}, []backend.Actor{cust("g1", "participant")},
			"Room r1 created for guest g1", "open"},
		{"AuthorIsTheAgent", business("message_sent", `{"roomId": "r1", "agentId": "a1", "authorId": "a1", "body": "Hi"}`, ts),
			"message_sent", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"},
			[]backend.Actor{agent("a1", "author"), agent("a1", "participant")}, `Message in room r1 from agent a1: "Hi"`, ""},
		{"AuthorTypeBot", business("message_sent", `{"roomId": "r1", "authorId": "b1", "authorType": "BOT"}`, ts),
			"message_sent", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"},
			[]backend.Actor{{ID: "b1", Kind: backend.KindBot, Role: "author"}}, "Message in room r1 from bot b1 (no text)", ""},
		{"FormSubmitByGuest", business("custom_message_sent", `{"roomId": "r1", "subtag": "FORM_SUBMIT", "authorId": "u1", "payload": {}}`, ts),
			"custom_message_sent", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"},
			[]backend.Actor{cust("u1", "author")}, "Form sent in room r1 by customer u1", ""},
		{"EmptyFormByAgent", business("custom_message_sent", `{"roomId": "r1", "subtag": "MESSAGE_WITH_FORM", "authorId": "u1", "payload": {"formId": "f1", "inputs": [{"name": "age", "value": ""}]}}`, ts),
			"custom_message_sent", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"},
			[]backend.Actor{agent("u1", "author")}, "Form f1 sent in room r1 by agent u1", ""},
		{"OtherSubtag", business("custom_message_sent", `{"roomId": "r1", "subtag": "MEETING_SCHEDULED", "authorId": "u1"}`, ts),
			"custom_message_sent", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"},
			[]backend.Actor{agent("u1", "author")}, "MEETING_SCHEDULED message in room r1 by agent u1", ""},
		{"TagsCleared", business("tag_change", `{"roomId": "r1", "tags": []}`, ts),
			"tag_change", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"}, nil, "Tags on room r1 cleared", ""},
		{"ManyTags", business("tag_change", `{"roomId": "r1", "tags": ["a", "b", "c", "d", "e", "f", "g"]}`, ts),
			"tag_change", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"}, nil,
			"Tags on room r1 changed: a, b, c, d, e and 2 more", ""},
		{"AssigneeAsAdviser", business("assignee_change", `{"roomId": "r1", "adviserId": "a2", "requesterId": "a3"}`, ts),
			"assignee_change", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1"},
			[]backend.Actor{agent("a2", "assignee"), agent("a3", "requester")}, "Room r1 assigned to agent a2 by agent a3", "assigned"},
		{"ClosedWithoutSubStatus", business("closed", `{"roomId": "r1", "threadId": "t1"}`, ts),
			"closed", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "r1", ThreadID: "t1"}, nil, "Room r1 closed", "closed"},
		{"UnknownAgentAction", strings.Replace(business("away_timeout", `{"agentId": "a1", "email": "a@x.test"}`, ts), `"conversation"`, `"agent"`, 1),
			"away_timeout", at("2024-03-05T09:14:01.953Z"), nil, []backend.Actor{{ID: "a1", Kind: backend.KindAgent, Role: "subject", Email: "a@x.test"}},
			`Closer event "away_timeout" for agent a@x.test`, ""},
		{"NoActionNoIds", business("", `{}`, ts), "", at("2024-03-05T09:14:01.953Z"), nil, nil, "Closer event with no action", ""},
		{"ColonOffsetEnvelopeOnly", `{"@timestamp": "2024-03-05T10:14:02+01:00", "message": {"description": {"action": "snoozed"}, "event": {"roomId": "r1"}}}`,
			"snoozed", at("2024-03-05T09:14:02Z"), &backend.ConversationRef{ID: "r1"}, nil, "Room r1 snoozed", "snoozed"},
		{"LegacyClosedSeconds", `{"customer": {"id": "c1", "randomName": "Blue Fox"}, "timestamp": 1709630041, "eventType": "conversation.closed"}`,
			"conversation.closed", at("2024-03-05T09:14:01Z"), &backend.ConversationRef{ID: "customer:c1"}, []backend.Actor{{ID: "c1", Kind: backend.KindCustomer, Role: "participant", Name: "Blue Fox"}},
			"Conversation closed for customer Blue Fox", "closed"},
		{"LegacyUnknownType", `{"customer": {"id": "c1", "email": "c@x.test"}, "timestamp": 1709630041953, "eventType": "MessageEvent"}`,
			"MessageEvent", at("2024-03-05T09:14:01.953Z"), &backend.ConversationRef{ID: "customer:c1"}, []backend.Actor{{ID: "c1", Kind: backend.KindCustomer, Role: "participant", Email: "c@x.test"}},
			`Closer legacy webhook "MessageEvent" for customer c@x.test`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev backend.Event
			closer.New().Decode(input(t, tt.body), &ev)
			if ev.EventType != tt.typ || !reflect.DeepEqual(ev.OccurredAt, tt.at) || !reflect.DeepEqual(ev.Conversation, tt.conv) ||
				!reflect.DeepEqual(ev.Actors, tt.actors) || ev.Summary != tt.summary || ev.Status != tt.status {
				t.Errorf("Decode(%s) = %q %v %+v %+v %q %q;\nwant %q %v %+v %+v %q %q", tt.body,
					ev.EventType, ev.OccurredAt, ev.Conversation, ev.Actors, ev.Summary, ev.Status,
					tt.typ, tt.at, tt.conv, tt.actors, tt.summary, tt.status)
			}
		})
	}
}

func TestDecodeBadTimes(t *testing.T) {
	tests := []struct {
		body  string
		at    *time.Time
		paths string
	}{
		{business("closed", `{"roomId": "r1"}`, `, "timestamp": -5`), at("2024-03-05T09:14:02.118Z"), "message.timestamp"},
		{strings.Replace(business("closed", `{"roomId": "r1"}`, ts), "2024-03-05T09:14:02.118+0000", "yesterday", 1),
			at("2024-03-05T09:14:01.953Z"), "@timestamp"},
		{strings.Replace(business("closed", `{"roomId": "r1"}`, `, "timestamp": "soon"`), "2024-03-05T09:14:02.118+0000", "later", 1),
			nil, "@timestamp"}, // a string message.timestamp is the catalog's wrong_type, not flagged here
		{`{"customer": {"id": "c1"}, "timestamp": 0, "eventType": "ThreadCreatedEvent"}`, nil, "timestamp"},
	}
	for _, tt := range tests {
		var ev backend.Event
		closer.New().Decode(input(t, tt.body), &ev)
		var paths []string
		for _, f := range ev.Flags {
			if f.Code == closer.FlagInvalidValue {
				paths = append(paths, f.Path)
			}
		}
		if !reflect.DeepEqual(ev.OccurredAt, tt.at) || strings.Join(paths, ",") != tt.paths {
			t.Errorf("Decode(%s) = at %v, flagged %q; want %v, %q", tt.body, ev.OccurredAt, paths, tt.at, tt.paths)
		}
	}
}

func TestDecodeOddInputs(t *testing.T) {
	for _, in := range []*decode.Input{nil, {}, {Doc: []any{}}, {Doc: "x"}, {Doc: map[string]any{"message": []any{1}}},
		{Doc: map[string]any{"@timestamp": nil, "message": map[string]any{"event": "x", "description": 5}}},
		{Doc: map[string]any{"customer": "x", "eventType": map[string]any{}}}} {
		var ev backend.Event
		closer.New().Decode(in, &ev) // must not panic
	}
	closer.New().Decode(input(t, `{}`), nil)
}

func TestDedupeKey(t *testing.T) {
	key := func(body string) string {
		var ev backend.Event
		closer.New().Decode(input(t, body), &ev)
		return ev.DedupeKey
	}
	base := business("closed", `{"roomId": "r1", "orgId": "o"}`, ts)
	reordered := `{"message": {"timestamp": 1709630041953, "description": {"outcome": "success", "action": "closed", "type": ["business_event"], "category": ["conversation"], "kind": "event"}, "event": {"orgId": "o", "roomId": "r1"}},
	  "@timestamp": "2024-03-05T09:14:02.118+0000"}`
	k := key(base)
	if !strings.HasPrefix(k, closer.KeyPrefix) || len(k) != len(closer.KeyPrefix)+64 {
		t.Fatalf("DedupeKey(%s) = %q; want sha256:<64 hex>", base, k)
	}
	if got := key(base); got != k {
		t.Errorf("DedupeKey twice = %q, %q; want equal", k, got)
	}
	if got := key(reordered); got != k {
		t.Errorf("DedupeKey(reordered, reformatted) = %q; want %q", got, k)
	}
	for _, other := range []string{
		business("closed", `{"roomId": "r2", "orgId": "o"}`, ts),
		business("closed", `{"roomId": "r1", "orgId": "o"}`, `, "timestamp": 1709630041954`),
		business("reopened", `{"roomId": "r1", "orgId": "o"}`, ts),
	} {
		if got := key(other); got == k {
			t.Errorf("DedupeKey(%s) = %q; want it to differ from %s", other, got, base)
		}
	}
	// Through the registry, a retry with other whitespace is the same event.
	reg := decode.New(closer.New())
	var compact bytes.Buffer
	_ = json.Compact(&compact, []byte(reordered))
	a := reg.Decode(delivery("d1", "/closer", []byte(base)), nil)
	b := reg.Decode(delivery("d2", "/closer", compact.Bytes()), nil)
	if a.DedupeKey != b.DedupeKey || a.DedupeKey != k {
		t.Errorf("registry DedupeKey = %q, %q; want both %q", a.DedupeKey, b.DedupeKey, k)
	}
}
