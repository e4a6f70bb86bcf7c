package livechat

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode/livechat/configapi"
	"hooklens/backend/registration"
)

func guideSteps(base, url, secret string, actions []string) []registration.Step {
	var steps []registration.Step
	key := secret
	if secret == "" {
		key = registration.SecretPlaceholder
		steps = append(steps, registration.Step{
			Title: "Choose a secret key",
			Text: "No LiveChat secret is set in Hooklens. LiveChat puts the secret_key you register into the " +
				"body of every webhook, and Hooklens compares it to mark deliveries verified or mismatched. " +
				"Pick a random string, save it in Settings → Secrets → LiveChat, then reopen this guide: the " +
				"commands below show " + registration.SecretPlaceholder + " until you do.",
		})
	}
	steps = append(steps,
		registration.Step{
			Title: "Collect your credentials",
			Text: "In the LiveChat Developer Console, open your app (or create one) and copy its Client ID: it " +
				"owns the webhooks. Then create a Personal Access Token with the scopes webhooks.configuration:rw " +
				"and webhooks.state:rw; the Console shows your account ID next to it. Put the three values in " +
				"your shell once; the next commands read them.",
			Code: "export LC_ACCOUNT_ID='<your account ID>'\n" +
				"export LC_PAT='<your personal access token>'\n" +
				"export LC_CLIENT_ID='<the Client ID of your app>'",
		},
		registration.Step{
			Title: "Register one webhook per action",
			Text: "LiveChat registers a webhook for one action at a time, at most three per action for a Client " +
				"ID, so these are " + count(len(actions), "command") + " (" + strings.Join(actions, ", ") + "). " +
				"Each answers with the webhook's id. Registering the same action again adds a second webhook " +
				"rather than replacing the first: remove stale ones with unregister_webhook. The Chat Webhooks " +
				"block of your app in the Developer Console does the same through forms.",
			Code: registerCommands(base, url, key, actions),
		},
		registration.Step{
			Title: "Enable the webhooks on your license",
			Text: "License webhooks switch on by themselves when the app is installed on a license. For an app " +
				"in development that is not installed, or after they were disabled, enable them once. LiveChat " +
				"may take up to two minutes to apply a change.",
			Code: apiCall(base, "enable_license_webhooks", `{"owner_client_id":"`, `"}`),
		},
		registration.Step{
			Title: "Check and mark as registered",
			Text: "List what is registered for the app, then start a chat on your license: deliveries appear " +
				"in the Inbox, marked verified when their secret_key matches the one in Hooklens. Mark the " +
				"registration done in Hooklens so the Tunnel panel warns you when the public URL changes " +
				"(quick tunnels get a new address each time they start).",
			Code: apiCall(base, "list_webhooks", `{"owner_client_id":"`, `"}`),
		},
	)
	return steps
}

// registerCommands returns one register_webhook curl per action.
func registerCommands(base, url, secret string, actions []string) string {
	cmds := make([]string, 0, len(actions))
	for _, a := range actions {
		head := `{"action":` + registration.JSONString(a) + `,"secret_key":` + registration.JSONString(secret) + `,"url":` + registration.JSONString(url) +
			`,"owner_client_id":"`
		cmds = append(cmds, apiCall(base, "register_webhook", head, `","type":"license","description":"Hooklens"}`))
	}
	return strings.Join(cmds, "\n\n")
}

// apiCall returns a curl of a Configuration API method whose JSON body is head, the Client ID
// from $LC_CLIENT_ID, then tail.
func apiCall(base, method, head, tail string) string {
	return "curl -sS -X POST " + base + method + " \\\n" +
		"  -u \"$LC_ACCOUNT_ID:$LC_PAT\" \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -d " + registration.ShellQuote(head) + `"$LC_CLIENT_ID"` + registration.ShellQuote(tail)
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Guide fills h with the steps that register url with LiveChat, for the actions chosen in in
// (registration.Guide); EINVALID for an action LiveChat does not have.
// With in.Version (the pinned API version) the register URL and the action names are that
// version's.
func (vendor) Guide(h *registration.Help, url string, in registration.Input) error {
	if in.Version != "" && in.Version != configapi.Version {
		return versionGuide(h, url, in)
	}
	actions, err := configapi.CheckActions(in.Actions)
	if err != nil {
		return err
	}
	h.Actions, h.KnownActions = actions, configapi.Actions
	h.Steps = guideSteps(configapi.DefaultURL, url, in.Secret, actions)
	return nil
}

// versionGuide is Guide for another API version than the client's: its Configuration API URL,
// its action names (the defaults under the names that version gives them) from the catalog.
func versionGuide(h *registration.Help, url string, in registration.Input) error {
	i := catalog.Index(in.Version)
	if i < 0 || catalog.Versions[i].Retired && in.Version == "v2" {
		return backend.Errorf(backend.EINVALID, "LiveChat API %q cannot take new webhook registrations (versions: %s)", in.Version, catalog.VersionNames())
	}
	at := catalog.At(in.Version)
	var known []string
	for _, e := range at.Events {
		if e.Family == "" {
			known = append(known, e.Name)
		}
	}
	want := in.Actions
	if len(want) == 0 {
		for _, a := range configapi.DefaultActions {
			for _, n := range catalog.Names(a) {
				if at.EventType(n) != nil && !slices.Contains(want, n) {
					want = append(want, n)
				}
			}
		}
	}
	var actions []string
	for _, a := range want {
		a = strings.TrimSpace(a)
		if !slices.Contains(known, a) {
			return backend.Errorf(backend.EINVALID, "LiveChat has no webhook action %q in API v%s (known: %s)", a, in.Version, strings.Join(known, ", "))
		}
		if !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	h.Actions, h.KnownActions = actions, known
	base := strings.Replace(configapi.DefaultURL, "/v"+configapi.Version+"/", "/v"+in.Version+"/", 1)
	h.Steps = guideSteps(base, url, in.Secret, actions)
	return nil
}

// RegisterRequest is the body of POST /api/v1/registration/livechat/register. The token is
// used for that call only: it is never stored, logged or answered. No actions: the default ones.
type RegisterRequest struct {
	AccountID string   `json:"account_id"`
	Token     string   `json:"token"`
	ClientID  string   `json:"client_id"`
	Actions   []string `json:"actions"`
}

// Register registers url with secret through LiveChat's Configuration API at base ("" is the
// real one), with the account, token, Client ID and actions of body (registration.Registrar).
func (vendor) Register(ctx context.Context, base string, body []byte, url, secret string) (any, bool, error) {
	var in RegisterRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, false, backend.Errorf(backend.EINVALID, "registration request: %v", err)
	}
	req := configapi.RegisterRequest{
		Credentials: configapi.Credentials{AccountID: strings.TrimSpace(in.AccountID),
			Token: strings.TrimSpace(in.Token), ClientID: strings.TrimSpace(in.ClientID)},
		URL: url, Secret: secret, Actions: in.Actions,
	}
	client := &configapi.Client{BaseURL: base}
	res, err := client.Register(ctx, req)
	return res, res.OK, err
}
