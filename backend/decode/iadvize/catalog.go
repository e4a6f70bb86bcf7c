package iadvize

import (
	"hooklens/backend/decode"
)

// Channel values of the current conversation events; the deprecated events send them in lowercase.
var (
	channels       = []string{"CHAT", "CALL", "VIDEO", "FACEBOOK", "FACEBOOK_BUSINESS_ON_MESSENGER", "TWITTER", "MOBILE_APP", "SMS"}
	legacyChannels = []string{"chat", "call", "video", "facebook", "facebook_business_on_messenger", "twitter", "mobile_app", "sms"}
)

// catalog is built once; it is never changed after init.
var catalog = &decode.Catalog{
	Vendor:   Name,
	Versions: versions,
	Common: []decode.Field{
		{Path: "eventId", Type: "string", Required: true,
			Description: "UUID of this event. It stays the same when iAdvize retries the delivery, so it identifies the event across attempts."},
		{Path: "eventType", Type: "string", Required: true,
			Description: "Which kind of event this is (e.g. v2.conversation.pushed); decides which other fields to expect."},
		{Path: "platform", Type: "string", Enum: []string{"sd", "ha", "SD", "HA"},
			Description: "Which iAdvize hosting environment sent the event: sd is the standard platform, ha the high-availability one. It also tells which API host (sd. or ha.iadvize.com) holds the data. Compare it case-insensitively: the old connector events spelled it SD."},
		{Path: "clientId", Type: "integer", Range: decode.Range{Since: "2017-09"},
			Description: "Number of the iAdvize customer account (the tenant) the event belongs to. Present on every current event; the old connector events did not carry it."},
		{Path: "createdAt", Type: "string", Required: true,
			Description: "When the event happened, as an ISO-8601 date-time: with Z and milliseconds in current events, with a +02:00 style offset in older ones."},
		{Path: "sentAt", Type: "string", Required: true,
			Description: "When iAdvize dispatched this delivery (ISO-8601). It can trail createdAt; the gap is the queueing delay."},
	},
	Events: []decode.EventType{
		{Name: ConversationPushed, Category: "conversation", Range: decode.Range{Since: "2019-04"},
			Description: "A conversation reached an operator: either it has just started, or another operator transferred it. One event per hand-over, so a transferred conversation produces several.",
			Fields:      []decode.Field{clientID(), projectID(true), conversationUUID(), operatorID("Operator (iAdvize user) the conversation was handed to.", true), channel(), visitorUUID(), visitorExternalID()}},
		{Name: ConversationClosed, Category: "conversation", Range: decode.Range{Since: "2019-04"},
			Description: "A conversation ended. Conversations on offsite channels (social, SMS, app) are closed automatically after a week without activity.",
			Fields: []decode.Field{clientID(), projectID(true), conversationUUID(),
				{Path: "operatorId", Type: "array", Range: decode.Range{Until: "2019-04"}, RenamedTo: "operatorIds",
					Description: "Every operator who took part in the conversation: the first form of operatorIds, an array under the singular name."},
				{Path: "operatorId[]", Type: "integer", Range: decode.Range{Until: "2019-04"}, RenamedTo: "operatorIds[]",
					Description: "Id of one operator (iAdvize user) who took part."},
				// Neither is Required: each is required in its own versions only, and a check that
				// does not know the delivery's version would flag the other one as missing.
				{Path: "operatorIds", Type: "array", Range: decode.Range{Since: "2020-05"},
					Description: "Every operator who took part in the conversation, the first one and those it was transferred to."},
				{Path: "operatorIds[]", Type: "integer", Range: decode.Range{Since: "2020-05"}, Description: "Id of one operator (iAdvize user) who took part."},
				channel(), visitorUUID(), visitorExternalID()}},
		userEvent(UserCreated, "A user account (operator, expert, admin or bot) was created, in the administration screens or through the REST API."),
		userEvent(UserUpdated, "A user account was changed, in the administration screens or through the REST API."),
		since("2021-03", userEvent(UserConnected, "A user logged in to the administration or to the desk (the operators' workspace).")),
		since("2021-03", userEvent(UserDisconnected, "A user logged out of the administration or of the desk.")),
		{Name: UserAvailabilityUpdated, Category: "user", Range: decode.Range{Since: "2022-12"},
			Description: "A user's availability to take conversations changed, channel by channel. Listed on the developer portal and in the documentation repository, but missing from the newer reference table, so it may no longer be sent.",
			Fields: []decode.Field{clientID(), userID(),
				{Path: "origin", Type: "string", Description: "Where the change was made, for example desk when the operator switched it in the desk."},
				{Path: "availabilities", Type: "array", Required: true, Description: "The user's availability on each channel after the change."},
				{Path: "availabilities[]", Type: "object", Description: "Availability on one channel."},
				{Path: "availabilities[].channel", Type: "string", Enum: []string{"CHAT", "CALL", "VIDEO", "THIRD_PARTY"},
					Description: "Channel this entry is about; THIRD_PARTY covers conversations from connected outside channels."},
				{Path: "availabilities[].status", Type: "string", Enum: []string{"AVAILABLE", "UNAVAILABLE"},
					Description: "Whether the user can now receive conversations on that channel."},
			}},
		{Name: VisitorUpdated, Category: "visitor",
			Description: "Someone edited what iAdvize knows about a visitor (name, contact details…) from the desk or the administration.",
			Fields: []decode.Field{earlyClientID(), operatorID("Operator who made the change.", true),
				{Path: "visitorId", Type: "string", Required: true, Description: "Id of the visitor whose record changed: a UUID in current data, a 45-character hash in older data."}}},
		{Name: SatisfactionAnswered, Category: "satisfaction", Range: decode.Range{Since: "2021-03"},
			Description: "The visitor answered one item of the survey shown after a conversation. Each click sends its own event, carrying only the field of the item answered.",
			Fields: []decode.Field{clientID(), projectID(true), conversationUUID(),
				{Path: "customerSatisfaction", Type: "integer", Description: "Satisfaction rating the visitor picked (CSAT)."},
				{Path: "netPromoterScore", Type: "integer", Description: "How likely the visitor says they are to recommend you (NPS rating)."},
				{Path: "satisfactionComment", Type: "string", Description: "Free text the visitor typed in the survey."},
				{Path: "customQuestion", Type: "boolean", Description: "Set when the visitor answered the survey's own custom question; the documented sample only carries true, not the answer itself."},
			}},
		{Name: TransactionAttributed, Category: "transaction", Range: decode.Range{Since: "2021-03"},
			Description: "iAdvize credited a sale to a conversation (and its operator): the buyer had talked with you before purchasing.",
			Fields: []decode.Field{clientID(), projectID(true), conversationUUID(), operatorID("Operator credited with the sale.", false),
				{Path: "transactionId", Type: "string", Required: true, Description: "iAdvize's UUID for the sale."},
				{Path: "externalId", Type: "string", Description: "Your own reference for the sale (order number) as sent to iAdvize by the site's tracking tag."},
				{Path: "amount", Type: "number", Required: true, Description: "Value of the sale, in the site's currency (no currency is given)."},
				{Path: "receivedAt", Type: "string", Description: "When iAdvize recorded the sale (ISO-8601)."},
				{Path: "source", Type: "string", Enum: []string{"Onsite", "Offsite"},
					Description: "Onsite when the conversation was on the website (chat, call, video); Offsite for social networks, SMS and apps."},
			}},
		legacyConversation(LegacyStarted, "Old form of v2.conversation.pushed: a conversation began with an operator. One documentation page still mentions it for calls.", nil),
		since("2017-12", legacyConversation(LegacyTransferred, "Old transfer event: the conversation moved to another operator and got a new number.",
			[]decode.Field{{Path: "transferredConversationId", Type: "integer", Description: "Number of the conversation before the transfer; conversationId is the new one."}})),
		legacyConversation(LegacyClosed, "Old form of v2.conversation.closed: a conversation ended.", nil),
		{Name: LegacySatisfaction, Category: "satisfaction", Deprecated: "replaced by satisfaction.answered in March 2021",
			Range: decode.Range{Until: "2020-05"}, RenamedTo: SatisfactionAnswered,
			Description: "Old survey event: the visitor rated the conversation with a single score.",
			Fields: []decode.Field{earlyClientID(), websiteID(), legacyConversationID(), operatorID("Operator who handled the rated conversation.", false),
				{Path: "visitorId", Type: "string", Description: "Hash identifying the visitor who answered."},
				{Path: "score", Type: "integer", Required: true, Description: "The rating the visitor gave."}}},
		connectorEvent(ConnectorInstalled, "A Developer Platform app (connector) was installed on a website."),
		connectorEvent(ConnectorUninstalled, "A Developer Platform app (connector) was removed from a website."),
	},
}

// linkErrs holds what Catalog.Link found wrong in the catalog's version data; a test fails on any.
var linkErrs = func() []error {
	catalog.Events = append(catalog.Events, perChannelEvents()...)
	return catalog.Link()
}()

func since(v string, et decode.EventType) decode.EventType {
	et.Since = v
	return et
}
