package iadvize

import "hooklens/backend/decode"

// iAdvize does not number its webhook versions: each version here is the month a documented
// shape first appeared in the iadvize/documentation repository (see testdata/SOURCES.md).
// Oldest first; that order is the only one versions have.
var versions = []decode.APIVersion{
	{Name: "2017-07", Label: "July 2017", Retired: true,
		Note: "The first webhooks: conversation.started and conversation.closed with a lowercase channel field, websiteId and numeric conversation ids; platform spelled SD, no clientId and no signature header."},
	{Name: "2017-08", Label: "August 2017", Retired: true,
		Note: "One event type per channel for a few weeks: conversation.chat.started, conversation.call.closed, conversation.video.started and so on; the channel field stays."},
	{Name: "2017-09", Label: "September 2017", Retired: true,
		Note: "Back to conversation.started and conversation.closed with a channel field; platform in lowercase (sd); clientId added to every event but the connector ones; X-iAdvize-Signature appears, without a prefix."},
	{Name: "2017-12", Label: "December 2017", Retired: true,
		Note: "conversation.transferred added (a transfer gives the conversation a new number); from January 2018 the signature header reads sha256=<hex>."},
	{Name: "2019-04", Label: "April 2019, v2 events",
		Note: "The v2 conversation events: v2.conversation.pushed and v2.conversation.closed with projectId instead of websiteId, a UUID conversationId, an uppercase channel and platform ha; closed lists its operators in an array still named operatorId. The connector events are no longer documented."},
	{Name: "2020-05", Label: "May 2020",
		Note: "v2.conversation.closed renames its operator array from operatorId to operatorIds."},
	{Name: "2021-03", Label: "March 2021",
		Note: "satisfaction.answered replaces satisfaction.filled (one event per survey answer); user.connected, user.disconnected and transaction.attributed are documented."},
	{Name: "2022-03", Label: "March 2022",
		Note: "The v2 conversation events gain visitorId (a UUID); visitorExternalId is deprecated."},
	{Name: "2022-12", Label: "December 2022",
		Note: "user.availability.updated is documented."},
}

// Per-channel conversation events of August 2017, one event type per channel and step.
const (
	ChatStarted   = "conversation.chat.started"
	ChatClosed    = "conversation.chat.closed"
	CallStarted   = "conversation.call.started"
	CallClosed    = "conversation.call.closed"
	VideoStarted  = "conversation.video.started"
	VideoClosed   = "conversation.video.closed"
	SocialStarted = "conversation.social.started"
	SocialClosed  = "conversation.social.closed"
)

// perChannelStarts and perChannelCloses list the August 2017 names by what they did.
var (
	perChannelStarts = []string{ChatStarted, CallStarted, VideoStarted, SocialStarted}
	perChannelCloses = []string{ChatClosed, CallClosed, VideoClosed, SocialClosed}
)

// perChannelEvents declares the August 2017 event types: the same body as the legacy
// conversation events, the channel also in the name; renamed back to the plain names in
// September 2017.
func perChannelEvents() []decode.EventType {
	var out []decode.EventType
	add := func(name, to, what string) {
		et := legacyConversation(name, what, nil)
		et.Since, et.Until, et.RenamedTo = "2017-08", "2017-08", to
		et.Fields = et.Fields[1:] // no clientId yet
		et.Deprecated = "sent only in August 2017; the channel moved back into the channel field of " + to
		out = append(out, et)
	}
	for i, ch := range []string{"chat", "call", "video", "social"} {
		add(perChannelStarts[i], LegacyStarted, "A "+ch+" conversation began with an operator (the August 2017 per-channel name of conversation.started).")
		add(perChannelCloses[i], LegacyClosed, "A "+ch+" conversation ended (the August 2017 per-channel name of conversation.closed).")
	}
	return out
}
