package livechat

import "hooklens/backend/decode"

// appEvents are the Developer Console app webhooks (Family "app"): a flat camelCase body whose
// "event" names what happened to an installed Marketplace app or its payment.
func appEvents() []decode.EventType {
	app := func(name, desc string, payload ...decode.Field) decode.EventType {
		fields := []decode.Field{
			f("event", "string", "Which app webhook this is.", required),
			f("applicationID", "string", "ID of the Marketplace app.", required),
			f("applicationName", "string", "Name of the app."),
			f("clientID", "string", "Client ID of the app's authorization block.", format("hex")),
			f("date", "string", "When it happened (RFC 3339 with offset).", format("date-time")),
			f("licenseID", "integer", "The numeric LiveChat license that installed the app."),
			f("organizationID", "string", "The LiveChat organization that installed the app.", format("uuid")),
			f("userID", "string", "Account ID of the user who did it.", format("uuid")),
			f("payload", "object", "Details of this webhook.", required),
		}
		fields = append(fields, payload...)
		return decode.EventType{Name: name, Category: "app", Family: "app", Description: desc, Fields: fields}
	}
	paymentID := f("payload.paymentID", "string", "ID of the payment.", required, format("uuid"))
	return []decode.EventType{
		app("application_installed", "A license installed the app.", f("payload.applicationID", "string", "ID of the app installed.")),
		app("application_uninstalled", "A license removed the app.", f("payload.applicationID", "string", "ID of the app removed.")),
		app("payment_trialstarted", "A paid app's trial began; the payment is scheduled.", paymentID),
		app("payment_activated", "The payment process for the app began.", paymentID,
			f("payload.quantity", "integer", "How many units (for example agent seats) are paid for.")),
		app("payment_collected", "A payment for the app was collected.", paymentID,
			f("payload.total", "integer", "The amount collected, in cents.")),
		app("payment_cancelled", "A payment for the app was cancelled (the app was removed, or the license left LiveChat).", paymentID),
	}
}

// v2Events are the retired REST-era webhooks (Family "v2", version "v2"): event_type names
// the trigger and the body holds the objects the registration asked for (data_types).
func v2Events() []decode.EventType {
	common := []decode.Field{
		f("event_type", "string", "Which v2 webhook this is.", required),
		f("token", "string", "Token of the webhook registration."),
		f("license_id", "string|integer", "The LiveChat license, as a string in this format.", required),
		f("event_unique_id", "string", "ID of this event, the same on every retry of it."),
		f("lc_version", "string", "Format version; \"2\" in these bodies."),
		f("chat", "object", "The chat, when the registration asked for chat data.", open),
		f("chat.id", "string", "ID of the chat (the conversation)."),
		f("chat.started_timestamp", "integer", "When the chat started (Unix seconds)."),
		f("chat.ended_timestamp", "integer", "When the chat ended (Unix seconds)."),
		f("chat.agents", "array", "Agents of the chat."),
		f("chat.agents[]", "object", "One agent.", open),
		f("chat.agents[].name", "string", "The agent's name."),
		f("chat.agents[].login", "string", "The agent's login (email).", format("email")),
		f("chat.messages", "array", "Messages of the chat so far."),
		f("chat.messages[]", "object", "One message.", open),
		f("chat.tags", "array", "Tags of the chat."),
		f("chat.groups", "array", "Groups of the chat."),
		f("visitor", "object", "The customer (visitor), when the registration asked for visitor data.", open),
		f("visitor.id", "string", "ID of the visitor."),
		f("visitor.name", "string", "The visitor's name."),
		f("visitor.email", "string", "The visitor's email address.", format("email")),
		f("pre_chat_survey", "array", "Answers to the pre-chat survey.", open),
		f("ticket", "object", "The ticket (ticket_created).", open),
		f("canned_response", "object", "The canned response (canned_response_changed).", open),
	}
	v2 := func(name, desc string) decode.EventType {
		return decode.EventType{Name: name, Category: "v2", Family: "v2", Description: desc,
			Range: decode.Range{Since: "v2", Until: "v2"}, Fields: common}
	}
	return []decode.EventType{
		v2("chat_started", "A chat started (v2 format)."),
		v2("chat_ended", "A chat ended (v2 format)."),
		v2("chat_changed", "A chat was tagged (v2 format)."),
		v2("visitor_queued", "A visitor entered the queue before a chat (v2 format)."),
		v2("ticket_created", "A ticket was created (v2 format)."),
		v2("canned_response_changed", "A canned response was created, changed or deleted (v2 format)."),
	}
}
