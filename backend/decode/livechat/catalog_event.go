package livechat

import "hooklens/backend/decode"

// eventTypes are the kinds of chat events.
var eventTypes = []string{"message", "file", "rich_message", "filled_form", "form", "custom", "system_message", "system"}

// eventFields is the Event structure: one thing said or done in a thread.
func eventFields() []decode.Field {
	return concat([]decode.Field{
		f("", "object", "A chat event: a message, file, form, rich message, system note, …"),
		f("id", "string", "Event ID, usually the thread ID followed by a sequence number (PZ070E0W1B_3)."),
		f("custom_id", "string", "ID the sending client chose, to recognise its own events."),
		f("type", "string", "Kind of event; the other fields depend on it.", required, oneOf(eventTypes...)),
		f("author_id", "string", "Who created it: an agent email, a customer UUID or a bot ID. System messages have none."),
		f("created_at", "string", "When the event was created (RFC 3339, microseconds, UTC).", format("date-time")),
		f("visibility", "string", "Who sees it: everyone, or agents only (an internal note).", oneOf("all", "agents")),
		f("recipients", "string", "Who sees it; older name of visibility.", oneOf("all", "agents"), deprecated("renamed visibility after v3.2")),
		f("deleted", "boolean", "Whether the event was deleted (shown only to admins)."),
		// message
		f("text", "string", "The text of a message (up to 16 KB) or of a system message."),
		f("postback", "object", "For a message sent by clicking a rich message button: which button."),
		f("postback.id", "string", "ID of the clicked button's postback."),
		f("postback.thread_id", "string", "Thread of the rich message."),
		f("postback.event_id", "string", "Event ID of the rich message."),
		f("postback.type", "string", "Kind of the clicked button."),
		f("postback.value", "string", "Value of the clicked button."),
		f("postback.ecommerce", "object", "Product data for e-commerce buttons.", open),
		// file
		f("name", "string", "File name."),
		f("url", "string", "Where the file can be downloaded.", format("uri")),
		f("content_type", "string", "MIME type of the file."),
		f("size", "integer", "File size in bytes."),
		f("width", "integer", "Image width in pixels."),
		f("height", "integer", "Image height in pixels."),
		f("thumbnail_url", "string", "URL of a small preview of the image.", format("uri")),
		f("thumbnail2x_url", "string", "URL of a double-resolution preview.", format("uri")),
		f("alternative_text", "string", "Text describing the image."),
		// rich_message
		f("template_id", "string", "Layout of a rich message.", oneOf("cards", "sticker", "quick_replies", "ecommerce")),
		f("elements", "array", "Cards of a rich message (up to 10)."),
		f("elements[]", "object", "One card."),
		f("elements[].title", "string", "Card title."),
		f("elements[].subtitle", "string", "Card subtitle."),
		f("elements[].image", "object", "Card image."),
		f("elements[].image.url", "string", "Image address.", format("uri")),
		f("elements[].image.name", "string", "Image file name."),
		f("elements[].image.content_type", "string", "Image MIME type."),
		f("elements[].image.size", "integer", "Image size in bytes."),
		f("elements[].image.width", "integer", "Image width in pixels."),
		f("elements[].image.height", "integer", "Image height in pixels."),
		f("elements[].image.alternative_text", "string", "Text describing the image."),
		f("elements[].buttons", "array", "Buttons of the card."),
		f("elements[].buttons[]", "object", "One button."),
		f("elements[].buttons[].text", "string", "Button label."),
		f("elements[].buttons[].type", "string", "What the button does.", oneOf("webview", "message", "url", "phone")),
		f("elements[].buttons[].value", "string", "Message text, URL or phone number the button uses."),
		f("elements[].buttons[].postback_id", "string", "ID sent back when the button is clicked."),
		f("elements[].buttons[].user_ids", "array", "Users who clicked the button."),
		f("elements[].buttons[].user_ids[]", "string", "A user ID."),
		f("elements[].buttons[].webview_height", "string", "Height of the web view a webview button opens.", oneOf("compact", "full", "tall")),
		f("elements[].buttons[].target", "string", "Where a url button opens.", oneOf("new", "current")),
		// filled_form / form
		f("form_id", "string", "ID of the form."),
		f("form_type", "string", "Kind of form (prechat, postchat, ask_for_email, …)."),
		f("fields", "array", "Fields of the form, with the answers for a filled form."),
		f("fields[]", "object", "One form field."),
		f("fields[].id", "string", "Field ID."),
		f("fields[].type", "string", "Kind of field.", oneOf("name", "email", "question", "textarea", "checkbox", "radio", "select", "group_chooser", "subject")),
		f("fields[].label", "string", "Question shown to the customer."),
		f("fields[].answer", "any", "The customer's answer: text, or a chosen option (with group_id for a group chooser)."),
		f("fields[].value", "string", "The customer's answer, as older payloads spell it."),
		// custom
		f("content", "any", "Free-form content of a custom event.", open),
		// system_message
		f("system_message_type", "string", "Which system note this is (agent_joined, chat_transferred, rating.chat_rated, routing.idle, …)."),
		f("text_vars", "object", "Values filled into the system message's text.", open),
		// system
		f("source", "string", "Which part of the platform produced a system event.", oneOf("ai_agents", "cdp", "messaging")),
		f("subtype", "string", "What the system event is about (summary, store_order_was_created, …)."),
		f("version", "string|integer", "Version of the system event's details format."),
		f("details", "string", "The system event's data, as a JSON text inside a string."),
	}, under("properties", properties("event")))
}

// eventEvents lists the actions about chat events.
func eventEvents() []decode.EventType {
	deleted := ev("event_deleted", "events", "A chat event was deleted.", ids(true), []decode.Field{
		f("payload.event_id", "string", "ID of the deleted event.", required),
	})
	deleted.Since = "3.6"
	return []decode.EventType{
		ev("incoming_event", "events", "Something new was said or done in a chat: a message, file, form, rich message or system note.",
			ids(true), []decode.Field{f("payload.event", "object", "The new event.", required)}, under("payload.event", eventFields())),
		ev("event_updated", "events", "A chat event was changed (for example an edited message); the whole event is sent again.",
			ids(true), []decode.Field{f("payload.event", "object", "The event as it is now.", required)}, under("payload.event", eventFields())),
		deleted,
		ev("incoming_rich_message_postback", "events", "A user clicked a button of a rich message.", ids(true), []decode.Field{
			f("payload.user_id", "string", "Who clicked.", required),
			f("payload.event_id", "string", "ID of the rich message event.", required),
			f("payload.postback", "object", "What was clicked.", required),
			f("payload.postback.id", "string", "Postback ID of the button.", required),
			f("payload.postback.toggled", "boolean", "Whether the button is now selected (false when the click unselected it).", required),
			f("payload.postback.button_type", "string", "Kind of button clicked."),
			f("payload.postback.button_value", "string", "Value of the button clicked."),
			f("payload.postback.ecommerce", "object", "Product data for e-commerce buttons.", open),
		}),
	}
}
