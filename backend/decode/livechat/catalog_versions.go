package livechat

import "hooklens/backend/decode"

// versions are the LiveChat webhook versions the catalog describes, oldest first. "v2" is the
// retired REST-era format (Family "v2"); the main line starts at 3.1 (3.0 was a beta whose
// bodies said "data" for "payload"; no published sample of it is known to us).
var versions = []decode.APIVersion{
	{Name: "v2", Label: "v2 (retired REST format)", Retired: true,
		Note: "Separate format: event_type instead of action, a token, and chat and visitor objects of the REST API."},
	{Name: "3.1", Label: "v3.1", Retired: true,
		Note: "First stable v3 webhooks; several actions carried names later changed in 3.2."},
	{Name: "3.2", Label: "v3.2", Retired: true,
		Note: "Renames: incoming_chat_thread→incoming_chat, thread_closed→chat_deactivated, chat_user_*→user_*_chat, access_*→chat_access_*; license_id in every body."},
	{Name: "3.3", Label: "v3.3",
		Note: "customer_created→incoming_customer; chat_transferred, customer_session_fields_updated and chat_presence_user_ids added; registration per Client ID."},
	{Name: "3.4", Label: "v3.4",
		Note: "organization_id replaces license_id; chat_access_updated replaces granted/revoked; configuration webhooks for agents, bots, groups and auto access; agent_deleted carries id."},
	{Name: "3.5", Label: "v3.5",
		Note: "auto_access_* merged into auto_accesses_updated (a list); tag webhooks added; new work_scheduler shape."},
	{Name: "3.6", Label: "v3.6",
		Note: "Configuration webhooks name their requester; event_deleted and thread_summary_set added; incoming_customer gone."},
	{Name: "3.7", Label: "v3.7", Note: "Same webhook set as 3.6."},
}

// first is the first version of the main line: what an action without a stated range spans.
const first = "3.1"

// actionRanges are the versions each main-line action exists in, where that is not all of
// 3.1 onwards (from each version's webhooks reference page and the changelog).
var actionRanges = map[string]decode.Range{
	"incoming_chat":                   {Since: "3.2"},
	"chat_deactivated":                {Since: "3.2"},
	"chat_access_updated":             {Since: "3.4"},
	"chat_transferred":                {Since: "3.3"},
	"user_added_to_chat":              {Since: "3.2"},
	"user_removed_from_chat":          {Since: "3.2"},
	"thread_properties_updated":       {Since: "3.2"},
	"thread_properties_deleted":       {Since: "3.2"},
	"thread_tagged":                   {Since: "3.2"},
	"thread_untagged":                 {Since: "3.2"},
	"routing_status_set":              {Since: "3.2"},
	"customer_session_fields_updated": {Since: "3.3"},
	"event_deleted":                   {Since: "3.6"},
	"thread_summary_set":              {Since: "3.6"},
	"incoming_customer":               {Since: "3.3", Until: "3.5"},
	"chat_access_granted":             {Since: "3.2", Until: "3.3"},
	"chat_access_revoked":             {Since: "3.2", Until: "3.3"},
	"auto_access_added":               {Since: "3.4", Until: "3.4"},
	"auto_access_updated":             {Since: "3.4", Until: "3.4"},
	"auto_access_deleted":             {Since: "3.4", Until: "3.4"},
	"auto_accesses_updated":           {Since: "3.5"},
	"tag_created":                     {Since: "3.5"},
	"tag_updated":                     {Since: "3.5"},
	"tag_deleted":                     {Since: "3.5"},
	"agent_deleted":                   {}, // 3.1–3.3 as a plain webhook with agent_id, 3.4+ as a configuration one with id
}

// successors say what an action that stopped being sent became (its RenamedTo).
var successors = map[string]string{
	"chat_access_granted": "chat_access_updated",
	"chat_access_revoked": "chat_access_updated",
	"auto_access_added":   "auto_accesses_updated",
	"auto_access_updated": "auto_accesses_updated",
	"auto_access_deleted": "auto_accesses_updated",
}

// renamed31 are the 3.1 actions renamed in 3.2 (old name → new name): each has the shape of
// its successor, declared once.
var renamed31 = [][2]string{
	{"incoming_chat_thread", "incoming_chat"},
	{"thread_closed", "chat_deactivated"},
	{"chat_thread_tagged", "thread_tagged"},
	{"chat_thread_untagged", "thread_untagged"},
	{"chat_thread_properties_updated", "thread_properties_updated"},
	{"chat_thread_properties_deleted", "thread_properties_deleted"},
	{"chat_user_added", "user_added_to_chat"},
	{"chat_user_removed", "user_removed_from_chat"},
	{"agent_status_changed", "routing_status_set"},
}

// versioned applies the version data to the main-line event types and adds the 3.1 names.
func versioned(events []decode.EventType) []decode.EventType {
	byName := map[string]decode.EventType{}
	for i := range events {
		e := &events[i]
		if r, ok := actionRanges[e.Name]; ok {
			e.Range = r
		}
		if e.Since == "" && e.Family == "" {
			e.Since = first
		}
		if to := successors[e.Name]; to != "" {
			e.RenamedTo = to
		}
		byName[e.Name] = *e
	}
	for _, rn := range renamed31 {
		to := byName[rn[1]]
		old := decode.EventType{Name: rn[0], Category: to.Category, Range: decode.Range{Since: "3.1", Until: "3.1"},
			RenamedTo:   rn[1],
			Description: "The v3.1 name of " + rn[1] + ": " + to.Description,
			Fields:      append([]decode.Field(nil), to.Fields...)}
		if rn[0] == "chat_user_added" || rn[0] == "chat_user_removed" {
			old.Fields = withoutPaths(old.Fields, "payload.reason", "payload.requester_id")
		}
		events = append(events, old)
	}
	return append(events, v31Events()...)
}

func withoutPaths(fields []decode.Field, paths ...string) []decode.Field {
	var out []decode.Field
	for _, fd := range fields {
		skip := false
		for _, p := range paths {
			skip = skip || fd.Path == p
		}
		if !skip {
			out = append(out, fd)
		}
	}
	return out
}

// v31Events are the 3.1 actions with no direct successor of the same shape.
func v31Events() []decode.EventType {
	only31 := func(e decode.EventType, to string) decode.EventType {
		e.Since, e.Until, e.RenamedTo = "3.1", "3.1", to
		return e
	}
	access := func(verb string) []decode.Field {
		return []decode.Field{
			f("payload.resource", "string", "Whether the access of a chat or of a thread "+verb+".", required, oneOf("chat", "thread")),
			f("payload.id", "string", "ID of the chat or thread.", required),
			f("payload.access", "object", "The groups concerned.", required),
			f("payload.access.group_ids", "array", "Group IDs."),
			f("payload.access.group_ids[]", "integer", "A group ID."),
		}
	}
	customer := concat(under("payload", userFields()), []decode.Field{
		f("payload.id", "string", "ID of the new customer (3.1 bodies, where the payload is the customer)."),
		f("payload.fields", "array|object", "The customer's session fields, as the first 3.1 bodies named them (an object of key/value pairs in the SDK's first sample).", until("3.1"), renamedTo("payload.session_fields"), open),
		f("payload.fields[]", "object", "One session field.", open, until("3.1")),
		f("payload.customer", "object", "The new customer (3.2 bodies wrap it).", since("3.2")),
	}, under("payload.customer", userFields()))
	return []decode.EventType{
		only31(ev("access_granted", "access", "Groups were given access to a chat or a thread (v3.1).", access("grew")), "chat_access_granted"),
		only31(ev("access_revoked", "access", "Groups lost access to a chat or a thread (v3.1).", access("shrank")), "chat_access_revoked"),
		only31(ev("access_set", "access", "The groups with access to a chat or a thread were set (v3.1; no successor of its own).", access("was set")), ""),
		only31(ev("follow_up_requested", "chats", "A customer asked to be followed up after the chat (v3.1).", ids(false), []decode.Field{
			f("payload.customer_id", "string", "ID of the customer who asked.", required),
		}), ""),
		func() decode.EventType {
			e := ev("customer_created", "customers", "A new customer registered (v3.1–3.2; named incoming_customer from 3.3).", customer)
			e.Since, e.Until, e.RenamedTo = "3.1", "3.2", "incoming_customer"
			return e
		}(),
	}
}

func until(v string) opt      { return func(fd *decode.Field) { fd.Until = v } }
func renamedTo(p string) opt  { return func(fd *decode.Field) { fd.RenamedTo = p } }
func format(fm string) opt    { return func(fd *decode.Field) { fd.Format = fm } }
func between(s, u string) opt { return func(fd *decode.Field) { fd.Since, fd.Until = s, u } }
