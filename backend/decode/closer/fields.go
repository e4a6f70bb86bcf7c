package closer

import "hooklens/backend/decode"

// unconfirmed ends the notes of fields that no draft sample shows: they come from Closer's
// client SDK or from reading the draft, and are listed so that they are explained, not flagged.
const unconfirmed = " Not in the draft samples (inferred from Closer's client SDK): unconfirmed."

// actions lists every documented business action, for the action enum.
var actions = []string{
	ActionLogin, ActionLogout, ActionStatusChange, ActionCreated, ActionBackofficeDataChange,
	ActionTagChange, ActionAssigneeChange, ActionMessageSent, ActionCustomMessageSent,
	ActionClosed, ActionReopened, ActionSnoozed, ActionUnsnoozed, ActionThreadCreated,
}

// envelope returns the fields every business event has; categories are the category values
// documented for the action.
func envelope(categories ...string) []decode.Field {
	return []decode.Field{
		{Path: "@timestamp", Type: "string", Required: true,
			Description: "Time of the log record that wraps the event, ISO 8601 with milliseconds and an offset written without a colon (+0000). Probably when Closer's log pipeline took the record in, not when the event happened; Hooklens reads the event time from message.timestamp and uses this one only when that is missing."},
		{Path: "message", Type: "object", Required: true,
			Description: "The business record itself: the event data, how it is classified and when it happened."},
		{Path: "message.timestamp", Type: "integer", Required: true,
			Description: "When the event happened, in milliseconds since 1 January 1970 UTC, stamped by the Closer service that produced it. Hooklens takes it as the event time. In the draft samples it does not agree with @timestamp, so which of the two is the event time is not confirmed."},
		{Path: "message.event", Type: "object", Required: true,
			Description: "Data of the event; which keys it holds depends on message.description.action."},
		{Path: "message.description", Type: "object", Required: true,
			Description: "Classification of the event, laid out like the event fields of Elastic Common Schema (kind, category, type, action, outcome)."},
		{Path: "message.description.kind", Type: "string", Required: true, Enum: []string{"event"},
			Description: "Kind of record; always event for business events."},
		{Path: "message.description.category", Type: "array", Required: true,
			Description: "Area of the product the event belongs to: agent for an agent's session and availability, conversation for what happens in a room."},
		{Path: "message.description.category[]", Type: "string", Enum: categories,
			Description: "One area the event belongs to."},
		{Path: "message.description.type", Type: "array", Required: true,
			Description: "Sort of record; business_event marks the events sent to client webhooks (Closer's security and configuration logs use other types)."},
		{Path: "message.description.type[]", Type: "string", Enum: []string{"business_event"},
			Description: "One sort of record."},
		{Path: "message.description.action", Type: "string", Required: true, Enum: actions,
			Description: "What happened. Hooklens uses it as the event type; it decides which keys message.event holds."},
		{Path: "message.description.outcome", Type: "string", Enum: []string{"success", "failure", "unknown"},
			Description: "Whether the action succeeded. The draft only shows success; failure and unknown are the other values of the ECS convention the envelope follows."},
		{Path: "message.event.orgId", Type: "string", Required: true,
			Description: "Id of the Closer organization (the tenant account) the event belongs to."},
	}
}

// agentFields are the message.event fields of the agent session events.
func agentFields() []decode.Field {
	return []decode.Field{
		{Path: "message.event.agentId", Type: "string", Required: true,
			Description: "Id of the agent (Closer calls agents advisers) whose session this is."},
		{Path: "message.event.firstName", Type: "string", Description: "Agent's first name as set in their Closer profile."},
		{Path: "message.event.lastName", Type: "string", Description: "Agent's last name as set in their Closer profile."},
		{Path: "message.event.email", Type: "string", Description: "E-mail address the agent signs in with."},
	}
}

func roomID() decode.Field {
	return decode.Field{Path: "message.event.roomId", Type: "string", Required: true,
		Description: "Id (a UUID) of the room: Closer's word for a conversation with one guest. Hooklens groups events into conversations by it."}
}

func threadID(required bool) decode.Field {
	f := decode.Field{Path: "message.event.threadId", Type: "string", Required: required,
		Description: "Id of a thread: one episode of talk inside a room, which a room can have several of over time."}
	if !required {
		f.Description += " Only the thread_created sample shows it; whether other events carry it is unconfirmed."
	}
	return f
}

func guestID(what string) decode.Field {
	return decode.Field{Path: "message.event.guestId", Type: "string", Required: true,
		Description: "Id of the guest (Closer's word for a customer or visitor) " + what + "."}
}

func authorID(what string) decode.Field {
	return decode.Field{Path: "message.event.authorId", Type: "string", Required: true,
		Description: "Id of whoever wrote the message " + what + ". It can be a guest, an agent or a bot; the event does not say which, so Hooklens compares it with the other ids and otherwise guesses."}
}

func messageID() decode.Field {
	return decode.Field{Path: "message.event.messageId", Type: "string",
		Description: "Id of the message in the room's history; the same message keeps it if it is edited."}
}

// customPayload documents the payloads of the custom message subtags the draft shows.
func customPayload() []decode.Field {
	return []decode.Field{
		{Path: "message.event.subtag", Type: "string", Required: true,
			Description: "What sort of structured message this is. The draft shows LEAD_TAGS_UPDATE and MESSAGE_WITH_FORM and says integrations may define their own (FORM, FORM_SUBMIT); Closer's SDK also knows NOTE, MESSAGE_WITH_ATTACHMENTS, MEETING_SCHEDULED/RESCHEDULED/CANCELLED, CALL_ANSWERED, CALL_ENDED, ASSIGNEE_CHANGED/REMOVED, FOLLOWER_ADDED/REMOVED and STATUS_CHANGED."},
		{Path: "message.event.payload", Type: "object", Open: true,
			Description: "Content of the structured message; its keys depend on the subtag, so keys not listed here are not flagged."},
		{Path: "message.event.payload.tags", Type: "array",
			Description: "LEAD_TAGS_UPDATE: the lead tags the room has after the change."},
		{Path: "message.event.payload.tags[]", Type: "string", Description: "One lead tag."},
		{Path: "message.event.payload.tagGroupId", Type: "string",
			Description: "LEAD_TAGS_UPDATE: id of the tag group the new tags belong to."},
		{Path: "message.event.payload.oldTags", Type: "array",
			Description: "LEAD_TAGS_UPDATE: the lead tags the room had before the change."},
		{Path: "message.event.payload.oldTags[]", Type: "string", Description: "One former lead tag."},
		{Path: "message.event.payload.oldTagGroupId", Type: "string",
			Description: "LEAD_TAGS_UPDATE: id of the tag group of the former tags."},
		{Path: "message.event.payload.formId", Type: "string",
			Description: "MESSAGE_WITH_FORM: id of the form that was filled in."},
		{Path: "message.event.payload.inputs", Type: "array",
			Description: "MESSAGE_WITH_FORM: the answers, one entry per form input."},
		{Path: "message.event.payload.inputs[]", Type: "object", Description: "One answered input."},
		{Path: "message.event.payload.inputs[].name", Type: "string",
			Description: "Name the form gives the input (client-age, external-form-id…)."},
		{Path: "message.event.payload.inputs[].value", Type: "string",
			Description: "What was entered, always as text (the draft sends a number as \"33\")."},
	}
}

// legacyFields are the fields of the legacy webhooks; eventTypes is the documented eventType
// value, if any.
func legacyFields(eventTypes []string, typeNote string) []decode.Field {
	return []decode.Field{
		{Path: "customer", Type: "object", Required: true,
			Description: "The customer (guest) the conversation is with."},
		{Path: "customer.id", Type: "string", Required: true, Description: "Closer's id of the customer."},
		{Path: "customer.apiKey", Type: "string",
			Description: "Key of the customer's session with Closer's API. It is a credential: whoever holds it can act as this customer, so redact it before sharing or exporting the delivery."},
		{Path: "customer.firstName", Type: "string", Description: "Customer's first name, when they gave it."},
		{Path: "customer.lastName", Type: "string", Description: "Customer's last name, when they gave it."},
		{Path: "customer.randomName", Type: "string",
			Description: "Name Closer made up to show an anonymous customer by; Hooklens shows it when no real name is set."},
		{Path: "customer.backOfficeData", Type: "array",
			Description: "Extra facts about the customer stored in Closer's back office (for example an id in the client's CRM)."},
		{Path: "customer.backOfficeData[]", Type: "object", Description: "One back-office entry."},
		{Path: "customer.backOfficeData[].key", Type: "string", Description: "Name of the entry."},
		{Path: "customer.backOfficeData[].value", Type: "string", Description: "Value of the entry."},
		{Path: "customer.email", Type: "string", Description: "Customer's e-mail address, when known."},
		{Path: "customer.phone", Type: "string", Description: "Customer's phone number, when known."},
		{Path: "timestamp", Type: "integer", Required: true,
			Description: "When the event happened, in milliseconds since 1 January 1970 UTC."},
		{Path: "eventType", Type: "string", Required: true, Enum: eventTypes,
			Description: "Closer's internal name of the event. " + typeNote},
	}
}

// legacyClosedFields are what the old page shows on a closing beyond the created event's fields.
// The page gives no full sample of them, so their sub-fields are left open.
func legacyClosedFields() []decode.Field {
	return []decode.Field{
		{Path: "closedType", Type: "string",
			Description: "How the conversation came to be closed (by an agent, by the customer, automatically…); the page does not list the values."},
		{Path: "assignee", Type: "object", Open: true,
			Description: "The agent (adviser) who had the conversation when it closed."},
		{Path: "assignee.id", Type: "string", Description: "Id of that agent."},
		{Path: "assignee.isBot", Type: "boolean",
			Description: "True when the conversation was last handled by a bot rather than a person."},
		{Path: "messageHistory", Type: "array",
			Description: "The messages of the conversation, oldest first."},
		{Path: "messageHistory[]", Type: "object", Open: true, Description: "One message."},
		{Path: "messageHistory[].author", Type: "object", Open: true, Description: "Who wrote the message."},
		{Path: "messageHistory[].author.role", Type: "string", Enum: []string{"CUSTOMER", "ADVISER"},
			Description: "CUSTOMER for the customer (guest), ADVISER for an agent."},
	}
}
