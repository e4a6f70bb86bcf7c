package api

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"hooklens/backend"
)

// Timelines is the read side of conversations and agents.
type Timelines interface {
	backend.TimelineReader
}

// Limits of the conversation and agent routes.
const (
	maxListLimit     = 1000
	maxTimelineLimit = 10000
)

func (s *Server) timelineRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/conversations", s.listConversations)
	mux.HandleFunc("GET /api/v1/conversations/{vendor}/{id}/timeline", s.conversationTimeline)
	mux.HandleFunc("GET /api/v1/agents", s.listAgents)
	mux.HandleFunc("GET /api/v1/agents/{vendor}/{id}/timeline", s.agentTimeline)
}

// ConversationItem is a conversation as listed, and the head of its timeline.
type ConversationItem struct {
	Vendor       string                `json:"vendor"`
	ExternalID   string                `json:"external_id"`
	Organization string                `json:"organization"`
	Status       string                `json:"status"`
	EventCount   int                   `json:"event_count"`
	FirstAt      string                `json:"first_at"`
	LastAt       string                `json:"last_at"`
	Threads      []string              `json:"threads"`
	Participants []backend.Participant `json:"participants"`
	LastSummary  string                `json:"last_summary"`
}

// AgentItem is an agent as listed, and the head of its timeline.
type AgentItem struct {
	Vendor            string `json:"vendor"`
	ExternalID        string `json:"external_id"`
	Kind              string `json:"kind"`
	Name              string `json:"name"`
	Email             string `json:"email"`
	Status            string `json:"status"`
	ConversationCount int    `json:"conversation_count"`
	EventCount        int    `json:"event_count"`
	LastAt            string `json:"last_at"`
}

// TimelineItem is one event on a timeline; Conversation is null for agent status and login
// events, Checks are the lifecycle findings at this item.
type TimelineItem struct {
	DeliveryID   string                   `json:"delivery_id"`
	Vendor       string                   `json:"vendor"`
	EventType    string                   `json:"event_type"`
	OccurredAt   *string                  `json:"occurred_at"`
	ReceivedAt   string                   `json:"received_at"`
	Summary      string                   `json:"summary"`
	Actors       []backend.Actor          `json:"actors"`
	Conversation *backend.ConversationRef `json:"conversation"`
	ThreadID     string                   `json:"thread_id"`
	Status       string                   `json:"status"`
	StatusOf     string                   `json:"status_of"`
	Verification backend.Verification     `json:"verification"`
	FlagCount    int                      `json:"flag_count"`
	DuplicateOf  string                   `json:"duplicate_of"`
	Checks       []backend.Check          `json:"checks"`
}

// ConversationPage is GET /api/v1/conversations, most recent first.
type ConversationPage struct {
	Items      []ConversationItem `json:"items"`
	NextCursor string             `json:"next_cursor"`
}

// AgentPage is GET /api/v1/agents, most recent first.
type AgentPage struct {
	Items      []AgentItem `json:"items"`
	NextCursor string      `json:"next_cursor"`
}

// ConversationTimeline is GET /api/v1/conversations/{vendor}/{id}/timeline: a window of the
// timeline in the order events happened; Total counts the items of the whole timeline.
// writeTimeline writes it item by item.
type ConversationTimeline struct {
	Conversation ConversationItem `json:"conversation"`
	Total        int              `json:"total"`
	NextCursor   string           `json:"next_cursor"`
	Items        []TimelineItem   `json:"items"`
}

// AgentTimeline is GET /api/v1/agents/{vendor}/{id}/timeline, as ConversationTimeline.
type AgentTimeline struct {
	Agent      AgentItem      `json:"agent"`
	Total      int            `json:"total"`
	NextCursor string         `json:"next_cursor"`
	Items      []TimelineItem `json:"items"`
}

func newConversationItem(c *backend.Conversation) ConversationItem {
	it := ConversationItem{Vendor: c.Vendor, ExternalID: c.ExternalID, Organization: c.Organization, Status: c.Status,
		EventCount: c.EventCount, FirstAt: formatTime(c.FirstAt), LastAt: formatTime(c.LastAt), Threads: c.Threads,
		Participants: c.Participants, LastSummary: c.LastSummary}
	if it.Threads == nil {
		it.Threads = []string{}
	}
	if it.Participants == nil {
		it.Participants = []backend.Participant{}
	}
	return it
}

func newAgentItem(a *backend.Agent) AgentItem {
	return AgentItem{Vendor: a.Vendor, ExternalID: a.ExternalID, Kind: a.Kind, Name: a.Name, Email: a.Email,
		Status: a.Status, ConversationCount: a.ConversationCount, EventCount: a.EventCount, LastAt: formatTime(a.LastAt)}
}

func newTimelineItems(items []backend.TimelineItem) []TimelineItem {
	out := make([]TimelineItem, len(items))
	for i := range items {
		it := &items[i]
		o := TimelineItem{DeliveryID: it.DeliveryID, Vendor: it.Vendor, EventType: it.EventType,
			ReceivedAt: formatTime(it.ReceivedAt), Summary: it.Summary, Actors: it.Actors, ThreadID: it.ThreadID,
			Status: it.Status, StatusOf: it.StatusOf, Verification: it.Verification, FlagCount: it.FlagCount,
			DuplicateOf: it.DuplicateOf, Checks: it.Checks}
		if it.OccurredAt != nil {
			s := formatTime(*it.OccurredAt)
			o.OccurredAt = &s
		}
		if it.Conversation != "" {
			o.Conversation = &backend.ConversationRef{ID: it.Conversation, ThreadID: it.ThreadID}
		}
		if o.Actors == nil {
			o.Actors = []backend.Actor{}
		}
		if o.Checks == nil {
			o.Checks = []backend.Check{}
		}
		out[i] = o
	}
	return out
}

// limitParam reads the limit query parameter: 0 (the store's default) when absent, EINVALID when
// it is not a number between 1 and max.
func limitParam(r *http.Request, max int) (int, error) {
	l := r.URL.Query().Get("limit")
	if l == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > max {
		return 0, backend.Errorf(backend.EINVALID, "limit must be between 1 and %d", max)
	}
	return n, nil
}

func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, maxListLimit)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	list, next, err := s.Timelines.FindConversations(r.Context(), backend.ConversationFilter{
		Vendor: strings.ToLower(q.Get("vendor")), Status: q.Get("status"), Agent: q.Get("agent"), Query: q.Get("q"),
		Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		writeError(w, err)
		return
	}
	items := make([]ConversationItem, len(list))
	for i, c := range list {
		items[i] = newConversationItem(c)
	}
	writeJSON(w, http.StatusOK, ConversationPage{Items: items, NextCursor: next})
}

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r, maxListLimit)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	list, next, err := s.Timelines.FindAgents(r.Context(), backend.AgentFilter{
		Vendor: strings.ToLower(q.Get("vendor")), Status: q.Get("status"), Query: q.Get("q"), Cursor: q.Get("cursor"),
		Limit: limit})
	if err != nil {
		writeError(w, err)
		return
	}
	items := make([]AgentItem, len(list))
	for i, a := range list {
		items[i] = newAgentItem(a)
	}
	writeJSON(w, http.StatusOK, AgentPage{Items: items, NextCursor: next})
}

// timelineFilter reads cursor and limit.
func timelineFilter(r *http.Request) (backend.TimelineFilter, error) {
	limit, err := limitParam(r, maxTimelineLimit)
	return backend.TimelineFilter{Cursor: r.URL.Query().Get("cursor"), Limit: limit}, err
}

func (s *Server) conversationTimeline(w http.ResponseWriter, r *http.Request) {
	f, err := timelineFilter(r)
	if err != nil {
		writeError(w, err)
		return
	}
	tl, err := s.Timelines.ConversationTimeline(r.Context(), strings.ToLower(r.PathValue("vendor")), r.PathValue("id"), f)
	if err != nil {
		writeError(w, err)
		return
	}
	writeTimeline(w, "conversation", newConversationItem(tl.Conversation), tl)
}

func (s *Server) agentTimeline(w http.ResponseWriter, r *http.Request) {
	f, err := timelineFilter(r)
	if err != nil {
		writeError(w, err)
		return
	}
	tl, err := s.Timelines.AgentTimeline(r.Context(), strings.ToLower(r.PathValue("vendor")), r.PathValue("id"), f)
	if err != nil {
		writeError(w, err)
		return
	}
	writeTimeline(w, "agent", newAgentItem(tl.Agent), tl)
}

// writeTimeline answers {key: head, total, next_cursor, items} item by item, through a small
// buffer: a window of up to maxTimelineLimit events is never built as one JSON document.
func writeTimeline(w http.ResponseWriter, key string, head any, tl *backend.Timeline) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw) // each Encode ends with a newline: whitespace between values
	bw.WriteString(`{"` + key + `":`)
	_ = enc.Encode(head)
	bw.WriteString(`,"total":` + strconv.Itoa(tl.Total) + `,"next_cursor":`)
	_ = enc.Encode(tl.Next)
	bw.WriteString(`,"items":[`)
	for i, it := range newTimelineItems(tl.Items) {
		if i > 0 {
			bw.WriteByte(',')
		}
		_ = enc.Encode(it)
	}
	bw.WriteString("]}\n")
	_ = bw.Flush()
}
