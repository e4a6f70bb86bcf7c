package livechat

import "hooklens/backend/decode"

// routingStatuses are the spellings seen for an agent's routing status: the webhook docs use
// spaces, the chat data structures underscores.
var routingStatuses = []string{"accepting chats", "not accepting chats", "offline", "accepting_chats", "not_accepting_chats"}

// userFields is the User structure (agent or customer) of chat.users[] and payload.user.
func userFields() []decode.Field {
	return concat([]decode.Field{
		f("", "object", "A user of the chat: an agent (or bot) or a customer."),
		f("id", "string", "The user's ID: an agent's login email, a customer's UUID, a bot's 32-character hex ID.", required),
		f("type", "string", "Whether the user is an agent (bots count as agents) or a customer.", oneOf("agent", "customer")),
		f("name", "string", "Display name."),
		f("email", "string", "Email address.", format("email")),
		f("avatar", "string", "URL of the user's picture.", format("uri")),
		f("present", "boolean", "Whether the user is in the chat right now."),
		f("events_seen_up_to", "string", "Time up to which the user has seen the chat's events (RFC 3339).", format("date-time")),
		f("last_seen_timestamp", "integer", "Unix time up to which the user had seen the chat's events (3.1 name).", until("3.1"), renamedTo("events_seen_up_to")),
		f("created_at", "string", "When the customer was first seen (RFC 3339).", format("date-time")),
		f("routing_status", "string", "The agent's routing status: whether chats can be routed to them.", oneOf(routingStatuses...)),
		f("visibility", "string", "Who sees this agent in the chat (supervisors are hidden from customers)."),
		f("email_verified", "boolean", "Whether the customer's email address was verified."),
		f("phone_number", "string", "The customer's phone number."),
		f("session_fields", "array", "Key/value pairs set for the customer's current session."),
		f("session_fields[]", "object", "One session field: a single key and its value.", open),
		f("statistics", "object", "Counters about the customer's activity."),
		f("statistics.chats_count", "integer", "Chats the customer has had."),
		f("statistics.threads_count", "integer", "Threads (sessions) the customer has had."),
		f("statistics.visits_count", "integer", "Visits to the tracked website."),
		f("statistics.page_views_count", "integer", "Pages viewed."),
		f("statistics.greetings_shown_count", "integer", "Greetings shown to the customer."),
		f("statistics.greetings_accepted_count", "integer", "Greetings the customer answered."),
		f("statistics.greetings_converted_count", "integer", "Greetings that led to a goal."),
		f("statistics.tickets_count", "integer", "Tickets the customer has opened."),
		f("agent_last_event_created_at", "string", "When an agent last wrote to this customer (RFC 3339).", format("date-time")),
		f("customer_last_event_created_at", "string", "When the customer last wrote (RFC 3339).", format("date-time")),
		f("carts", "array", "Shopping carts known for the customer (e-commerce integrations)."),
		f("omnichannel", "object", "Where the customer comes from when it is not the chat widget (messaging channels).", open),
		f("address", "object", "The customer's postal address, when known.", open),
		f("state", "string", "What the customer is doing (browsing, chatting, …)."),
		f("online", "boolean", "Whether the customer is online."),
		f("followed", "boolean", "Whether agents follow this customer."),
		f("group_ids", "array", "Groups whose agents can see this customer."),
		f("group_ids[]", "integer", "A group ID."),
	}, under("visit", visitFields("3.6", "")), under("last_visit", visitFields("", "renamed visit in v3.6")))
}

// visitFields is a customer's visit (visit since v3.6, last_visit before).
func visitFields(sinceV, deprecatedWhy string) []decode.Field {
	o := []opt{since(sinceV), deprecated(deprecatedWhy)}
	fields := []decode.Field{
		f("", "object", "The customer's visit to the website: where from and which pages."),
		f("ip", "string", "IP address of the visit."),
		f("user_agent", "string", "Browser user agent."),
		f("geolocation", "object", "Location guessed from the IP address."),
		f("geolocation.country", "string", "Country name."),
		f("geolocation.country_code", "string", "Two-letter country code."),
		f("geolocation.region", "string", "Region or state."),
		f("geolocation.city", "string", "City."),
		f("geolocation.timezone", "string", "Time zone."),
		f("geolocation.latitude", "string|number", "Latitude."),
		f("geolocation.longitude", "string|number", "Longitude."),
		f("started_at", "string", "When the visit began (RFC 3339).", format("date-time")),
		f("ended_at", "string", "When the visit ended (RFC 3339).", format("date-time")),
		f("referrer", "string", "Page that brought the customer to the site.", format("uri")),
		f("last_pages", "array", "The last pages the customer opened, oldest first."),
		f("last_pages[]", "object", "One page view."),
		f("last_pages[].opened_at", "string", "When the page was opened (RFC 3339).", format("date-time")),
		f("last_pages[].url", "string", "Address of the page.", format("uri")),
		f("last_pages[].title", "string", "Title of the page."),
	}
	for i := range fields {
		for _, fn := range o {
			fn(&fields[i])
		}
	}
	return fields
}

// threadFields is the Thread structure: one session of a chat.
func threadFields() []decode.Field {
	return concat([]decode.Field{
		f("", "object", "A thread: one session of the chat. A new thread starts each time the customer comes back."),
		f("id", "string", "Thread ID.", required),
		f("order", "integer", "Position of the thread in the chat's order (3.1–3.3 bodies).", until("3.3")),
		f("timestamp", "integer", "When the thread was created, Unix seconds (3.1–3.3 bodies).", until("3.3")),
		f("active", "boolean", "Whether the thread is still open; only a chat's last thread can be."),
		f("user_ids", "array", "IDs of the users in the thread."),
		f("user_ids[]", "string", "A user ID."),
		f("events", "array", "Events of the thread so far (for a new chat: the ones it started with). Missing when access is restricted."),
		f("tags", "array", "Tags put on the thread."),
		f("tags[]", "string", "A tag name."),
		f("queue", "object", "Present while the thread waits in the queue."),
		f("queue.position", "integer", "Place in the queue (1 = next)."),
		f("queue.wait_time", "integer", "Estimated wait, in seconds."),
		f("queue.queued_at", "string", "When the thread entered the queue (RFC 3339).", format("date-time")),
		f("queues_duration", "integer", "Total time the thread spent queued, in seconds."),
		f("previous_thread_id", "string", "ID of the thread before this one in the same chat."),
		f("next_thread_id", "string", "ID of the thread after this one in the same chat."),
		f("previous_accessible_thread_id", "string", "ID of the previous thread the receiver may see."),
		f("next_accessible_thread_id", "string", "ID of the next thread the receiver may see."),
		f("created_at", "string", "When the thread started (RFC 3339).", format("date-time")),
		f("restricted_access", "string|boolean", "Set when the receiver may not see the thread's content: the reason; events are then left out."),
		f("customer_visit", "object", "The customer's website visit during this thread.", open),
	}, under("events[]", eventFields()), under("properties", properties("thread")), under("access", access()))
}

// chatFields is the Chat structure of incoming_chat.
func chatFields() []decode.Field {
	return concat([]decode.Field{
		f("", "object", "The chat: the long-lived conversation with one customer.", required),
		f("id", "string", "Chat ID (10 upper-case letters and digits); the same for every thread of the conversation.", required),
		f("users", "array", "Everyone in the chat: the customer and the agents or bots."),
		f("thread", "object", "The thread that just started, with any events it started with.", required),
		f("is_followed", "boolean", "Whether the receiving agent follows the chat."),
	}, under("users[]", userFields()), under("thread", threadFields()), under("properties", properties("chat")), under("access", access()))
}
