package configapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hooklens/backend"
)

// Description marks the webhooks Hooklens registers; Register replaces those whose URL or
// secret is no longer the current one and leaves every other webhook alone.
const Description = "Hooklens"

// Register outcomes, per step.
const (
	OutcomeRegistered = "registered"
	OutcomeKept       = "kept"
	OutcomeRemoved    = "removed"
	OutcomeEnabled    = "enabled"
	OutcomeFailed     = "failed"
)

// EnableAction names the step that enables license webhooks in a RegisterResult.
const EnableAction = "enable_license_webhooks"

// Client calls LiveChat's Configuration API v3.6 with a Personal Access Token.
// The zero value uses DefaultURL and a client with a 20 s timeout.
type Client struct {
	// BaseURL is where the actions are posted ("<BaseURL><action>"); "" means DefaultURL.
	BaseURL string
	// HTTP sends the requests; nil means a client with a 20 s timeout.
	HTTP *http.Client
}

// Credentials authenticate a Configuration API call. The token is sent in the
// Authorization header only; it never appears in an error.
type Credentials struct {
	AccountID string
	Token     string
	// ClientID is the Client ID of the app that owns the webhooks.
	ClientID string
}

// Validate returns an EINVALID error naming the first missing or malformed credential.
func (c Credentials) Validate() error {
	switch {
	case strings.TrimSpace(c.AccountID) == "":
		return backend.Errorf(backend.EINVALID, "account_id is required (the account ID shown next to your Personal Access Token)")
	case strings.ContainsAny(c.AccountID, ": \t\r\n"):
		return backend.Errorf(backend.EINVALID, "account_id cannot hold a colon or white space")
	case strings.TrimSpace(c.Token) == "":
		return backend.Errorf(backend.EINVALID, "token is required (a Personal Access Token with webhooks.configuration:rw and webhooks.state:rw)")
	case strings.ContainsAny(c.Token, "\r\n"):
		return backend.Errorf(backend.EINVALID, "token cannot hold a line break")
	case strings.TrimSpace(c.ClientID) == "":
		return backend.Errorf(backend.EINVALID, "client_id is required (the Client ID of your app in the LiveChat Developer Console)")
	case strings.ContainsAny(c.ClientID, " \t\r\n"):
		return backend.Errorf(backend.EINVALID, "client_id cannot hold white space")
	}
	return nil
}

// Webhook is a webhook as list_webhooks answers it.
type Webhook struct {
	ID             string          `json:"id"`
	Action         string          `json:"action"`
	SecretKey      string          `json:"secret_key"`
	URL            string          `json:"url"`
	Type           string          `json:"type"`
	Description    string          `json:"description"`
	OwnerClientID  string          `json:"owner_client_id"`
	Filters        json.RawMessage `json:"filters,omitempty"`
	AdditionalData json.RawMessage `json:"additional_data,omitempty"`
}

// Error is an error answer of the Configuration API. It unwraps to a *backend.Error:
// EINVALID for a 4xx answer (bad credentials, scopes or request), EUNAVAILABLE otherwise.
type Error struct {
	Action  string // the API action called
	Status  int    // HTTP status
	Type    string // LiveChat's error type ("authentication", "validation", …); "" when the body had none
	Message string // LiveChat's message, or an excerpt of the body
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "LiveChat %s answered %d", e.Action, e.Status)
	if e.Type != "" {
		b.WriteString(" " + e.Type)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		b.WriteString(" (check the account ID and the Personal Access Token)")
	case http.StatusForbidden:
		b.WriteString(" (the token needs the scopes webhooks.configuration:rw and webhooks.state:rw)")
	}
	return b.String()
}

// Unwrap gives the error a code for the API.
func (e *Error) Unwrap() error {
	code := backend.EUNAVAILABLE
	if e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests {
		code = backend.EINVALID
	}
	return &backend.Error{Code: code, Message: e.Error()}
}

// ListWebhooks returns the webhooks registered for the credentials' Client ID.
func (c *Client) ListWebhooks(ctx context.Context, cred Credentials) ([]Webhook, error) {
	var out []Webhook
	err := c.call(ctx, cred, "list_webhooks", map[string]string{"owner_client_id": cred.ClientID}, &out)
	return out, err
}

// RegisterWebhook registers a license webhook for action and returns its id.
func (c *Client) RegisterWebhook(ctx context.Context, cred Credentials, action, hookURL, secret string) (string, error) {
	in := map[string]string{"action": action, "secret_key": secret, "url": hookURL,
		"owner_client_id": cred.ClientID, "type": "license", "description": Description}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, cred, "register_webhook", in, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", backend.Errorf(backend.EUNAVAILABLE, "LiveChat register_webhook answered without a webhook id")
	}
	return out.ID, nil
}

// UnregisterWebhook removes the webhook id of the credentials' Client ID.
func (c *Client) UnregisterWebhook(ctx context.Context, cred Credentials, id string) error {
	return c.call(ctx, cred, "unregister_webhook", map[string]string{"id": id, "owner_client_id": cred.ClientID}, nil)
}

// EnableLicenseWebhooks switches the license webhooks of the Client ID on.
func (c *Client) EnableLicenseWebhooks(ctx context.Context, cred Credentials) error {
	return c.call(ctx, cred, EnableAction, map[string]string{"owner_client_id": cred.ClientID}, nil)
}

// call posts body to action and decodes a 2xx answer into out (when not nil). Errors: a
// *Error for an error answer, EUNAVAILABLE when LiveChat cannot be reached or answers
// something unreadable.
func (c *Client) call(ctx context.Context, cred Credentials, action string, body, out any) error {
	base := c.BaseURL
	if base == "" {
		base = DefaultURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("livechat %s: %w", action, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+action, bytes.NewReader(b))
	if err != nil {
		return backend.Errorf(backend.EINVALID, "LiveChat API URL %q: %v", base, err)
	}
	req.SetBasicAuth(cred.AccountID, cred.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is said once below
		}
		return backend.Errorf(backend.EUNAVAILABLE, "cannot reach LiveChat at %s%s: %v", base, action, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return backend.Errorf(backend.EUNAVAILABLE, "LiveChat %s: reading the answer: %v", action, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(action, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return backend.Errorf(backend.EUNAVAILABLE, "LiveChat %s answered %d with unreadable JSON: %v (%s)",
			action, resp.StatusCode, err, excerpt(raw))
	}
	return nil
}

// apiError reads LiveChat's {"error":{"type","message"}}, or keeps an excerpt of another body.
func apiError(action string, status int, raw []byte) *Error {
	e := &Error{Action: action, Status: status}
	var body struct {
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &body) == nil && (body.Error.Type != "" || body.Error.Message != "") {
		e.Type, e.Message = body.Error.Type, body.Error.Message
	} else {
		e.Message = excerpt(raw)
	}
	return e
}

func excerpt(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
