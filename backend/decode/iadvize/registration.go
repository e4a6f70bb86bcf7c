package iadvize

import (
	"strings"

	"hooklens/backend/registration"
)

// IPs are the addresses iAdvize sends webhooks from.
var IPs = []string{
	"35.158.241.155", "35.158.90.142", "35.156.32.28", "3.66.4.54", "3.73.29.33", "3.125.164.129", "34.107.108.253",
}

// WebhookEvents are the current webhook events an app can select.
var WebhookEvents = []string{
	"v2.conversation.pushed", "v2.conversation.closed", "user.created", "user.updated", "user.connected",
	"user.disconnected", "user.availability.updated", "visitor.updated", "satisfaction.answered",
	"transaction.attributed",
}

func guideSteps(hookURL, secret string) []registration.Step {
	secretText := "A secret is set in Hooklens for iAdvize: check it is the token of this app, or replace it."
	if secret == "" {
		secretText = "No iAdvize secret is set in Hooklens yet, so deliveries will show \"no secret\" instead of verified."
	}
	return []registration.Step{
		{
			Title: "Declare the webhook in your app",
			Text: "In the iAdvize Developer Platform, open your app and add a webhook: give it a name, paste the " +
				"URL below, choose the JSON content type (application/json; Hooklens also reads " +
				"application/x-www-form-urlencoded, but JSON keeps the payload as iAdvize documents it), and " +
				"select the events: all of them, a domain, or single ones such as " + strings.Join(WebhookEvents, ", ") +
				"." + registration.HTTPSWarning(hookURL, "iAdvize"),
			Code: hookURL,
		},
		{
			Title: "Install the app on a test project",
			Text: "iAdvize creates the declared webhooks for each customer that installs the app. Install it on " +
				"your sandbox or test project; iAdvize then starts sending that project's events. Apps also " +
				"need a public health-check route answering 200: Hooklens answers 200 on every path, so the URL " +
				"below works (each call to it is captured like any request).",
			Code: strings.TrimSuffix(hookURL, "/") + "/health",
		},
		{
			Title: "Copy the secret token into Hooklens",
			Text: "iAdvize signs each delivery: the X-iAdvize-Signature header holds sha256= and the HMAC-SHA256 " +
				"of the raw body keyed with the app's secret token. The token is shown, read-only, in the app's " +
				"information (or on the webhook); for a webhook without a connector, developers@iadvize.com " +
				"issues one. Paste it in Settings → Secrets → iAdvize; stored deliveries are verified again at " +
				"once. " + secretText,
		},
		{
			Title: "Allow the iAdvize addresses",
			Text: "iAdvize calls from the addresses below. Hooklens accepts any sender, but if your tunnel or " +
				"network filters sources (an IP policy on ngrok, an access rule on Cloudflare, a firewall), " +
				"allow these. Each delivery shows where it came from (the forwarded-for and connecting IP " +
				"headers the tunnel adds), so you can check.",
			Code: strings.Join(IPs, "\n"),
		},
		{
			Title: "Check and mark as registered",
			Text: "Trigger an event on the test project (start a conversation, change an operator's " +
				"availability): it appears in the Inbox. iAdvize retries a failed delivery twice, after 10 s " +
				"and 20 s more; a custom response for /iadvize (Settings → Custom responses) shows those " +
				"retries. Mark the registration done so the Tunnel panel warns you when the public URL changes.",
		},
	}
}

// Guide fills h with the steps that register url with iAdvize (registration.Guide).
func (vendor) Guide(h *registration.Help, url string, in registration.Input) error {
	h.Steps = guideSteps(url, in.Secret)
	return nil
}
