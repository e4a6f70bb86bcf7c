package closer

import (
	"hooklens/backend/decode"
)

// Closer's two webhook formats, as the versions of one catalog: the legacy webhooks (set up
// under Admin → Webhooks, page last changed around 2019) came first; the business events
// (a draft page, 2021) replaced them. The legacy events also form their own family, since
// their shape shares nothing with the business envelope.
const (
	versionLegacy   = "2019"
	versionBusiness = "2021"
	familyLegacy    = "legacy"
)

var versions = []decode.APIVersion{
	{Name: versionLegacy, Label: "Legacy webhooks (2019)", Retired: true,
		Note: "Admin → Webhooks: conversation.created (eventType ThreadCreatedEvent) and conversation.closed, each a customer object, an epoch-millisecond timestamp and an eventType; the closing also tells how it closed (closedType), who had it (assignee, maybe a bot) and the messages exchanged (messageHistory). No room id, no signature."},
	{Name: versionBusiness, Label: "Business events (2021 draft)",
		Note: "One envelope for every event (@timestamp, message.timestamp, message.description.action, message.event): agent sessions and availability, rooms created, assigned, tagged, messaged, closed, reopened, snoozed, and threads; the room id is the conversation."},
}

// sinceDraft and sinceLegacy keep the older names of the two versions readable below.
const (
	sinceDraft  = versionBusiness
	sinceLegacy = versionLegacy
)

// draft ends the description of every business event.
const draft = " Closer publishes these events as a draft; the fields come from its samples, not from a captured delivery."

// catalog is built once; it is never changed after init. The business events and the legacy
// webhooks share no field, so Common holds the business envelope with nothing required: it
// explains the envelope of an action the catalog does not know, and each business event lists
// the envelope again with its required fields.
var catalog = &decode.Catalog{
	Vendor:   Name,
	Versions: versions,
	Common:   optional(envelope("agent", "conversation", "message")),
	Events: []decode.EventType{
		agentEvent(ActionLogin, "An agent signed in to Closer."),
		agentEvent(ActionLogout, "An agent signed out of Closer."),
		{Name: ActionStatusChange, Category: "agent", Range: decode.Range{Since: sinceDraft},
			Description: "An agent's availability for new conversations changed." + draft,
			Fields: with(envelope("agent"),
				decode.Field{Path: "message.event.agentId", Type: "string", Required: true,
					Description: "Id of the agent whose availability changed."},
				decode.Field{Path: "message.event.status", Type: "string", Required: true,
					Enum:        []string{"AVAILABLE", "AWAY", "UNAVAILABLE", "available", "away", "unavailable"},
					Description: "The agent's availability after the change: AVAILABLE takes new conversations, AWAY and UNAVAILABLE do not. One draft sample writes it in lower case, so compare it case-insensitively."},
				decode.Field{Path: "message.event.unavailableReason", Type: "string",
					Description: "Why the agent is not available, as a reason the organization defined itself (lunch, meeting…); empty when none was given."},
			)},
		{Name: ActionCreated, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "A guest opened a new room (conversation)." + draft,
			Fields:      with(envelope("conversation"), roomID(), guestID("who opened the room"))},
		{Name: ActionBackofficeDataChange, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "The back-office data stored about the guest of a room changed." + draft,
			Fields: with(envelope("conversation"), roomID(), guestID("the data is about"),
				decode.Field{Path: "message.event.backofficeData", Type: "array", Required: true,
					Description: "The guest's back-office entries after the change: facts the organization keeps about the customer (CRM id, plan…)."},
				decode.Field{Path: "message.event.backofficeData[]", Type: "object", Description: "One back-office entry."},
				decode.Field{Path: "message.event.backofficeData[].key", Type: "string", Description: "Name of the entry."},
				decode.Field{Path: "message.event.backofficeData[].value", Type: "string", Description: "Value of the entry."},
			)},
		{Name: ActionTagChange, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "The tags of a room changed." + draft,
			Fields: with(envelope("conversation"), roomID(),
				decode.Field{Path: "message.event.tags", Type: "array", Required: true,
					Description: "Every tag the room has after the change (not only the added ones); an empty list means all tags were removed."},
				decode.Field{Path: "message.event.tags[]", Type: "string", Description: "One tag."},
			)},
		{Name: ActionAssigneeChange, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "A room was assigned to another agent, or unassigned." + draft,
			Fields: with(envelope("conversation"), roomID(),
				decode.Field{Path: "message.event.agentId", Type: "string", Required: true,
					Description: "Id of the agent the room is now assigned to; Hooklens reads an empty value as no assignee (the room was unassigned)."},
				decode.Field{Path: "message.event.adviserId", Type: "string",
					Description: "Id of the new assignee under the SDK's name for agents." + unconfirmed},
				decode.Field{Path: "message.event.requesterId", Type: "string",
					Description: "Id of the agent who made the assignment." + unconfirmed},
				threadID(false),
			)},
		{Name: ActionMessageSent, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "A plain text message was posted in a room, by the guest, an agent or a bot." + draft,
			Fields: with(envelope("conversation", "message"), roomID(), authorID("(guest, agent or bot)"),
				decode.Field{Path: "message.event.body", Type: "string", Required: true, Description: "Text of the message."},
				messageID(), threadID(false),
			)},
		{Name: ActionCustomMessageSent, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "A structured message was posted in a room: a note, a lead-tag update, a form and its answers, a meeting or call record… The subtag says which." + draft,
			Fields: with(append(envelope("conversation", "message"), customPayload()...),
				roomID(), authorID("(for a form, whoever submitted it)"), messageID(), threadID(false),
			)},
		{Name: ActionClosed, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "A room was closed (resolved)." + draft,
			Fields: with(envelope("conversation"), roomID(),
				decode.Field{Path: "message.event.status", Type: "string|boolean",
					Description: "Whether the room is closed; the draft sends true as the string \"true\"."},
				decode.Field{Path: "message.event.sub_status", Type: "string",
					Description: "How the room ended, e.g. solved; Closer's SDK also knows unsolved."},
				threadID(false),
			)},
		roomEvent(ActionReopened, "A closed room was opened again."),
		roomEvent(ActionSnoozed, "A room was snoozed: put aside until later or until the guest writes again."),
		roomEvent(ActionUnsnoozed, "A snoozed room came back to the active list."),
		{Name: ActionThreadCreated, Category: "conversation", Range: decode.Range{Since: sinceDraft},
			Description: "A new thread (episode) started in an existing room, for example when a guest comes back with a new question. Compare the legacy ThreadCreatedEvent." + draft,
			Fields:      with(envelope("conversation"), roomID(), threadID(true))},
		{Name: LegacyConversationCreated, Category: "conversation", Range: decode.Range{Until: sinceLegacy}, Family: familyLegacy,
			RenamedTo:   ActionCreated, // what the business events call a new conversation
			Description: "Legacy webhook (set up under Admin → Webhooks): a conversation started with a customer. It names the customer but not the room.",
			Fields:      legacyFields([]string{"ThreadCreatedEvent"}, "ThreadCreatedEvent for a new conversation.")},
		{Name: LegacyConversationClosed, Category: "conversation", Range: decode.Range{Until: sinceLegacy}, Family: familyLegacy,
			RenamedTo:   ActionClosed,
			Description: "Legacy webhook: a conversation with a customer ended. It names the customer but not the room.",
			Fields: with(legacyFields(nil, "The value sent for a closed conversation is not documented; Hooklens takes any value mentioning closed."),
				legacyClosedFields()...)},
	},
}

// linkErrs holds what Catalog.Link found wrong in the catalog's version data; a test fails on any.
var linkErrs = catalog.Link()

func agentEvent(name, what string) decode.EventType {
	return decode.EventType{Name: name, Category: "agent", Range: decode.Range{Since: sinceDraft}, Description: what + draft,
		Fields: append(envelope("agent"), agentFields()...)}
}

// roomEvent is reopened, snoozed or unsnoozed: the draft gives the three one sample.
func roomEvent(name, what string) decode.EventType {
	return decode.EventType{Name: name, Category: "conversation", Range: decode.Range{Since: sinceDraft},
		Description: what + " The draft gives reopened, snoozed and unsnoozed a single sample." + draft,
		Fields: with(envelope("conversation"), roomID(),
			decode.Field{Path: "message.event.customerId", Type: "string",
				Description: "Id of the customer (guest) of the room."},
			threadID(false),
		)}
}

// with returns a new slice of fs followed by more.
func with(fs []decode.Field, more ...decode.Field) []decode.Field {
	return append(append([]decode.Field(nil), fs...), more...)
}

// optional returns a copy of fs with nothing required.
func optional(fs []decode.Field) []decode.Field {
	out := with(fs)
	for i := range out {
		out[i].Required = false
	}
	return out
}
