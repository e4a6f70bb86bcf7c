package iadvize_test

import (
	"reflect"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/iadvize"
)

// jsonInput builds an Input from a JSON body, as the registry would.
func jsonInput(t *testing.T, body string) *decode.Input {
	t.Helper()
	doc, err := decode.ParseJSON([]byte(body))
	if err != nil {
		t.Fatalf("ParseJSON(%q): %v", body, err)
	}
	return &decode.Input{Delivery: &backend.Delivery{Body: []byte(body)}, Body: []byte(body), Doc: doc}
}

// formInput builds an Input whose Doc is a form document of string values.
func formInput(doc map[string]any) *decode.Input {
	return &decode.Input{Delivery: &backend.Delivery{}, Doc: doc, Form: true}
}

func decodeInput(in *decode.Input) backend.Event {
	var ev backend.Event
	iadvize.New().Decode(in, &ev)
	return ev
}

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		name    string
		body    string
		summary string
		actors  []backend.Actor
		conv    string
		org     string
		status  string
		of      string
	}{
		{"PushedOffsetTime",
			`{"eventId":"e1","eventType":"v2.conversation.pushed","clientId":7,"projectId":3,"conversationId":"9b1c2d3e-0000-4000-8000-000000000001","operatorId":1234,"channel":"SMS","visitorId":"v-1","createdAt":"2024-05-01T12:00:00+02:00"}`,
			"Conversation 9b1c2d3e… pushed to operator 1234 (SMS, project 3)",
			[]backend.Actor{{ID: "1234", Kind: "agent", Role: "assignee"}, {ID: "v-1", Kind: "customer", Role: "requester"}},
			"9b1c2d3e-0000-4000-8000-000000000001", "7", "assigned", "conversation"},
		{"PushedNoOperator",
			`{"eventId":"e1","eventType":"v2.conversation.pushed","conversationId":"c1","channel":"CHAT"}`,
			"Conversation c1 pushed with no operator (CHAT)", []backend.Actor{}, "c1", "", "open", "conversation"},
		{"ClosedDuplicateOperators",
			`{"eventId":"e1","eventType":"v2.conversation.closed","conversationId":"c1","operatorIds":[5,5,6]}`,
			"Conversation c1 closed, handled by operators 5 and 6",
			[]backend.Actor{{ID: "5", Kind: "agent", Role: "participant"}, {ID: "6", Kind: "agent", Role: "participant"}},
			"c1", "", "closed", "conversation"},
		{"ClosedNoOperator",
			`{"eventId":"e1","eventType":"v2.conversation.closed","conversationId":"c1","operatorIds":[]}`,
			"Conversation c1 closed, no operator involved", []backend.Actor{}, "c1", "", "closed", "conversation"},
		{"AvailabilityMixed",
			`{"eventId":"e1","eventType":"user.availability.updated","userId":1234,"origin":"desk","availabilities":[{"channel":"CHAT","status":"UNAVAILABLE"},{"channel":"CALL","status":"AVAILABLE"}]}`,
			"Operator 1234 is now unavailable on CHAT, available on CALL (desk)",
			[]backend.Actor{{ID: "1234", Kind: "agent", Role: "subject"}}, "", "", "partially available", "agent"},
		{"AvailabilityAllUnavailable",
			`{"eventId":"e1","eventType":"user.availability.updated","userId":1,"availabilities":[{"channel":"CHAT","status":"UNAVAILABLE"},{"channel":"VIDEO","status":"UNAVAILABLE"}]}`,
			"Operator 1 is now unavailable on CHAT and VIDEO",
			[]backend.Actor{{ID: "1", Kind: "agent", Role: "subject"}}, "", "", "unavailable", "agent"},
		{"AvailabilityEmpty",
			`{"eventId":"e1","eventType":"user.availability.updated","userId":1,"availabilities":[]}`,
			"Operator 1 changed availability",
			[]backend.Actor{{ID: "1", Kind: "agent", Role: "subject"}}, "", "", "", ""},
		{"UserCreatedFirstLastName",
			`{"eventId":"e1","eventType":"user.created","userId":1234,"firstName":"Alice","lastName":"Martin","email":"alice@example.com"}`,
			"User Alice Martin (1234) created",
			[]backend.Actor{{ID: "1234", Kind: "agent", Role: "subject", Name: "Alice Martin", Email: "alice@example.com"}}, "", "", "", ""},
		{"UserUpdatedNestedUser",
			`{"eventId":"e1","eventType":"user.updated","userId":1234,"user":{"nickname":"Ali","email":"not an email"}}`,
			"User Ali (1234) updated",
			[]backend.Actor{{ID: "1234", Kind: "agent", Role: "subject", Name: "Ali"}}, "", "", "", ""},
		{"UserUpdatedNoName",
			`{"eventId":"e1","eventType":"user.updated","userId":1234,"firstName":" ","lastName":""}`,
			"User 1234 updated",
			[]backend.Actor{{ID: "1234", Kind: "agent", Role: "subject"}}, "", "", "", ""},
		{"SatisfactionTwoAnswers",
			`{"eventId":"e1","eventType":"satisfaction.answered","conversationId":"c1","customerSatisfaction":4,"satisfactionComment":"Great\nhelp"}`,
			`Visitor gave satisfaction 4 and commented "Great help" on conversation c1`, []backend.Actor{}, "c1", "", "", ""},
		{"TransactionNoOperator",
			`{"eventId":"e1","eventType":"transaction.attributed","conversationId":"c1","amount":99.90,"source":"Offsite"}`,
			"Sale 99.90 attributed to conversation c1 (Offsite)", []backend.Actor{}, "c1", "", "", ""},
		{"UnknownEventType",
			`{"eventId":"e1","eventType":"v3.conversation.snoozed","clientId":2,"conversationId":"c1","operatorId":9,"visitorId":"v"}`,
			"iAdvize event v3.conversation.snoozed on conversation c1 (operator 9, visitor v)",
			[]backend.Actor{{ID: "9", Kind: "agent", Role: "participant"}, {ID: "v", Kind: "customer", Role: "participant"}},
			"c1", "2", "", ""},
		{"NoEventType",
			`{"eventId":"e1","eventType":null,"userId":3}`,
			"iAdvize event with no eventType (user 3)",
			[]backend.Actor{{ID: "3", Kind: "agent", Role: "subject"}}, "", "", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := decodeInput(jsonInput(t, tt.body))
			if ev.Summary != tt.summary {
				t.Errorf("Decode(%q).Summary = %q; want %q", tt.body, ev.Summary, tt.summary)
			}
			if !reflect.DeepEqual(ev.Actors, tt.actors) {
				t.Errorf("Decode(%q).Actors = %+v; want %+v", tt.body, ev.Actors, tt.actors)
			}
			conv := ""
			if ev.Conversation != nil {
				conv = ev.Conversation.ID
			}
			if conv != tt.conv || ev.Organization != tt.org {
				t.Errorf("Decode(%q) conversation, organization = %q, %q; want %q, %q", tt.body, conv, ev.Organization, tt.conv, tt.org)
			}
			if ev.Status != tt.status || ev.StatusOf != tt.of {
				t.Errorf("Decode(%q) status = %q of %q; want %q of %q", tt.body, ev.Status, ev.StatusOf, tt.status, tt.of)
			}
		})
	}
}

func TestDecodeTime(t *testing.T) {
	for _, tt := range []struct {
		body  string
		want  string // RFC 3339 in UTC; "" for no time
		flags int
	}{
		{`{"eventId":"e","eventType":"user.created","createdAt":"2019-04-12T07:58:35.171Z"}`, "2019-04-12T07:58:35.171Z", 0},
		{`{"eventId":"e","eventType":"user.created","createdAt":"2017-04-22T11:01:00+02:00"}`, "2017-04-22T09:01:00Z", 0},
		{`{"eventId":"e","eventType":"user.created","createdAt":"2017-04-22T11:01:00+0200"}`, "2017-04-22T09:01:00Z", 0},
		{`{"eventId":"e","eventType":"user.created","sentAt":"2017-04-22T11:01:05+02:00"}`, "2017-04-22T09:01:05Z", 0},
		{`{"eventId":"e","eventType":"user.created","createdAt":"2017-04-22 11:01:00"}`, "2017-04-22T11:01:00Z", 1},
		{`{"eventId":"e","eventType":"user.created","createdAt":"yesterday"}`, "", 1},
		{`{"eventId":"e","eventType":"user.created","createdAt":12}`, "", 1},
	} {
		ev := decodeInput(jsonInput(t, tt.body))
		got := ""
		if ev.OccurredAt != nil {
			got = ev.OccurredAt.Format(time.RFC3339Nano)
		}
		if got != tt.want || len(ev.Flags) != tt.flags {
			t.Errorf("Decode(%q) = %q with %d flags %v; want %q with %d", tt.body, got, len(ev.Flags), ev.Flags, tt.want, tt.flags)
		}
	}
}

// Form bodies carry every value as a string, lists as repeated or bracketed keys.
func TestDecodeForm(t *testing.T) {
	for _, tt := range []struct {
		name    string
		doc     map[string]any
		summary string
		actors  int
		status  string
	}{
		{"PushedStrings", map[string]any{"eventId": "e", "eventType": "v2.conversation.pushed", "clientId": "335",
			"conversationId": "c1", "operatorId": "1234", "channel": "CHAT", "createdAt": "2019-04-12T07:58:35.171Z"},
			"Conversation c1 pushed to operator 1234 (CHAT)", 1, "assigned"},
		{"ClosedRepeatedKey", map[string]any{"eventId": "e", "eventType": "v2.conversation.closed",
			"conversationId": "c1", "operatorIds": []any{"1", "2"}},
			"Conversation c1 closed, handled by operators 1 and 2", 2, "closed"},
		{"ClosedCommaList", map[string]any{"eventId": "e", "eventType": "v2.conversation.closed",
			"conversationId": "c1", "operatorIds": "1, 2"},
			"Conversation c1 closed, handled by operators 1 and 2", 2, "closed"},
		{"ClosedSingleValue", map[string]any{"eventId": "e", "eventType": "v2.conversation.closed",
			"conversationId": "c1", "operatorIds": "7"},
			"Conversation c1 closed, handled by operator 7", 1, "closed"},
		{"AvailabilityIndexedKeys", map[string]any{"eventId": "e", "eventType": "user.availability.updated", "userId": "4",
			"availabilities": map[string]any{
				"1": map[string]any{"channel": "CALL", "status": "UNAVAILABLE"},
				"0": map[string]any{"channel": "CHAT", "status": "AVAILABLE"}}},
			"Operator 4 is now available on CHAT, unavailable on CALL", 1, "partially available"},
		{"RepeatedScalar", map[string]any{"eventId": []any{"e", "f"}, "eventType": []any{"user.connected"}, "userId": "4"},
			"User 4 connected (logged in to the admin or desk)", 1, "connected"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := decodeInput(formInput(tt.doc))
			if ev.Summary != tt.summary || len(ev.Actors) != tt.actors || ev.Status != tt.status {
				t.Errorf("Decode(%v) = %q, %d actors, status %q; want %q, %d, %q",
					tt.doc, ev.Summary, len(ev.Actors), ev.Status, tt.summary, tt.actors, tt.status)
			}
		})
	}
}

func TestDecodeKeepsInput(t *testing.T) {
	inner := map[string]any{"0": map[string]any{"channel": "CHAT", "status": "AVAILABLE"}}
	doc := map[string]any{"eventId": "e", "eventType": "user.availability.updated", "availabilities": inner}
	decodeInput(formInput(doc))
	if _, ok := doc["availabilities"].(map[string]any)["0"]; !ok {
		t.Errorf("Decode(%v) changed the input document", doc)
	}
}

func TestDecodeNotAnObject(t *testing.T) {
	for _, body := range []string{`[1,2]`, `"text"`, `null`} {
		ev := decodeInput(jsonInput(t, body))
		if len(ev.Flags) != 1 || ev.Flags[0].Code != decode.FlagInvalidBody || ev.DedupeKey == "" {
			t.Errorf("Decode(%q) flags, key = %v, %q; want one invalid_body flag and a key", body, ev.Flags, ev.DedupeKey)
		}
	}
	iadvize.New().Decode(nil, nil) // must not panic
	var ev backend.Event
	iadvize.New().Decode(nil, &ev)
	if len(ev.Flags) != 1 {
		t.Errorf("Decode(nil) flags = %v; want one", ev.Flags)
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		in   *decode.Input
		want bool
	}{
		{&decode.Input{Doc: map[string]any{"eventId": "e", "eventType": "user.created"}}, true},
		{&decode.Input{Doc: map[string]any{"eventId": "e", "eventType": "x", "platform": "sd"}, Form: true}, true},
		{&decode.Input{Doc: map[string]any{"eventId": "e"}}, false},
		{&decode.Input{Doc: map[string]any{"eventType": "user.created"}}, false},
		{&decode.Input{Doc: map[string]any{"eventId": nil, "eventType": "x"}}, false},
		{&decode.Input{Doc: []any{map[string]any{"eventId": "e", "eventType": "x"}}}, false},
		{&decode.Input{}, false},
		{nil, false},
	} {
		var doc any
		if tt.in != nil {
			doc = tt.in.Doc
		}
		if got := iadvize.New().Match(tt.in); got != tt.want {
			t.Errorf("Match(%v) = %v; want %v", doc, got, tt.want)
		}
	}
}
