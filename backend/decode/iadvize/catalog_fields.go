package iadvize

import "hooklens/backend/decode"

const (
	legacyNote = "replaced by v2.conversation.pushed and v2.conversation.closed, which use UUIDs and projectId"
	oldNote    = "it appears only in the 2017–2019 documentation"
)

// clientID overrides the common, optional clientId: every event but the old connector ones carries it.
func clientID() decode.Field {
	return decode.Field{Path: "clientId", Type: "integer", Required: true,
		Description: "Number of the iAdvize customer account (the tenant) the event belongs to."}
}

// earlyClientID is clientId on the event types iAdvize sent before September 2017, when
// clientId did not exist yet: documented from then on, but never required.
func earlyClientID() decode.Field {
	f := clientID()
	f.Required, f.Range = false, decode.Range{Since: "2017-09"}
	f.Description += " Added in September 2017; the earlier events lack it."
	return f
}

func projectID(required bool) decode.Field {
	return decode.Field{Path: "projectId", Type: "integer", Required: required,
		Description: "Number of the iAdvize project (a website or app of the account) the event happened on. It took over from websiteId."}
}

func websiteID() decode.Field {
	return decode.Field{Path: "websiteId", Type: "integer", Required: true, Deprecated: "replaced by projectId in current events",
		Description: "Number of the website (now called project) the event happened on."}
}

func conversationUUID() decode.Field {
	return decode.Field{Path: "conversationId", Type: "string", Required: true,
		Description: "UUID of the conversation; the same value as Conversation.id in the GraphQL API, where the old numeric id lives on as legacyId."}
}

func legacyConversationID() decode.Field {
	return decode.Field{Path: "conversationId", Type: "integer", Required: true,
		Description: "Old numeric conversation id (GraphQL exposes it as Conversation.legacyId); current events use a UUID instead."}
}

func operatorID(role string, required bool) decode.Field {
	return decode.Field{Path: "operatorId", Type: "integer", Required: required,
		Description: role + " A number that identifies an iAdvize user, the same id user events call userId."}
}

func userID() decode.Field {
	return decode.Field{Path: "userId", Type: "integer", Required: true,
		Description: "Number of the iAdvize user concerned (operator, expert, admin or bot); conversation events call the same id operatorId."}
}

func channel() decode.Field {
	return decode.Field{Path: "channel", Type: "string", Required: true, Enum: channels,
		Description: "Where the conversation takes place: CHAT, CALL and VIDEO are on the website (onsite); FACEBOOK, FACEBOOK_BUSINESS_ON_MESSENGER, TWITTER, MOBILE_APP and SMS are offsite."}
}

func visitorUUID() decode.Field {
	return decode.Field{Path: "visitorId", Type: "string", Range: decode.Range{Since: "2022-03"},
		Description: "UUID of the visitor (the customer) in the conversation; added in March 2022 to take over from visitorExternalId."}
}

func visitorExternalID() decode.Field {
	return decode.Field{Path: "visitorExternalId", Type: "string|null", Deprecated: "use visitorId",
		Description: "Older visitor id, only set for onsite conversations (null or absent for social channels)."}
}

func userEvent(name, description string) decode.EventType {
	return decode.EventType{Name: name, Category: "user", Description: description,
		Fields: []decode.Field{earlyClientID(), userID()}}
}

// legacyConversation describes the deprecated conversation.* events: numeric ids, websiteId, lowercase channel.
func legacyConversation(name, description string, extra []decode.Field) decode.EventType {
	fields := []decode.Field{earlyClientID(), websiteID(), legacyConversationID(),
		operatorID("Operator handling the conversation.", false),
		{Path: "channel", Type: "string", Required: true, Enum: legacyChannels,
			Description: "Channel of the conversation, in lowercase in these old events (chat, call…)."},
		{Path: "visitorId", Type: "string", Description: "45-character hash identifying the visitor."},
	}
	return decode.EventType{Name: name, Category: "conversation", Deprecated: legacyNote,
		Description: description, Fields: append(fields, extra...)}
}

func connectorEvent(name, description string) decode.EventType {
	return decode.EventType{Name: name, Category: "connector", Deprecated: oldNote, Description: description,
		Range: decode.Range{Until: "2017-12"}, // gone from the page in March 2019, when the v2 events came
		Fields: []decode.Field{websiteID(),
			{Path: "connectorId", Type: "string", Required: true, Description: "UUID of the app (connector) concerned."},
			{Path: "connectorVersionId", Type: "string", Required: true, Description: "UUID of the version of that app that was installed or removed."},
		}}
}
