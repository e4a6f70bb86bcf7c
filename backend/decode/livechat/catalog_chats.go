package livechat

import "hooklens/backend/decode"

// Reasons LiveChat gives for a transfer and for adding or removing a user.
var transferReasons = []string{"manual", "inactive", "assigned", "unassigned", "other"}

// ids declares payload.chat_id and payload.thread_id (thread optional unless threadRequired).
func ids(threadRequired bool) []decode.Field {
	th := f("payload.thread_id", "string", "ID of the thread (session) inside the chat.")
	if threadRequired {
		th.Required = true
	}
	return []decode.Field{
		f("payload.chat_id", "string", "ID of the chat (the conversation).", required),
		th,
	}
}

// chatEvents lists the chat, access, user, property, tag, status, customer and other actions.
func chatEvents() []decode.EventType {
	return []decode.EventType{
		ev("incoming_chat", "chats", "A chat started with a new thread: a new conversation, or a returning customer in an existing chat (same chat ID, new thread ID).",
			under("payload.chat", chatFields()),
			[]decode.Field{
				f("payload.requester_id", "string", "Who started the chat, when the payload says so."),
				f("payload.transferred_from", "object", "Where the chat was before, when it arrives by transfer."),
				f("payload.transferred_from.group_ids", "array", "Groups the chat came from."),
				f("payload.transferred_from.agent_ids", "array", "Agents the chat came from."),
			}),
		ev("chat_deactivated", "chats", "The open thread of a chat was closed; the chat stays and a later message starts a new thread.",
			ids(true),
			[]decode.Field{f("payload.user_id", "string", "Who closed the thread; absent when the router closed it (for example after inactivity).")}),
		ev("chat_access_updated", "access", "Which groups may see a chat changed.", []decode.Field{
			f("payload.id", "string", "ID of the chat.", required),
			f("payload.access", "object", "The chat's access after the change.", required),
			f("payload.access.group_ids", "array", "Groups that may see the chat; 0 means every agent."),
			f("payload.access.group_ids[]", "integer", "A group ID."),
		}),
		ev("chat_transferred", "access", "A chat was moved to other groups or agents.", ids(false), []decode.Field{
			f("payload.requester_id", "string", "Who asked for the transfer; absent when the system did it."),
			f("payload.reason", "string", "Why it was transferred.", required, oneOf(transferReasons...)),
			f("payload.transferred_to", "object", "Where the chat went.", required),
			f("payload.transferred_to.group_ids", "array", "Groups the chat now belongs to."),
			f("payload.transferred_to.group_ids[]", "integer", "A group ID."),
			f("payload.transferred_to.agent_ids", "array", "Agents the chat is now assigned to."),
			f("payload.transferred_to.agent_ids[]", "string", "An agent ID (email)."),
			f("payload.queue", "object", "Present when the chat waits in a queue after the transfer."),
			f("payload.queue.position", "integer", "Place in the queue (1 = next)."),
			f("payload.queue.wait_time", "integer", "Estimated wait, in seconds."),
			f("payload.queue.queued_at", "string", "When the chat entered the queue (RFC 3339).", format("date-time")),
			f("payload.queue.queued_at_us", "string", "When the chat entered the queue; the spelling of the documentation's sample."),
		}),
		ev("user_added_to_chat", "users", "A customer or agent joined a chat or was added to it.", ids(false), under("payload.user", userFields()), []decode.Field{
			f("payload.user", "object", "The user who was added, in full.", required),
			f("payload.user_type", "string", "Whether the added user is an agent or a customer.", oneOf("agent", "customer")),
			f("payload.reason", "string", "Why the user was added.", oneOf(transferReasons...)),
			f("payload.requester_id", "string", "Who added the user; absent when they joined by themselves or the system added them."),
		}),
		ev("user_removed_from_chat", "users", "A customer or agent left a chat or was removed from it.", ids(false), []decode.Field{
			f("payload.user_id", "string", "ID of the user who left.", required),
			f("payload.user_type", "string", "Whether the removed user is an agent or a customer.", oneOf("agent", "customer")),
			f("payload.reason", "string", "Why the user was removed.", oneOf(transferReasons...)),
			f("payload.requester_id", "string", "Who removed the user; absent when they left by themselves or the system removed them."),
		}),
		ev("chat_properties_updated", "properties", "Some properties of a chat were set; only the changed ones are sent.",
			[]decode.Field{f("payload.chat_id", "string", "ID of the chat.", required)}, under("payload.properties", properties("chat"))),
		ev("chat_properties_deleted", "properties", "Some properties of a chat were removed.",
			[]decode.Field{f("payload.chat_id", "string", "ID of the chat.", required)}, under("payload.properties", deletedProperties("chat"))),
		ev("thread_properties_updated", "properties", "Some properties of a thread were set; only the changed ones are sent.",
			ids(true), under("payload.properties", properties("thread"))),
		ev("thread_properties_deleted", "properties", "Some properties of a thread were removed.",
			ids(true), under("payload.properties", deletedProperties("thread"))),
		ev("event_properties_updated", "properties", "Some properties of a chat event were set; only the changed ones are sent.",
			ids(true), []decode.Field{f("payload.event_id", "string", "ID of the event.", required)}, under("payload.properties", properties("event"))),
		ev("event_properties_deleted", "properties", "Some properties of a chat event were removed.",
			ids(true), []decode.Field{f("payload.event_id", "string", "ID of the event.", required)}, under("payload.properties", deletedProperties("event"))),
		ev("thread_tagged", "tags", "A tag was put on a thread.", ids(true), []decode.Field{f("payload.tag", "string", "The tag added.", required)}),
		ev("thread_untagged", "tags", "A tag was taken off a thread.", ids(true), []decode.Field{f("payload.tag", "string", "The tag removed.", required)}),
		ev("routing_status_set", "status", "An agent's or bot's routing status changed: whether new chats can be routed to them.", []decode.Field{
			f("payload.agent_id", "string", "The agent (email) or bot (hex ID) whose status changed.", required),
			f("payload.status", "string", "The new status; offline is for bots only.", required, oneOf(routingStatuses...)),
		}),
		ev("customer_session_fields_updated", "customers", "A chatting customer's session fields changed; sent once per active chat of the customer.", []decode.Field{
			f("payload.id", "string", "ID of the customer.", required),
			f("payload.active_chat", "object", "The active chat this copy is about.", required),
			f("payload.active_chat.chat_id", "string", "ID of the chat.", required),
			f("payload.active_chat.thread_id", "string", "ID of the open thread."),
			f("payload.session_fields", "array", "The customer's session fields after the change.", required),
			f("payload.session_fields[]", "object", "One session field: a single key and its value.", open),
		}),
		ev("events_marked_as_seen", "other", "A user has seen a chat's events up to a given time.", []decode.Field{
			f("payload.user_id", "string", "Who saw the events.", required),
			f("payload.chat_id", "string", "ID of the chat.", required),
			f("payload.seen_up_to", "string", "Events up to this time have been seen (RFC 3339).", required, format("date-time")),
		}),
		func() decode.EventType {
			e := ev("thread_summary_set", "other", "An AI-written summary of a thread was set.", ids(true), []decode.Field{
				f("payload.summary", "object", "The summary.", required),
				f("payload.summary.status", "string", "Whether the summary could be produced."),
				f("payload.summary.text", "string", "The summary text."),
				f("payload.summary.updated_at", "string", "When the summary was written (RFC 3339).", format("date-time")),
			})
			e.Since = "3.6"
			return e
		}(),
	}
}
