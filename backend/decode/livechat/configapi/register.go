package configapi

import (
	"context"

	"hooklens/backend"
)

// RegisterRequest is what Register needs: the credentials, the URL and secret to register (the
// public URL of the tunnel with /livechat, the LiveChat secret configured in Hooklens) and the
// actions (nil: DefaultActions).
type RegisterRequest struct {
	Credentials Credentials
	URL         string
	Secret      string
	Actions     []string
}

// RegisterStep is what happened to one webhook, or to enabling the license webhooks.
type RegisterStep struct {
	// Action is the webhook action, or EnableAction.
	Action string `json:"action"`
	// Outcome is registered, kept, removed, enabled or failed.
	Outcome   string `json:"outcome"`
	WebhookID string `json:"webhook_id,omitempty"`
	// URL is the URL of a removed (stale) webhook.
	URL string `json:"url,omitempty"`
	// Error says why the step failed.
	Error string `json:"error,omitempty"`
}

// RegisterResult is the outcome of Register, step by step.
type RegisterResult struct {
	URL     string         `json:"url"`
	Actions []string       `json:"actions"`
	Steps   []RegisterStep `json:"steps"`
	// OK is true when no step failed.
	OK bool `json:"ok"`
}

// Register makes LiveChat send the chosen actions to req.URL with req.Secret: it lists the
// webhooks of the Client ID, removes the Hooklens webhooks whose URL or secret is not the current
// one (earlier tunnel URLs: LiveChat allows three webhooks per action), keeps those already
// registered (removing duplicates), registers the missing actions and enables license webhooks.
// A failed step is reported in the result and the others still run.
//
// It returns EINVALID (nothing called) without URL, secret or credentials, or for an unknown
// action; and the error of list_webhooks when the webhooks cannot be listed (bad credentials,
// LiveChat unreachable): nothing is changed then.
func (c *Client) Register(ctx context.Context, req RegisterRequest) (RegisterResult, error) {
	if req.URL == "" {
		return RegisterResult{}, backend.Errorf(backend.EINVALID,
			"no public URL: start a tunnel (Tunnel panel) so LiveChat can reach Hooklens")
	}
	if req.Secret == "" {
		return RegisterResult{}, backend.Errorf(backend.EINVALID,
			"no LiveChat secret is set in Hooklens: set one in Settings → Secrets → LiveChat first, so deliveries can be verified")
	}
	if err := req.Credentials.Validate(); err != nil {
		return RegisterResult{}, err
	}
	actions, err := CheckActions(req.Actions)
	if err != nil {
		return RegisterResult{}, err
	}
	cred := req.Credentials
	existing, err := c.ListWebhooks(ctx, cred)
	if err != nil {
		return RegisterResult{}, err
	}

	res := RegisterResult{URL: req.URL, Actions: actions}
	kept := map[string]bool{}
	var keptSteps []RegisterStep
	for _, w := range existing {
		if w.Description != Description {
			continue // not ours
		}
		current := w.URL == req.URL && w.SecretKey == req.Secret
		if current && w.Type == "license" && !kept[w.Action] {
			kept[w.Action] = true
			keptSteps = append(keptSteps, RegisterStep{Action: w.Action, Outcome: OutcomeKept, WebhookID: w.ID})
			continue
		}
		if current && w.Type != "license" {
			continue // a bot webhook to this URL: someone's choice, left alone
		}
		// An earlier URL or secret, or a second webhook for the same action: remove it.
		step := RegisterStep{Action: w.Action, Outcome: OutcomeRemoved, WebhookID: w.ID, URL: w.URL}
		if err := c.UnregisterWebhook(ctx, cred, w.ID); err != nil {
			step.Outcome, step.Error = OutcomeFailed, stepError("remove", err)
		}
		res.Steps = append(res.Steps, step)
	}
	res.Steps = append(res.Steps, keptSteps...)
	for _, a := range actions {
		if kept[a] {
			continue
		}
		step := RegisterStep{Action: a, Outcome: OutcomeRegistered}
		id, err := c.RegisterWebhook(ctx, cred, a, req.URL, req.Secret)
		if err != nil {
			step.Outcome, step.Error = OutcomeFailed, stepError("register", err)
		}
		step.WebhookID = id
		res.Steps = append(res.Steps, step)
	}
	step := RegisterStep{Action: EnableAction, Outcome: OutcomeEnabled}
	if err := c.EnableLicenseWebhooks(ctx, cred); err != nil {
		step.Outcome, step.Error = OutcomeFailed, stepError("enable", err)
	}
	res.Steps = append(res.Steps, step)

	res.OK = true
	for _, s := range res.Steps {
		if s.Outcome == OutcomeFailed {
			res.OK = false
		}
	}
	return res, nil
}

// stepError is the message of a failed step.
func stepError(what string, err error) string {
	msg := backend.ErrorMessage(err)
	if backend.ErrorCode(err) == backend.EINTERNAL {
		msg = what + ": " + err.Error()
	}
	return msg
}
