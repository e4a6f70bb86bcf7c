package registration

import (
	"strconv"
	"strings"

	"hooklens/backend"
)

// LiveChatAPI is the Configuration API version the commands use.
const LiveChatAPI = "https://api.livechatinc.com/v3.6/configuration/action/"

// LiveChatActions are the webhook actions register_webhook accepts in API v3.6.
var LiveChatActions = []string{
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

// liveChatActions checks the chosen actions (nil or empty: the defaults) and drops repeats.
func liveChatActions(in []string) ([]string, error) {
	if len(in) == 0 {
		return append([]string(nil), DefaultActions...), nil
	}
	known := make(map[string]bool, len(LiveChatActions))
	for _, a := range LiveChatActions {
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
				a, strings.Join(LiveChatActions, ", "))
		}
		seen[a] = true
		out = append(out, a)
	}
	if len(out) == 0 {
		return append([]string(nil), DefaultActions...), nil
	}
	return out, nil
}

func liveChat(url, secret string, actions []string) []Step {
	var steps []Step
	key := secret
	if secret == "" {
		key = SecretPlaceholder
		steps = append(steps, Step{
			Title: "Choose a secret key",
			Text: "No LiveChat secret is set in Hooklens. LiveChat puts the secret_key you register into the " +
				"body of every webhook, and Hooklens compares it to mark deliveries verified or mismatched. " +
				"Pick a random string, save it in Settings → Secrets → LiveChat, then reopen this guide: the " +
				"commands below show " + SecretPlaceholder + " until you do.",
		})
	}
	steps = append(steps,
		Step{
			Title: "Collect your credentials",
			Text: "In the LiveChat Developer Console, open your app (or create one) and copy its Client ID: it " +
				"owns the webhooks. Then create a Personal Access Token with the scopes webhooks.configuration:rw " +
				"and webhooks.state:rw; the Console shows your account ID next to it. Put the three values in " +
				"your shell once; the next commands read them.",
			Code: "export LC_ACCOUNT_ID='<your account ID>'\n" +
				"export LC_PAT='<your personal access token>'\n" +
				"export LC_CLIENT_ID='<the Client ID of your app>'",
		},
		Step{
			Title: "Register one webhook per action",
			Text: "LiveChat registers a webhook for one action at a time, at most three per action for a Client " +
				"ID, so these are " + plural(len(actions), "command") + " (" + strings.Join(actions, ", ") + "). " +
				"Each answers with the webhook's id. Registering the same action again adds a second webhook " +
				"rather than replacing the first: remove stale ones with unregister_webhook. The Chat Webhooks " +
				"block of your app in the Developer Console does the same through forms.",
			Code: registerCommands(url, key, actions),
		},
		Step{
			Title: "Enable the webhooks on your license",
			Text: "License webhooks switch on by themselves when the app is installed on a license. For an app " +
				"in development that is not installed, or after they were disabled, enable them once. LiveChat " +
				"may take up to two minutes to apply a change.",
			Code: apiCall("enable_license_webhooks", `{"owner_client_id":"`, `"}`),
		},
		Step{
			Title: "Check and mark as registered",
			Text: "List what is registered for the app, then start a chat on your license: deliveries appear " +
				"in the Inbox, marked verified when their secret_key matches the one in Hooklens. Mark the " +
				"registration done in Hooklens so the Tunnel panel warns you when the public URL changes " +
				"(quick tunnels get a new address each time they start).",
			Code: apiCall("list_webhooks", `{"owner_client_id":"`, `"}`),
		},
	)
	return steps
}

// registerCommands returns one register_webhook curl per action.
func registerCommands(url, secret string, actions []string) string {
	cmds := make([]string, 0, len(actions))
	for _, a := range actions {
		head := `{"action":` + jsonString(a) + `,"secret_key":` + jsonString(secret) + `,"url":` + jsonString(url) +
			`,"owner_client_id":"`
		cmds = append(cmds, apiCall("register_webhook", head, `","type":"license","description":"Hooklens"}`))
	}
	return strings.Join(cmds, "\n\n")
}

// apiCall returns a curl of a Configuration API method whose JSON body is head, the Client ID
// from $LC_CLIENT_ID, then tail.
func apiCall(method, head, tail string) string {
	return "curl -sS -X POST " + LiveChatAPI + method + " \\\n" +
		"  -u \"$LC_ACCOUNT_ID:$LC_PAT\" \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -d " + shellQuote(head) + `"$LC_CLIENT_ID"` + shellQuote(tail)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
