package diff_test

import (
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/diff"
)

func conv(t0 time.Time, steps ...string) []diff.ConversationEvent {
	var out []diff.ConversationEvent
	for i, s := range steps {
		typ, role, _ := strings.Cut(s, "/")
		at := t0.Add(time.Duration(i) * time.Second)
		it := backend.TimelineItem{Seq: int64(i), DeliveryID: typ + "-" + t0.Format("02"), EventType: typ, OccurredAt: &at,
			Actors: []backend.Actor{{ID: "x", Kind: backend.KindAgent, Role: role}}}
		out = append(out, diff.ConversationEvent{Item: it})
	}
	return out
}

func TestConversations(t *testing.T) {
	reg := all.Registry()
	day1 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	day2 := day1.AddDate(0, 0, 1)
	a := conv(day1, "incoming_chat/author", "incoming_event/author", "chat_transferred/author", "incoming_event/author", "chat_deactivated/author")
	b := conv(day2, "incoming_chat/author", "incoming_event/author", "incoming_event/author", "thread_tagged/author", "chat_deactivated/requester")
	// a retry in B is left out
	retry := b[1]
	retry.Item.DuplicateOf = retry.Item.DeliveryID
	retry.Item.Seq = 99
	b = append(b, retry)

	got := diff.Conversations(reg, diff.ConversationSide{ID: "A"}, diff.ConversationSide{ID: "B"}, a, b)
	var kinds []string
	for _, s := range got.Steps {
		k := s.Kind
		if s.A != nil {
			k += " " + s.A.EventType
		} else {
			k += " " + s.B.EventType
		}
		kinds = append(kinds, k)
	}
	want := "same incoming_chat|same incoming_event|missing chat_transferred|same incoming_event|inserted thread_tagged|changed chat_deactivated"
	if strings.Join(kinds, "|") != want {
		t.Errorf("steps = %s\nwant %s", strings.Join(kinds, "|"), want)
	}
	if got.Missing != 1 || got.Inserted != 1 || got.Changed != 1 || got.Same != 3 || got.B.Events != 5 {
		t.Errorf("counts = %+v", got)
	}
	if last := got.Steps[len(got.Steps)-1]; !last.RolesDiffer {
		t.Errorf("last step = %+v; want roles_differ", last)
	}
}

func TestConversations_Bodies(t *testing.T) {
	reg := all.Registry()
	day1 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	a, b := conv(day1, "incoming_event/author"), conv(day1.AddDate(0, 0, 1), "incoming_event/author")
	a[0].Delivery = fixture(t, "A", nil)
	b[0].Delivery = fixture(t, "B", func(s string) string {
		s = strings.Replace(s, `"created_at": "2019-12-09T12:01:18.909000Z"`, `"created_at": "2019-12-10T08:00:00.000000Z"`, 1)
		return strings.Replace(s, `"chat_id": "PJ0MRSHTDG"`, `"chat_id": "OTHER"`, 1)
	})
	got := diff.Conversations(reg, diff.ConversationSide{}, diff.ConversationSide{}, a, b)
	if len(got.Steps) != 1 || got.Steps[0].Kind != diff.StepSame || got.Steps[0].HiddenFields != 2 {
		t.Errorf("steps = %+v; want one same step with 2 volatile fields hidden", got.Steps)
	}
	if !strings.HasPrefix(got.Verdict, "the same 1 events") {
		t.Errorf("Verdict = %q", got.Verdict)
	}
}
