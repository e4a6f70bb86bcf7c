package configapi

import (
	"strings"

	"hooklens/backend"
)

// Version is the API version of the Configuration API the client and DefaultURL speak.
const Version = "3.6"

// DefaultURL is the Configuration API version the commands use.
const DefaultURL = "https://api.livechatinc.com/v3.6/configuration/action/"

// Actions are the webhook actions register_webhook accepts in API v3.6.
var Actions = []string{
	"incoming_chat", "chat_deactivated", "chat_access_updated", "chat_transferred",
	"user_added_to_chat", "user_removed_from_chat",
	"incoming_event", "event_updated", "event_deleted", "incoming_rich_message_postback",
	"chat_properties_updated", "chat_properties_deleted", "thread_properties_updated",
	"thread_properties_deleted", "event_properties_updated", "event_properties_deleted",
	"thread_tagged", "thread_untagged", "routing_status_set", "customer_session_fields_updated",
	"events_marked_as_seen", "thread_summary_set",
	"agent_created", "agent_updated", "agent_approved", "agent_suspended", "agent_unsuspended", "agent_deleted",
	"bot_created", "bot_updated", "bot_deleted", "group_created", "group_updated", "group_deleted",
	"auto_accesses_updated", "tag_created", "tag_updated", "tag_deleted",
}

// DefaultActions follow a chat from start to close and the agents handling it.
var DefaultActions = []string{
	"incoming_chat", "incoming_event", "event_updated", "chat_deactivated", "chat_transferred",
	"user_added_to_chat", "user_removed_from_chat", "routing_status_set",
}

// CheckActions checks the chosen actions (nil or empty: the defaults) and drops repeats.
func CheckActions(in []string) ([]string, error) {
	if len(in) == 0 {
		return append([]string(nil), DefaultActions...), nil
	}
	known := make(map[string]bool, len(Actions))
	for _, a := range Actions {
		known[a] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range in {
		a = strings.TrimSpace(a)
		if a == "" || seen[a] {
			continue
		}
		if !known[a] {
			return nil, backend.Errorf(backend.EINVALID, "LiveChat has no webhook action %q in API v3.6 (known: %s)",
				a, strings.Join(Actions, ", "))
		}
		seen[a] = true
		out = append(out, a)
	}
	if len(out) == 0 {
		return append([]string(nil), DefaultActions...), nil
	}
	return out, nil
}
