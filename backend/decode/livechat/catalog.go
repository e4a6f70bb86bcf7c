package livechat

import (
	"strings"

	"hooklens/backend/decode"
)

// catalog is every documented LiveChat webhook (API v3.6, plus historic actions).
var catalog = &decode.Catalog{
	Vendor:   Name,
	Common:   envelope(),
	Versions: versions,
	Events: concat(versioned(concat(chatEvents(), eventEvents(), configEvents(), historicEvents())),
		appEvents(), v2Events()),
}

// linkErrors are the problems Catalog.Link found in the catalog's version data (a test fails
// on any).
var linkErrors = catalog.Link()

// opt adjusts a field being declared.
type opt func(*decode.Field)

// f declares a field.
func f(path, typ, desc string, opts ...opt) decode.Field {
	fd := decode.Field{Path: path, Type: typ, Description: desc}
	for _, o := range opts {
		o(&fd)
	}
	return fd
}

var (
	required opt = func(fd *decode.Field) { fd.Required = true }
	open     opt = func(fd *decode.Field) { fd.Open = true }
)

func oneOf(values ...string) opt { return func(fd *decode.Field) { fd.Enum = values } }
func since(v string) opt         { return func(fd *decode.Field) { fd.Since = v } }
func deprecated(why string) opt  { return func(fd *decode.Field) { fd.Deprecated = why } }

// under re-roots fields at prefix: under("payload.user", {id}) → payload.user.id. A field
// with an empty path becomes the prefix itself.
func under(prefix string, fields ...[]decode.Field) []decode.Field {
	var out []decode.Field
	for _, fs := range fields {
		for _, fd := range fs {
			switch {
			case fd.Path == "":
				fd.Path = prefix
			case strings.HasPrefix(fd.Path, "[]"):
				fd.Path = prefix + fd.Path
			default:
				fd.Path = prefix + "." + fd.Path
			}
			switch { // a rename target lives beside its field
			case fd.RenamedTo == "":
			case strings.HasPrefix(fd.RenamedTo, "[]"):
				fd.RenamedTo = prefix + fd.RenamedTo
			default:
				fd.RenamedTo = prefix + "." + fd.RenamedTo
			}
			out = append(out, fd)
		}
	}
	return out
}

func concat[T any](parts ...[]T) []T {
	var out []T
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ev declares an event type of category cat. Its payload is an object unless fields say
// otherwise; when a path is declared twice the later declaration wins.
func ev(name, cat, desc string, fields ...[]decode.Field) decode.EventType {
	out := []decode.Field{f("payload", "object", "The event data.", required)}
	at := map[string]int{"payload": 0}
	for _, fd := range concat(fields...) {
		if i, ok := at[fd.Path]; ok {
			out[i] = fd // a later declaration refines an earlier one
			continue
		}
		at[fd.Path] = len(out)
		out = append(out, fd)
	}
	return decode.EventType{Name: name, Category: cat, Description: desc, Fields: out}
}

// envelope lists the fields every LiveChat webhook has.
func envelope() []decode.Field {
	return concat([]decode.Field{
		f("webhook_id", "string", "ID of the webhook registration that sent this; it is the same on every delivery of that registration, so it does not tell deliveries apart.", required),
		f("secret_key", "string", "The secret set when the webhook was registered, sent back in every body; Hooklens compares it with the LiveChat secret configured in Settings.", required),
		f("action", "string", "Which webhook this is: the event type.", required),
		f("organization_id", "string", "The LiveChat organization (account) the event happened in.", since("3.4"), format("uuid")),
		f("license_id", "integer|string", "The numeric LiveChat license the event happened in; bodies older than v3.4 carry it instead of organization_id (the 3.1 reference does not show it, the SDK's 3.1 bodies have it; the SDK's and some reference samples of 3.4 still do).", until("3.4"), deprecated("replaced by organization_id in v3.4")),
		f("payload", "object|array", "The event data; its shape depends on the action.", required),
		f("additional_data", "object", "Extra data the registration asked for; empty unless asked for, and always empty for configuration webhooks."),
		f("additional_data.chat_presence_user_ids", "array", "IDs of the users present in the chat, added when the registration asked for them.", since("3.3")),
		f("additional_data.chat_presence_user_ids[]", "string", "ID of one user present in the chat.", since("3.3")),
		f("requester", "object", "Who made the configuration change (configuration webhooks only).", since("3.6")),
		f("requester.user_id", "string", "ID (email) of the user who made the change.", since("3.6"), format("email")),
		f("requester.account_id", "string", "Account ID of the user who made the change.", since("3.6")),
		f("requester.client_id", "string", "Client ID of the application that made the change.", since("3.6")),
	}, under("additional_data.chat_properties", properties("chat, added when the registration asked for them")))
}

// access is the Access structure: who may see a chat or thread.
func access() []decode.Field {
	return []decode.Field{
		f("", "object", "Which groups may see it."),
		f("group_ids", "array", "IDs of the groups with access; group 0 means every agent."),
		f("group_ids[]", "integer", "A group ID (0 = all agents)."),
	}
}

// properties is a properties map (namespace → key → value); known namespaces are described.
func properties(what string) []decode.Field {
	return []decode.Field{
		f("", "object", "Properties of the "+what+": namespace → key → value."),
		f("*", "object", "One namespace of properties: a built-in one or one owned by an app (often its client ID).", open),
		f("routing", "object", "Built-in routing properties: how the conversation was routed.", open),
		f("routing.continuous", "boolean", "Whether the chat is a continuous (asynchronous) conversation."),
		f("routing.idle", "boolean", "Whether the thread went idle (no activity for a while)."),
		f("routing.unassigned", "boolean", "Whether the thread was left without an agent."),
		f("routing.pinned", "boolean", "Whether the chat is pinned to its agent."),
		f("routing.start_url", "string", "Page the customer was on when the chat started.", format("uri")),
		f("routing.referrer", "string", "Page that referred the customer.", format("uri")),
		f("source", "object", "Built-in namespace saying what created it.", open),
		f("source.client_id", "string", "Client ID of the application that created it."),
		f("source.customer_client_id", "string", "Client ID of the application the customer used."),
		f("rating", "object", "Built-in namespace with the customer's satisfaction rating.", open),
		f("rating.score", "integer", "The rating: 1 good, 0 bad.", oneOf("0", "1")),
		f("rating.comment", "string", "The customer's comment on the rating."),
		f("lc2", "object", "Built-in namespace of the LiveChat app.", open),
		f("lc2.form_type", "string", "Kind of form the event carries (prechat, postchat, …)."),
		f("lc2.welcome_message", "boolean", "Whether the message is the automatic greeting."),
		f("lc2.greeting_id", "integer|string", "ID of the greeting that started the chat."),
		f("supervising", "object", "Built-in namespace of supervision.", open),
		f("supervising.agent_ids", "string|array", "Agents supervising the chat."),
	}
}

// deletedProperties is the map of a *_properties_deleted payload: namespace → key names.
func deletedProperties(what string) []decode.Field {
	return []decode.Field{
		f("", "object", "The "+what+" properties that were deleted: namespace → list of key names.", required),
		f("*", "array", "One namespace and the names of its deleted keys."),
		f("*[]", "string", "Name of a deleted property."),
	}
}

// LinkErrors returns the problems Catalog.Link found in the catalog's version data; a test
// fails on any.
func LinkErrors() []error { return linkErrors }
